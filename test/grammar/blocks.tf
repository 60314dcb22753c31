# Blocks, labels, attributes and nesting.
terraform {
  required_version = ">= 1.8"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {
    bucket = "tidemark-state"
    key    = "prod/terraform.tfstate"
  }
}

provider "aws" {
  region = var.region
  alias  = "us"
}

variable "instance_count" {
  type        = number
  default     = 2
  description = "How many \"web\" instances"
  validation {
    condition     = var.instance_count >= 0
    error_message = "Must not be negative."
  }
}

variable "one_line" { default = "x" }

variable "settings" {
  type = object({
    name = string
    size = optional(number, 20)
    tags = map(any)
    on   = bool
  })
}

locals {
  name-prefix = "tm"
  enabled     = true
}

resource "aws_instance" "web" {
  count         = var.instance_count
  ami           = data.aws_ami.al2023.id
  instance_type = "t3.micro"

  dynamic "ebs_block_device" {
    for_each = var.volumes
    content {
      device_name = ebs_block_device.value.name
      volume_size = ebs_block_device.value.size
    }
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags]
    precondition {
      condition     = self.ami != ""
      error_message = "AMI required."
    }
  }

  provisioner "local-exec" {
    command = "echo ${self.private_ip}"
  }
}

data "aws_ami" "al2023" {
  most_recent = true
  owners      = ["amazon"]
}

module "logs" {
  source    = "./modules/logs"
  providers = { aws = aws.us }
  depends_on = [aws_instance.web]
}

output "ids" {
  value     = aws_instance.web[*].id
  sensitive = false
}

moved {
  from = aws_instance.old
  to   = aws_instance.web
}

import {
  to = aws_s3_bucket.logs
  id = "tidemark-logs"
}

custom_block unquoted_label "quoted label" {
  nested-attr = 1
}

# Top-level attributes, as in a .tfvars file.
region    = "eu-west-1"
volumes   = [{ name = "/dev/sdf", size = 20 }]
