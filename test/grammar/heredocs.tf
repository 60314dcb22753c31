# Heredoc templates.
resource "aws_iam_role_policy" "app" {
  policy = <<EOT
{
  "Statement": [{"Resource": "${aws_s3_bucket.logs.arn}/*"}],
  "Literal": "$${not} %%{ not }"
}
EOT

  user_data = <<-SCRIPT
    #!/bin/bash
    echo "hello ${var.name}" // not a comment
    %{ for port in var.ports ~}
    open ${port}
    %{ endfor ~}
    %{ if var.debug }set -x%{ endif }
    SCRIPT

  description = <<END_OF_TEXT
Not the end: END_OF_TEXT is only a terminator on its own line.
  END_OF_TEXTX is not the end either.
END_OF_TEXT
}

locals {
  wrapped = trimspace(<<-EOT
    inside a call
  EOT
  )
  after = "back to normal"
}
