# CRLF line endings and non-ASCII text.
locals {
  café      = "naïve résumé — ünïcødé ✓"
  名前      = "東京リージョン"
  emoji     = "🚀 ${local.café} 🚀"
  # Kommentar mit Umlauten: äöüß
  greeting  = <<-EOT
    Grüße, ${local.名前}!
    EOT
  after     = "still ok"
}

resource "aws_s3_bucket" "données" {
  bucket = "tidemark-${local.café}"
}
