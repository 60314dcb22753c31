// Reads on behalf of a principal: every one is decided by the policy — own grants always, others'
// when the policy allows listGrants / readTimeline on their role, the audit log with verifyAudit /
// exportAudit. Anyone not in config.yaml may only ask who they are.
import type { Grant } from '../model';
import type { ChainHead, ChainVerdict } from './audit-chain';
import type { SignedHead } from './audit-head';
import { roleNamed } from './config';
import { AccessError } from './errors';
import type { BrokerCore } from './broker-core';
import type { BrokerEvent, Principal } from './broker-types';

/** Decides what a principal may read. */
export class ReadPolicy {
  constructor(private readonly core: BrokerCore) {}

  /** Whether the proven ARN is a person in config.yaml. Anyone else may only ask who they are. */
  isConfigured(p: Principal): boolean {
    return this.core.o.policy.current().config.users.some((u) => u.arn === p.arn);
  }

  requireConfigured(p: Principal): void {
    if (!this.isConfigured(p)) throw new AccessError('forbidden', `${p.arn} is not a user in .tidemark/config.yaml; only 'whoami' answers it`);
  }

  /** Own grants always; someone else's when the policy allows `action` on its role. */
  mayRead(p: Principal, action: 'listGrants' | 'readTimeline', g: Grant): boolean {
    if (!this.isConfigured(p)) return false;
    if (g.requester === p.arn) return true;
    const { config } = this.core.o.policy.current();
    // A role since removed from config.yaml still names its grants: ask about it as it was.
    const role = roleNamed(config, g.role) ?? { name: g.role, arn: g.roleArn, maxSessionSeconds: 0, environment: '' };
    return this.core.ask({ action, principal: p, role, at: this.core.clock.now(), durationSeconds: g.durationSeconds, requester: this.core.userOf(g), breakGlass: g.breakGlass }).allowed;
  }

  /** The grants `p` may see: their own, and others' on roles the policy lets them list. */
  async grantsFor(p: Principal, filter: { active?: boolean; all?: boolean; mine?: boolean } = {}): Promise<Grant[]> {
    this.requireConfigured(p);
    const list = await this.core.parts.timeline.grants({ active: filter.active, all: filter.all, mine: filter.mine ? p : undefined });
    return list.filter((g) => this.mayRead(p, 'listGrants', g));
  }

  async grantFor(p: Principal, id: string): Promise<Grant> {
    this.requireConfigured(p);
    const g = await this.core.get(id);
    if (!this.mayRead(p, 'listGrants', g)) throw new AccessError('forbidden', `grant ${id} belongs to ${g.requesterName}; the policy does not let ${p.name} see grants of ${g.role} (listGrants)`);
    return g;
  }

  private requireLedgerAction(p: Principal, action: 'exportAudit' | 'verifyAudit'): void {
    this.requireConfigured(p);
    const d = this.core.ask({ action, principal: p, at: this.core.clock.now(), durationSeconds: 0 });
    if (!d.allowed) throw new AccessError('forbidden', `policy does not allow ${p.name} to ${action === 'exportAudit' ? 'export' : 'verify'} the audit log (${action})`);
  }

  async auditVerifyFor(p: Principal, expected?: ChainHead): Promise<ChainVerdict> {
    this.requireLedgerAction(p, 'verifyAudit');
    return this.core.parts.timeline.auditVerify(expected);
  }

  async auditHeadFor(p: Principal): Promise<SignedHead> {
    this.requireLedgerAction(p, 'verifyAudit');
    return this.core.parts.timeline.auditHead();
  }

  async auditExportFor(p: Principal, since?: Date) {
    this.requireLedgerAction(p, 'exportAudit');
    return this.core.parts.timeline.auditExport(since);
  }

  /** Whether a pushed event may go to `p`: the same rule as listing the grant it is about. */
  async mayReceive(p: Principal, e: BrokerEvent): Promise<boolean> {
    // A watch alert is about the team's cloud, not a grant: every configured person sees it.
    if (e.type === 'watch-alert') return this.isConfigured(p);
    const g = e.type === 'grant' ? e.grant : await this.core.o.ledger.getGrant(this.core.o.ledger.db, e.grantId);
    return g ? this.mayRead(p, 'listGrants', g) : this.isConfigured(p);
  }
}
