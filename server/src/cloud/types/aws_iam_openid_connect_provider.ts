// aws_iam_openid_connect_provider ↔ IAM GetOpenIDConnectProvider, one call per provider (IAM has
// no batch read for them; accounts have few). IAM reports the URL without its scheme.
import {
  AddClientIDToOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, RemoveClientIDFromOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand, UntagOpenIDConnectProviderCommand, UpdateOpenIDConnectProviderThumbprintCommand,
} from '@aws-sdk/client-iam';
import type { Known } from '../../drift/values';
import { cannotRevert, failureText, foundEntry, missingEntry, perTarget, str, revertTagMap, untagThenTag, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';
import { errorCode } from './s3-common';

const bareUrl = (v: Known): Known => (typeof v === 'string' ? v.replace(/^https:\/\//, '').replace(/\/$/, '') : v);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
/** Thumbprints are hex: case does not matter. */
const hex = (v: Known): Known => (typeof v === 'string' ? v.toLowerCase() : v);

export const awsIamOpenidConnectProvider: ResourceType = {
  type: 'aws_iam_openid_connect_provider',
  tags: true,
  attributes: [
    { name: 'url', compare: 'scalar', normalize: bareUrl, forceNew: true },
    { name: 'client_id_list', compare: 'set', severity: 'error' },
    { name: 'thumbprint_list', compare: 'set', normalize: hex, severity: 'warning' },
  ],
  idFromState: (a) => str(a.arn) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => String(bareUrl(String(live.attributes.url ?? live.id))).replace(/[^A-Za-z0-9_]/g, '_'),

  read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      try {
        const o = await ctx.clients.gate.call('iam:GetOpenIDConnectProvider', () => ctx.clients.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: t.id })));
        return foundEntry(t, 'aws_iam_openid_connect_provider', ctx, {
          url: o.Url ?? null, client_id_list: o.ClientIDList ?? [], thumbprint_list: o.ThumbprintList ?? [], tags: userTags(o.Tags),
        }, { arn: t.id });
      } catch (error) {
        if (errorCode(error) === 'NoSuchEntity') return missingEntry(ctx, t.id, `OIDC provider ${t.id} does not exist`);
        return unknownEntry(ctx, failureText(error));
      }
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id, live } = request;
    const iam = clients.iam;
    switch (attribute) {
      case 'client_id_list': {
        const want = new Set(list(declared));
        const have = new Set(list(live.attributes.client_id_list));
        for (const c of want) if (!have.has(c)) await clients.gate.call('iam:AddClientIDToOpenIDConnectProvider', () => iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: id, ClientID: c })));
        for (const c of have) if (!want.has(c)) await clients.gate.call('iam:RemoveClientIDFromOpenIDConnectProvider', () => iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: id, ClientID: c })));
        return { ok: true, message: 'client ids restored' };
      }
      case 'thumbprint_list':
        await clients.gate.call('iam:UpdateOpenIDConnectProviderThumbprint', () => iam.send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: id, ThumbprintList: list(declared) })));
        return { ok: true, message: 'thumbprints restored' };
      case 'tags':
        return revertTagMap(request, untagThenTag(
          (TagKeys) => clients.gate.call('iam:UntagOpenIDConnectProvider', () => iam.send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: id, TagKeys }))),
          (Tags) => clients.gate.call('iam:TagOpenIDConnectProvider', () => iam.send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: id, Tags }))),
        ));
      default:
        return cannotRevert(attribute);
    }
  },
};
