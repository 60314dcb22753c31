// aws_key_pair (DescribeKeyPairs family, by key name). The public key is not compared: AWS returns
// it only on request and in its own canonical form (comment stripped), which the provider does not
// read back either; the fingerprint stands for it.
import { member } from '../families/family';
import { keyNameKey, keyPairsFamily } from '../families/addresses';
import { cannotRevert, foundEntry, missingEntry, revertEc2Tags, str, unknownEntry, userTags } from './common';
import type { ResourceType } from './resource-type';

export const awsKeyPair: ResourceType = {
  type: 'aws_key_pair',
  tags: true,
  taggingType: 'ec2:key-pair',
  attributes: [
    { name: 'key_name', compare: 'scalar', forceNew: true },
    { name: 'fingerprint', compare: 'scalar', forceNew: true },
  ],
  notCompared: { public_key: 'AWS does not return it as submitted; the fingerprint is compared instead', key_pair_id: 'computed by AWS', key_type: 'computed from the key' },
  family: member(keyPairsFamily, {
    keys: (t) => [keyNameKey(t.id)],
    pick(t, rows, ctx) {
      const found = rows.lookup(keyNameKey(t.id));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const k = found.items.find((x) => x.KeyName === t.id);
      if (!k) return missingEntry(ctx, t.id, `key pair ${t.id} does not exist`);
      return foundEntry(t, 'aws_key_pair', ctx, { key_name: k.KeyName, fingerprint: k.KeyFingerprint, key_pair_id: k.KeyPairId, key_type: k.KeyType, tags: userTags(k.Tags) });
    },
  }),
  idFromState: (a) => str(a.key_name) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => live.id.replace(/[^A-Za-z0-9_]/g, '_'),
  async revert(request, clients) {
    if (request.attribute === 'tags') return revertEc2Tags(clients, { ...request, id: String(request.live.attributes.key_pair_id) });
    return cannotRevert(request.attribute);
  },
};
