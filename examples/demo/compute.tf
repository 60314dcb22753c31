resource "aws_instance" "web" {
  ami                    = var.ami_id
  instance_type          = var.web_instance_type
  subnet_id              = aws_subnet.public_a.id
  vpc_security_group_ids = [aws_security_group.web.id]
  private_ip             = "10.0.1.10"

  metadata_options {
    http_tokens = "required"
  }

  tags = {
    Name = "${var.project}-web"
    Env  = var.env
    Team = "web"
  }
}

resource "aws_instance" "worker" {
  ami                    = var.ami_id
  instance_type          = var.worker_instance_type
  subnet_id              = aws_subnet.private_b.id
  vpc_security_group_ids = [aws_security_group.db.id]
  private_ip             = "10.0.2.20"

  metadata_options {
    http_tokens = "required"
  }

  tags = {
    Name = "${var.project}-worker"
    Env  = var.env
    Team = "app"
  }
}
