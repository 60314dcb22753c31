// The Cedar schema of every question a guardrail answers: "may this change happen?". One request
// per changed attribute (and per added security-group rule, since Cedar cannot quantify over sets).
// `.tidemark/guardrails.cedarschema` ships the same text for editors and reviewers; a test keeps
// the two identical.
export const GUARDRAIL_SCHEMA = `// Tidemark guardrail schema: the shape of every change a guardrail rule is asked about.
namespace Guardrail {
  // Who made the change: the grant's requester, or the principal's name; "code" for tidemark check.
  entity Actor;
  // The Terraform resource (id = its address), e.g. Guardrail::Resource::"aws_security_group.web".
  entity Resource { type: String };

  type Grant = { id: String, requester: String, role: String };

  // One network rule (an ingress/egress element, or an aws_vpc_security_group_*_rule resource).
  // protocol "-1" (all traffic) is given as ports 0..65535.
  type Rule = {
    direction: String,
    protocol: String,
    fromPort: Long,
    toPort: Long,
    cidrBlocks: Set<String>,
    ipv6CidrBlocks: Set<String>,
  };

  action change appliesTo {
    principal: Actor,
    resource: Resource,
    context: {
      // "live": a change seen in the cloud (tidemark watch); "code": a declared value (tidemark check).
      source: String,
      // The API call, e.g. "ec2:AuthorizeSecurityGroupIngress"; "declare" in code, "unknown" without an event.
      eventName: String,
      resourceType: String,
      // Top-level Terraform attribute, e.g. "ingress", "block_public_acls", "rule"; "" for the whole resource.
      attribute: String,
      // Dotted path below the resource, e.g. "tags.Env".
      path: String,
      // The new value: strings as they are, everything else as JSON ("false", "22", "[...]").
      value: String,
      // True when the value was removed (attribute deleted, or the resource is gone).
      removed: Bool,
      hasGrant: Bool,
      grant?: Grant,
      rule?: Rule,
    },
  };
}
`;
