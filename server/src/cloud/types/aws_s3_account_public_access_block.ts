// aws_s3_account_public_access_block ↔ S3 Control GetPublicAccessBlock / PutPublicAccessBlock.
// The resource's id is the account id. The provider drops the resource from state when AWS
// answers NoSuchPublicAccessBlockConfiguration, so that answer reads as missing.
import { GetPublicAccessBlockCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import type { LiveEntry } from '../../drift/snapshot';
import type { AwsClients } from '../clients';
import { cannotRevert, failureText, foundEntry, missingEntry, str, unknownEntry } from './common';
import type { ReadContext, ReadTarget, ResourceType } from './resource-type';
import { flagAttributes, flagsOf, withFlagReverted, type FlagConfig } from './public-access-flags';
import { errorCode } from './s3-common';

/** The account's configuration, or undefined when it has none. */
async function readAccount(account: string, clients: AwsClients): Promise<FlagConfig | undefined> {
  try {
    const out = await clients.gate.call('s3:GetAccountPublicAccessBlock', () =>
      clients.s3control.send(new GetPublicAccessBlockCommand({ AccountId: account })));
    return out.PublicAccessBlockConfiguration ?? {};
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
    ...flagAttributes,
  ],
  idFromState: (a) => str(a.id) ?? str(a.account_id),
  importId: (live) => live.id,
  suggestName: () => 'account',

  async read(targets: ReadTarget[], ctx: ReadContext): Promise<Map<string, LiveEntry>> {
    // One call per account, however many blocks declare it (the provider warns against more than one).
    const byAccount = new Map<string, Promise<FlagConfig | undefined>>();
    const out = new Map<string, LiveEntry>();
    await Promise.all(targets.map(async (t) => {
      let pending = byAccount.get(t.id);
      if (!pending) byAccount.set(t.id, (pending = readAccount(t.id, ctx.clients)));
      try {
        const flags = await pending;
        out.set(t.address, flags
          ? foundEntry(t, 'aws_s3_account_public_access_block', ctx, { account_id: t.id, ...flagsOf(flags) })
          : missingEntry(ctx, t.id, `account ${t.id} has no S3 public access block configuration`));
      } catch (error) {
        out.set(t.address, unknownEntry(ctx, failureText(error)));
      }
    }));
    return out;
  },

  async revert(request, clients) {
    const config = withFlagReverted(await readAccount(request.id, clients), request.attribute, request.declared);
    if (!config) return cannotRevert(request.attribute);
    await clients.gate.call('s3:PutAccountPublicAccessBlock', () =>
      clients.s3control.send(new PutPublicAccessBlockCommand({ AccountId: request.id, PublicAccessBlockConfiguration: config })));
    return { ok: true, message: `${request.attribute} set to ${String(request.declared)} for account ${request.id}` };
  },
};
