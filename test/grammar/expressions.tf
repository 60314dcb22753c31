# Expressions: literals, operators, references, calls, collections, for, splat.
locals {
  int      = 42
  float    = 3.14
  exp      = 1e10
  exp_sign = 6.02E-23
  negative = -7
  yes      = true
  no       = false
  nothing  = null

  arith   = (1 + 2) * 3 / 4 % 5 - 6
  compare = 1 < 2 && 2 <= 3 || 3 > 4 && 4 >= 5 || 5 == 5 && 5 != 6
  not     = !local.yes
  ternary = var.env == "prod" ? 3 : 1
  dashed  = local.name-prefix

  refs = [
    var.region,
    local.int,
    module.logs.bucket_arn,
    data.aws_ami.al2023.image_id,
    each.key,
    each.value.size,
    count.index,
    self.id,
    path.module,
    terraform.workspace,
    aws_instance.web[0].id,
    aws_instance.web.0.id,
  ]

  full_splat = aws_instance.web[*].private_ip
  attr_splat = aws_instance.web.*.id

  calls     = jsonencode({ a = 1, "b" = [1, 2] })
  nested    = lookup(var.tags, "Name", format("%s-%d", local.int, 2))
  expanded  = min(var.numbers...)
  provider  = provider::aws::arn_parse(aws_instance.web[0].arn).region
  multiline = merge(
    local.tags,
    {
      Name          = "web"
      "kubernetes.io/role" = "node"
      (var.key)     = var.value
      colon_key: 1
    },
  )

  list_for   = [for s in var.names : upper(s)]
  filtered   = [for k, v in var.map : v if v != null && k != "skip"]
  object_for = { for k, v in var.map : k => v.id }
  grouped    = {for i, v in ["a", "a", "b"]: v => i...}
  split_for = [
    for name, cfg in var.services :
    "${name}:${cfg.port}"
    if cfg.enabled
  ]
  paren_cond = [for x in (var.a ? var.b : var.c) : x]
}
