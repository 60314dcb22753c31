# SYNTAX TEST "source.tidemark.hcl" "blocks, attributes, calls and expressions"
resource "aws_instance" "web" {
# <-------- meta.block.hcl entity.name.type.terraform.hcl
#        ^ string.quoted.double.label.hcl punctuation.definition.string.begin.hcl
#         ^^^^^^^^^^^^ string.quoted.double.label.hcl
#                        ^^^ string.quoted.double.label.hcl
#                             ^ punctuation.section.block.begin.hcl
  ami = jsonencode({ a = 1 })
# ^^^ meta.block.hcl variable.other.readwrite.attribute.hcl
#     ^ keyword.operator.assignment.hcl
#       ^^^^^^^^^^ meta.function-call.hcl support.function.hcl
#                 ^ punctuation.definition.arguments.begin.hcl
#                    ^ meta.braces.hcl variable.other.property.hcl
#                        ^ constant.numeric.integer.hcl
#                           ^ punctuation.definition.arguments.end.hcl
  arn = provider::aws::arn_parse(self.arn).region
#       ^^^^^^^^ support.namespace.provider.hcl
#               ^^ punctuation.separator.namespace.hcl
#                 ^^^ entity.name.namespace.hcl
#                      ^^^^^^^^^ meta.function-call.provider.hcl support.function.provider.hcl
#                                ^^^^ variable.language.self.hcl
#                                          ^^^^^^ variable.other.member.hcl - meta.function-call
  lifecycle {
# ^^^^^^^^^ meta.block.hcl meta.block.hcl entity.name.type.terraform.hcl
    ignore_changes = [tags]
#   ^^^^^^^^^^^^^^ variable.other.readwrite.attribute.hcl
#                     ^^^^ meta.brackets.hcl variable.other.readwrite.hcl
  }
  custom thing "x" {
# ^^^^^^ entity.name.type.hcl
#        ^^^^^ entity.name.label.hcl
#              ^^^ string.quoted.double.label.hcl
    n = -1.5e3 + 2 * 0 / 4 % 5
#       ^ keyword.operator.arithmetic.hcl
#        ^^^^^ constant.numeric.float.hcl
#              ^ keyword.operator.arithmetic.hcl
#                ^ constant.numeric.integer.hcl
#                  ^ keyword.operator.arithmetic.hcl
#                      ^ keyword.operator.arithmetic.hcl
#                          ^ keyword.operator.arithmetic.hcl
  }
# ^ punctuation.section.block.end.hcl
  ok = true && !false || null == x ? 1 : 0
#      ^^^^ constant.language.boolean.hcl
#           ^^ keyword.operator.logical.hcl
#              ^ keyword.operator.logical.hcl
#               ^^^^^ constant.language.boolean.hcl
#                     ^^ keyword.operator.logical.hcl
#                        ^^^^ constant.language.null.hcl
#                             ^^ keyword.operator.comparison.hcl
#                                  ^ keyword.operator.ternary.hcl
#                                      ^ keyword.operator.ternary.hcl
  refs = [var.a, local.b, module.c.d, data.e.f.g, each.key, count.index, path.module, terraform.workspace]
#         ^^^ variable.language.terraform.hcl
#                ^^^^^ variable.language.terraform.hcl
#                         ^^^^^^ variable.language.terraform.hcl
#                                ^ variable.other.member.hcl
#                                     ^^^^ variable.language.terraform.hcl
#                                                 ^^^^ variable.language.terraform.hcl
#                                                      ^^^ variable.other.member.hcl
#                                                           ^^^^^ variable.language.terraform.hcl
#                                                                 ^^^^^ variable.other.member.hcl
#                                                                        ^^^^ variable.language.terraform.hcl
#                                                                                     ^^^^^^^^^ variable.language.terraform.hcl
#              ^ punctuation.separator.comma.hcl
  ids = aws_instance.x[*].id
#       ^^^^^^^^^^^^ variable.other.readwrite.hcl
#                     ^ punctuation.section.brackets.begin.hcl
#                      ^ keyword.operator.splat.hcl
#                         ^^ variable.other.member.hcl
  all = aws_instance.x.*.id
#                      ^ keyword.operator.splat.hcl
  first = aws_instance.x[0].id
#                       ^ meta.brackets.hcl punctuation.section.brackets.begin.hcl
#                        ^ meta.brackets.hcl constant.numeric.integer.hcl
  m = { for k, v in var.m : k => v... if v != null }
#       ^^^ meta.braces.hcl meta.for.hcl keyword.control.loop.for.hcl
#           ^ variable.parameter.hcl
#                ^^ keyword.control.loop.in.hcl
#                         ^ punctuation.separator.for.hcl
#                             ^^ keyword.operator.arrow.hcl
#                                 ^^^ keyword.operator.ellipsis.hcl
#                                     ^^ keyword.control.conditional.if.hcl
#                                          ^^ keyword.operator.comparison.hcl
  l = [for s in var.l : upper(s)]
#      ^^^ meta.brackets.hcl keyword.control.loop.for.hcl
#                       ^^^^^ support.function.hcl
  t = string
#     ^^^^^^ support.type.primitive.terraform.hcl
}
# <- meta.block.hcl punctuation.section.block.end.hcl
