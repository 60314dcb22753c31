# SYNTAX TEST "source.tidemark.hcl" "heredoc templates"
a = <<EOT
#   ^^ string.unquoted.heredoc.hcl keyword.operator.heredoc.hcl
#     ^^^ string.unquoted.heredoc.hcl keyword.control.heredoc-token.hcl
hello ${var.name} # not a comment
# <----- string.unquoted.heredoc.hcl
#     ^^ meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#               ^ punctuation.section.interpolation.end.hcl
#                 ^^^^^^^^^^^^^^^ string.unquoted.heredoc.hcl - comment
EOT
# <--- string.unquoted.heredoc.hcl keyword.control.heredoc-token.hcl
b = "after"
# <- variable.other.readwrite.attribute.hcl - string
#   ^ punctuation.definition.string.begin.hcl

c = <<-POLICY
#   ^^^ keyword.operator.heredoc.hcl
#      ^^^^^^ keyword.control.heredoc-token.hcl
    %{ for s in var.list ~}
#   ^^ meta.directive.hcl punctuation.section.directive.begin.hcl
#                        ^ keyword.operator.template.strip.hcl
    $${literal}
#   ^^^ constant.character.escape.template.hcl
  POLICYX is not the end
# ^^^^^^^^^^^^^^^^^^^^^^ string.unquoted.heredoc.hcl - keyword.control.heredoc-token.hcl
    POLICY
#   ^^^^^^ string.unquoted.heredoc.hcl keyword.control.heredoc-token.hcl
d = 1
# <- variable.other.readwrite.attribute.hcl - string
#   ^ constant.numeric.integer.hcl
