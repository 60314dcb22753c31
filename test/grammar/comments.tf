# A number-sign line comment
// A double-slash line comment
/* A block comment on one line */
/*
 * A block comment
 * across lines with "quotes" and ${not_interpolation}
 */
variable "x" { # trailing number-sign comment
  type    = string // trailing double-slash comment
  default = /* inline */ "v" /* after */
}

locals {
  list = [
    1, # first
    2, // second
    /* third */ 3,
  ]
  hash_in_string  = "#not-a-comment"
  slash_in_string = "//not-a-comment"
}
