// Deterministic synthetic Terraform: the same index always yields the same block.
const TYPES = ['t3.micro', 't3.small', 't3.medium', 'm5.large'];

export function generateResourceBlock(i: number): string {
  return `resource "aws_instance" "node_${i}" {
  ami           = "ami-${(0x1000000 + i).toString(16)}"
  instance_type = "${TYPES[i % TYPES.length]}"
  subnet_id     = aws_subnet.private[${i % 3}].id

  tags = {
    Name  = "node-${i}"
    Env   = "prod"
    Index = "${i}"
  }
}
`;
}
