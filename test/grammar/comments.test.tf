# SYNTAX TEST "source.tidemark.hcl" "the three comment kinds"
# number sign
# <- comment.line.number-sign.hcl punctuation.definition.comment.hcl
// double slash
# <-- comment.line.double-slash.hcl punctuation.definition.comment.hcl
/* block */ a = 1
# <-- comment.block.hcl punctuation.definition.comment.begin.hcl
#        ^^ comment.block.hcl punctuation.definition.comment.end.hcl
#           ^ - comment
/*
 multi-line "not a string" ${not_interpolation}
# <~~~~~~~~~~~~~~~- comment.block.hcl - string
*/
# <-- comment.block.hcl punctuation.definition.comment.end.hcl
b = "# not // a /* comment" # real
#    ^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.hcl - comment
#                           ^ comment.line.number-sign.hcl
c = [1, /* inline */ 2] // trailing
#       ^^^^^^^^^^^^ meta.brackets.hcl comment.block.hcl
#                    ^ constant.numeric.integer.hcl
#                       ^^^^^^^^^^^ comment.line.double-slash.hcl
