// The Cedar schema of every request the broker asks the policy about. `.tidemark/policy.cedarschema`
// ships the same text for editors and reviewers; a test keeps the two identical.
export const POLICY_SCHEMA = `// Tidemark access policy schema: the shape of every question the broker asks the policy.
namespace Tidemark {
  // Groups come from .tidemark/config.yaml (users[].groups).
  entity Group;
  // Principals are identified by the ARN their identity proof resolved to.
  entity User in [Group] { name: String };
  // Roles come from .tidemark/config.yaml (roles.<name>).
  entity Role { environment: String, maxSessionMinutes: Long };
  // The audit log as a whole (one entity, Tidemark::Ledger::"audit").
  entity Ledger;

  type When = {
    // Hour of day 0..23 and weekday 1 (Monday) .. 7 (Sunday), in config.yaml's timezone.
    hour: Long,
    weekday: Long,
  };

  // The resources a request names (tidemark request --scope / --scope-from-diff / --scope-from-plan);
  // the credentials can change only those. present == false: no scope, the whole role.
  type Scope = {
    present: Bool,
    resources: Long,
    // Terraform types, e.g. "aws_instance", and AWS services of the actions, e.g. "ec2", "iam".
    types: Set<String>,
    services: Set<String>,
    touchesIam: Bool,
    touchesKms: Bool,
    touchesSecurityGroups: Bool,
    // Routes, network ACLs, subnets, VPCs, gateways.
    touchesNetworkPaths: Bool,
    // Every resource changes in its tags only.
    tagsOnly: Bool,
    // "none", "addresses", "diff", "plan" or "mixed".
    source: String,
  };

  // May the principal ask for this role for this long? (break-glass: without approval)
  action request, breakGlass appliesTo {
    principal: User,
    resource: Role,
    context: { when: When, durationMinutes: Long, reason: String, hasTicket: Bool, scope: Scope },
  };

  // May the principal approve or deny (approve), revoke, or post-review someone's grant on this role?
  action approve, revoke, review appliesTo {
    principal: User,
    resource: Role,
    context: { when: When, requester: User, durationMinutes: Long, breakGlass: Bool },
  };

  // Are the approvals so far enough to activate the requester's grant?
  action activate appliesTo {
    principal: User,
    resource: Role,
    context: { when: When, durationMinutes: Long, approvals: Long, scope: Scope },
  };

  // Reading. Everyone configured always sees their own grants and timelines; these decide what
  // else they see. Principals not in config.yaml are refused every read before the policy is asked.
  // May the principal see someone's grant on this role (reason, ticket, decisions), and read its
  // timeline (recorded commands, API calls)?
  action listGrants, readTimeline appliesTo {
    principal: User,
    resource: Role,
    context: { when: When, requester: User, durationMinutes: Long, breakGlass: Bool },
  };

  // May the principal export the whole audit log, or verify its hash chain?
  action exportAudit, verifyAudit appliesTo {
    principal: User,
    resource: Ledger,
    context: { when: When },
  };
}
`;
