variable "region" {
  description = "AWS region for every resource in this demo."
  type        = string
  default     = "us-east-1"
}

variable "project" {
  description = "Project name, used in names and the Project default tag."
  type        = string
  default     = "tidemark-demo"
}

variable "env" {
  description = "Environment tag."
  type        = string
  default     = "dev"
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "ami_id" {
  description = "Ubuntu 22.04 LTS (us-east-1)."
  type        = string
  default     = "ami-0c7217cdde317cfec"
}

variable "web_instance_type" {
  type    = string
  default = "t3.micro"
}

variable "worker_instance_type" {
  type    = string
  default = "t3.micro"
}
