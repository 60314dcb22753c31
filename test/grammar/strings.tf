# Quoted templates: escapes, interpolation, directives and strip markers.
locals {
  plain       = "hello world"
  escapes     = "tab\there\nnewline \"quoted\" back\\slash \u00e9 \U0001F600"
  bad_escape  = "not an escape: \q"
  literal     = "$${not_interpolated} and %%{not_a_directive}"
  interp      = "web-${var.env}-${count.index + 1}"
  nested      = "${upper("inner ${local.plain}")}"
  stripped    = "a ${~ var.x ~} b"
  directive   = "%{ if var.enabled }on%{ else }off%{ endif }"
  strip_dir   = "%{~ if var.enabled ~} on %{~ endif ~}"
  loop        = "%{ for i, name in var.names }${i}=${name},%{ endfor }"
  not_comment = "a # b // c /* d */"
  url         = "https://example.com/path?q=1"
  dollar      = "costs $5 and 50% off"
  empty       = ""
  object_expr = "${ {a = 1}.a }"
}

broken = "unterminated
after  = "the next line is not a string"
