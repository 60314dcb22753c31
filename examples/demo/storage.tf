resource "aws_s3_bucket" "assets" {
  bucket = "${var.project}-assets"

  tags = {
    Name = "${var.project}-assets"
    Env  = var.env
    Team = "web"
  }
}

resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "assets" {
  bucket = aws_s3_bucket.assets.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = false
  }
}

resource "aws_s3_bucket_public_access_block" "assets" {
  bucket = aws_s3_bucket.assets.id

  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "assets" {
  bucket = aws_s3_bucket.assets.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AppReadsAssets"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.app.arn }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.assets.arn}/*"
      }
    ]
  })
}

resource "aws_s3_bucket" "logs" {
  bucket = "${var.project}-logs"

  tags = {
    Name = "${var.project}-logs"
    Env  = var.env
    Team = "platform"
  }
}
