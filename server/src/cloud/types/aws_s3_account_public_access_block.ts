// aws_s3_account_public_access_block ↔ S3 Control GetPublicAccessBlock / PutPublicAccessBlock.
// The resource's id is the account id. The provider drops the resource from state when AWS
// answers NoSuchPublicAccessBlockConfiguration, so that answer reads as missing.
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import type { LiveEntry } from '../../drift/snapshot';
import type { AwsClients } from '../clients';
import { bool, cannotRevert, failureText, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ReadContext, ReadTarget, ResourceType } from './resource-type';
import { errorCode } from './s3-common';

const FLAGS = [
  ['block_public_acls', 'BlockPublicAcls'],
  ['block_public_policy', 'BlockPublicPolicy'],
  ['ignore_public_acls', 'IgnorePublicAcls'],
  ['restrict_public_buckets', 'RestrictPublicBuckets'],
] as const;

type Flags = Record<(typeof FLAGS)[number][0], boolean>;

/** The account's configuration, or undefined when it has none. */
async function readAccount(account: string, clients: AwsClients): Promise<Flags | undefined> {
  try {
    const out = await clients.gate.call('s3:GetAccountPublicAccessBlock', () =>
      clients.s3control.send(new GetPublicAccessBlockCommand({ AccountId: account })));
    const c = out.PublicAccessBlockConfiguration ?? {};
    return Object.fromEntries(FLAGS.map(([name, field]) => [name, c[field] ?? false])) as Flags;
  } catch (error) {
    if (errorCode(error) === 'NoSuchPublicAccessBlockConfiguration') return undefined;
    throw error;
  }
}

export const awsS3AccountPublicAccessBlock: ResourceType = {
  type: 'aws_s3_account_public_access_block',
  tags: false,
  attributes: [
    { name: 'account_id', compare: 'scalar', forceNew: true },
    ...FLAGS.map(([name]) => ({ name, compare: 'scalar' as const, default: false, severity: 'error' as const })),
  ],
  idFromState: (a) => str(a.id) ?? str(a.account_id),
  importId: (live) => live.id,
  suggestName: () => 'account',

  async read(targets: ReadTarget[], ctx: ReadContext): Promise<Map<string, LiveEntry>> {
    // One call per account, however many blocks declare it (the provider warns against more than one).
    const byAccount = new Map<string, Promise<Flags | undefined>>();
    const out = new Map<string, LiveEntry>();
    await Promise.all(targets.map(async (t) => {
      let pending = byAccount.get(t.id);
      if (!pending) byAccount.set(t.id, (pending = readAccount(t.id, ctx.clients)));
      try {
        const flags = await pending;
        out.set(t.address, flags
          ? foundEntry(t, 'aws_s3_account_public_access_block', ctx, { account_id: t.id, ...flags })
          : missingEntry(ctx, t.id, `account ${t.id} has no S3 public access block configuration`));
      } catch (error) {
        out.set(t.address, unknownEntry(ctx, failureText(error)));
      }
    }));
    return out;
  },

  async revert(request, clients) {
    const flag = FLAGS.find(([name]) => name === request.attribute);
    if (!flag) return cannotRevert(request.attribute);
    // The call replaces all four flags: keep the others as they are now (read afresh, so reverting
    // two flags one after the other does not undo the first with the snapshot's value).
    const now = await readAccount(request.id, clients);
    const config = Object.fromEntries(FLAGS.map(([name, field]) => [field, name === flag[0] ? bool(request.declared) ?? false : now?.[name] ?? false]));
    await clients.gate.call('s3:PutAccountPublicAccessBlock', () =>
      clients.s3control.send(new PutPublicAccessBlockCommand({ AccountId: request.id, PublicAccessBlockConfiguration: config })));
    return { ok: true, message: `${request.attribute} set to ${String(request.declared)} for account ${request.id}` };
  },
};
