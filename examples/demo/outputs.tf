output "vpc_id" {
  value = aws_vpc.main.id
}

output "web_instance_id" {
  value = aws_instance.web.id
}

output "assets_bucket_arn" {
  value = aws_s3_bucket.assets.arn
}
