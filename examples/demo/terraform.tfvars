env                  = "prod"
worker_instance_type = "t3.small"
