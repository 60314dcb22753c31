# SYNTAX TEST "source.tidemark.hcl" "template interpolation and directives"
a = "x ${var.name} y"
# <- variable.other.readwrite.attribute.hcl
#      ^^ string.quoted.double.hcl meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#        ^^^ meta.interpolation.hcl meta.embedded.line.hcl variable.language.terraform.hcl
#           ^ punctuation.accessor.hcl
#            ^^^^ variable.other.member.hcl
#                ^ string.quoted.double.hcl meta.interpolation.hcl punctuation.section.interpolation.end.hcl
#                 ^^ string.quoted.double.hcl - meta.interpolation.hcl
#                   ^ punctuation.definition.string.end.hcl

b = "${~ local.x ~}"
#    ^^ punctuation.section.interpolation.begin.hcl
#      ^ keyword.operator.template.strip.hcl
#                ^ keyword.operator.template.strip.hcl
#                 ^ punctuation.section.interpolation.end.hcl

c = "%{ if var.on ~}on%{~ else }off%{ endif }"
#    ^^ meta.directive.hcl punctuation.section.directive.begin.hcl
#       ^^ keyword.control.conditional.if.hcl
#                 ^ keyword.operator.template.strip.hcl
#                  ^ punctuation.section.directive.end.hcl
#                   ^^ string.quoted.double.hcl - meta.directive.hcl
#                     ^^ punctuation.section.directive.begin.hcl
#                       ^ keyword.operator.template.strip.hcl
#                         ^^^^ keyword.control.conditional.else.hcl
#                                     ^^^^^ keyword.control.conditional.endif.hcl

d = "%{ for k, v in var.m }${k}%{ endfor }"
#       ^^^ keyword.control.loop.for.hcl
#           ^ variable.parameter.hcl
#              ^ variable.parameter.hcl
#                ^^ keyword.control.loop.in.hcl
#                          ^^ punctuation.section.interpolation.begin.hcl
#                                 ^^^^^^ keyword.control.loop.endfor.hcl

e = "$${literal} %%{literal} \n \q"
#    ^^^ constant.character.escape.template.hcl
#       ^^^^^^^^ string.quoted.double.hcl - meta.interpolation.hcl
#                ^^^ constant.character.escape.template.hcl
#                   ^^^^^^^^ string.quoted.double.hcl - meta.directive.hcl
#                            ^^ constant.character.escape.hcl
#                               ^^ invalid.illegal.escape.hcl

f = "${upper("in ${x}")}"
#      ^^^^^ meta.interpolation.hcl meta.embedded.line.hcl meta.function-call.hcl support.function.hcl
#                ^^ string.quoted.double.hcl meta.interpolation.hcl meta.embedded.line.hcl meta.function-call.hcl string.quoted.double.hcl meta.interpolation.hcl punctuation.section.interpolation.begin.hcl
#                    ^ meta.function-call.hcl punctuation.definition.string.end.hcl
#                     ^^ meta.interpolation.hcl
#                       ^ punctuation.definition.string.end.hcl - meta.interpolation.hcl

g = "unterminated
#    ^^^^^^^^^^^^ string.quoted.double.hcl
h = 1
# <- variable.other.readwrite.attribute.hcl - string
#   ^ constant.numeric.integer.hcl
