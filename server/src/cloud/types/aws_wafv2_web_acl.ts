// aws_wafv2_web_acl ↔ WAFv2 GetWebACL, one call per declared web ACL (ListWebACLs returns only
// names, ids and lock tokens, so it could not save a call), and ListTagsForResource for its tags.
// A REGIONAL ACL lives in the provider's region, a CLOUDFRONT one in us-east-1 whatever the region.
// Rules compare as a set by name, each with its priority, action or override_action, statement,
// visibility_config, labels and captcha/challenge settings in one canonical form (wafv2-rules.ts),
// so Terraform's blocks and the API's JSON meet. Revert re-reads the ACL for a fresh LockToken and
// puts it back with UpdateWebACL with only the drifted argument changed; tags go through
// TagResource/UntagResource.
import {
  GetWebACLCommand, ListTagsForResourceCommand, Rule, TagResourceCommand, UntagResourceCommand, UpdateWebACLCommand, UpdateWebACLRequest,
  WAFV2Client, WebACL,
} from '@aws-sdk/client-wafv2';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { AwsCallError, describeError } from '../errors';
import { blocksOf, stringsOf } from './blocks';
import { cannotRevert, foundEntry, missingEntry, perTarget, revertTagMap, str, untagThenTag, userTags } from './common';
import type { ReadContext, ResourceType } from './resource-type';
import { SHIELD_RULE, blockAtom, plainJson, responseBodiesFromApi, responseBodiesToApi, ruleAtoms, ruleName, rulePhrases, rulesForSdk, rulesFromJsonText, toApi } from './wafv2-rules';

type AclScope = 'REGIONAL' | 'CLOUDFRONT';

/** CloudFront's web ACLs are served from us-east-1 only. */
export function wafClient(clients: AwsClients, scope: AclScope): WAFV2Client {
  return scope === 'CLOUDFRONT' ? clients.wafv2Cloudfront : clients.wafv2;
}

/** The scope an ACL's ARN names (`…:global/webacl/…` is CloudFront's). */
export function scopeOfArn(arn: string): AclScope {
  return /:global\/webacl\//.test(arn) ? 'CLOUDFRONT' : 'REGIONAL';
}

function isNotFound(error: unknown): boolean {
  const f = error instanceof AwsCallError ? error.failure : describeError(error);
  return f.code === 'WAFNonexistentItemException';
}

/** `rule_json` as declared (a JSON text) or as read (the API's rules): the rule atoms of either. */
function ruleJsonAtoms(value: Known): Known {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 1 && typeof list[0] === 'string') {
    try {
      return ruleAtoms(rulesFromJsonText(list[0]));
    } catch {
      return [list[0]];
    }
  }
  return ruleAtoms(list);
}

/** Live rules as the provider reads them: the Shield Advanced mitigation rule only when the state declares it. */
function managedRules(rules: Rule[], declared: unknown): Rule[] {
  const names = new Set(blocksOf(declared).map(ruleName));
  return rules.filter((r) => !SHIELD_RULE.test(r.Name ?? '') || names.has(r.Name ?? ''));
}

async function tagsOf(client: WAFV2Client, arn: string, ctx: ReadContext): Promise<Record<string, string>> {
  const known = ctx.tagsByArn.get(arn);
  if (known) return known;
  const out = await ctx.clients.gate.call('wafv2:ListTagsForResource', () => client.send(new ListTagsForResourceCommand({ ResourceARN: arn, Limit: 100 })));
  return userTags(out.TagInfoForResource?.TagList);
}

function aclScope(attributes: Record<string, unknown>): AclScope {
  return attributes.scope === 'CLOUDFRONT' ? 'CLOUDFRONT' : typeof attributes.arn === 'string' ? scopeOfArn(attributes.arn) : 'REGIONAL';
}

/** The ACL as UpdateWebACL takes it: every updatable argument as it is now. */
function updateInput(acl: WebACL, scope: AclScope, lockToken: string): UpdateWebACLRequest {
  return {
    Name: acl.Name, Scope: scope, Id: acl.Id, LockToken: lockToken, DefaultAction: acl.DefaultAction, Description: acl.Description, Rules: acl.Rules,
    VisibilityConfig: acl.VisibilityConfig, DataProtectionConfig: acl.DataProtectionConfig, CustomResponseBodies: acl.CustomResponseBodies,
    CaptchaConfig: acl.CaptchaConfig, ChallengeConfig: acl.ChallengeConfig, TokenDomains: acl.TokenDomains, AssociationConfig: acl.AssociationConfig,
    OnSourceDDoSProtectionConfig: acl.OnSourceDDoSProtectionConfig, ApplicationConfig: acl.ApplicationConfig, MonetizationConfig: acl.MonetizationConfig,
  };
}

/** The declared value of one argument written into the UpdateWebACL input (false when it is not writable). */
function applyDeclared(input: UpdateWebACLRequest, attribute: string, declared: Known, live: WebACL): boolean {
  const block = (v: Known): unknown => toApi(blocksOf(v)[0] ?? {});
  switch (attribute) {
    case 'description':
      input.Description = str(declared);
      return true;
    case 'default_action':
      input.DefaultAction = block(declared) as UpdateWebACLRequest['DefaultAction'];
      return true;
    case 'visibility_config':
      input.VisibilityConfig = block(declared) as UpdateWebACLRequest['VisibilityConfig'];
      return true;
    case 'rule': {
      const rules = blocksOf(declared).map((r) => toApi(r) as Rule);
      // As the provider does: keep the Shield Advanced rule AWS added unless the rules declare it.
      input.Rules = [...rules, ...(live.Rules ?? []).filter((r) => SHIELD_RULE.test(r.Name ?? '') && !rules.some((d) => d.Name === r.Name))];
      return true;
    }
    case 'rule_json': {
      if (typeof declared !== 'string') return false;
      input.Rules = rulesForSdk(declared) as Rule[];
      return true;
    }
    case 'association_config':
      input.AssociationConfig = blocksOf(declared).length ? (block(declared) as UpdateWebACLRequest['AssociationConfig']) : undefined;
      return true;
    case 'data_protection_config':
      input.DataProtectionConfig = blocksOf(declared).length ? (block(declared) as UpdateWebACLRequest['DataProtectionConfig']) : undefined;
      return true;
    case 'token_domains':
      input.TokenDomains = stringsOf(declared).length ? stringsOf(declared) : undefined;
      return true;
    case 'custom_response_body':
      input.CustomResponseBodies = responseBodiesToApi(declared) as UpdateWebACLRequest['CustomResponseBodies'];
      return true;
    case 'captcha_config':
      input.CaptchaConfig = blocksOf(declared).length ? (block(declared) as UpdateWebACLRequest['CaptchaConfig']) : undefined;
      return true;
    case 'challenge_config':
      input.ChallengeConfig = blocksOf(declared).length ? (block(declared) as UpdateWebACLRequest['ChallengeConfig']) : undefined;
      return true;
    default:
      return false;
  }
}

export const awsWafv2WebAcl: ResourceType = {
  type: 'aws_wafv2_web_acl',
  tags: true,
  attributes: [
    { name: 'name', compare: 'scalar', forceNew: true },
    { name: 'scope', compare: 'scalar', forceNew: true },
    // Optional, not computed: an undeclared description is none.
    { name: 'description', compare: 'scalar', default: '' },
    { name: 'default_action', compare: 'blocks', normalize: blockAtom, severity: 'error' },
    { name: 'visibility_config', compare: 'blocks', normalize: blockAtom, severity: 'warning' },
    { name: 'rule', compare: 'blocks', normalize: ruleAtoms, phrases: rulePhrases, default: [], severity: 'error' },
    // Compared only when declared (it conflicts with `rule`): the same canonical rules from the JSON text.
    { name: 'rule_json', compare: 'blocks', normalize: ruleJsonAtoms, severity: 'error' },
    { name: 'token_domains', compare: 'set', default: [] },
    { name: 'custom_response_body', compare: 'blocks', normalize: (v) => blocksOf(v).map((b) => blockAtom(b)[0] ?? '{}'), default: [] },
    { name: 'captcha_config', compare: 'blocks', normalize: blockAtom, default: [] },
    { name: 'challenge_config', compare: 'blocks', normalize: blockAtom, default: [] },
    // Compared only when declared: AWS may report settings for them that nobody set.
    { name: 'association_config', compare: 'blocks', normalize: blockAtom },
    { name: 'data_protection_config', compare: 'blocks', normalize: blockAtom },
  ],
  notCompared: {
    arn: 'computed by AWS', capacity: 'computed by AWS from the rules (web ACL capacity units)',
    lock_token: 'AWS issues a new one on every update: optimistic locking, not configuration',
    application_integration_url: 'computed by AWS', name_prefix: 'a Terraform-side way to generate the name (the name is compared)',
  },
  idFromState: (a) => str(a.id),
  importId: (live) => `${live.id}/${String(live.attributes.name ?? '')}/${String(live.attributes.scope ?? '')}`,
  suggestName: (live) => String(live.attributes.name ?? 'web_acl').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1') || 'web_acl',

  read(targets, ctx) {
    return perTarget(targets, ctx, async (t) => {
      const a = t.state.attributes;
      const scope = aclScope(a);
      const client = wafClient(ctx.clients, scope);
      const name = str(a.name) ?? '';
      let acl: WebACL | undefined;
      try {
        acl = (await ctx.clients.gate.call('wafv2:GetWebACL', () => client.send(new GetWebACLCommand({ Id: t.id, Name: name, Scope: scope })))).WebACL;
      } catch (error) {
        if (isNotFound(error)) return missingEntry(ctx, t.id, `web ACL ${name} (${t.id}, ${scope}) does not exist`);
        throw error;
      }
      if (!acl) return missingEntry(ctx, t.id, `web ACL ${name} (${t.id}, ${scope}) does not exist`);
      const rules = managedRules(acl.Rules ?? [], a.rule);
      // As the provider reads it: with rule_json set, `rule` is left empty and the JSON stands for the rules.
      const byJson = typeof a.rule_json === 'string' && a.rule_json !== '';
      const arn = acl.ARN ?? str(a.arn);
      return foundEntry(t, 'aws_wafv2_web_acl', ctx, {
        name: acl.Name ?? '', scope, description: acl.Description ?? '',
        default_action: plainJson(acl.DefaultAction ?? {}), visibility_config: plainJson(acl.VisibilityConfig ?? {}),
        rule: byJson ? [] : plainJson(rules), rule_json: byJson ? plainJson(rules) : '',
        token_domains: acl.TokenDomains ?? [], custom_response_body: responseBodiesFromApi(acl.CustomResponseBodies),
        captcha_config: plainJson(acl.CaptchaConfig ?? []), challenge_config: plainJson(acl.ChallengeConfig ?? []),
        association_config: plainJson(acl.AssociationConfig ?? []), data_protection_config: plainJson(acl.DataProtectionConfig ?? []),
        capacity: acl.Capacity ?? 0,
        tags: arn ? await tagsOf(client, arn, ctx) : {},
      }, { arn });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id, state } = request;
    const scope = aclScope(state.attributes);
    const client = wafClient(clients, scope);
    if (attribute === 'tags') {
      const arn = request.live.arn ?? str(state.attributes.arn);
      if (!arn) return { ok: false, message: 'the web ACL has no ARN in state or live' };
      return revertTagMap(request, untagThenTag(
        (keys) => clients.gate.call('wafv2:UntagResource', () => client.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: keys }))),
        (Tags) => clients.gate.call('wafv2:TagResource', () => client.send(new TagResourceCommand({ ResourceARN: arn, Tags }))),
      ));
    }
    const name = str(state.attributes.name) ?? String(request.live.attributes.name ?? '');
    const current = await clients.gate.call('wafv2:GetWebACL', () => client.send(new GetWebACLCommand({ Id: id, Name: name, Scope: scope })));
    if (!current.WebACL || !current.LockToken) return { ok: false, message: `web ACL ${name} (${id}) could not be read back` };
    const input = updateInput(current.WebACL, scope, current.LockToken);
    if (!applyDeclared(input, attribute, declared, current.WebACL)) return cannotRevert(attribute, 'Tidemark does not write this argument back yet');
    await clients.gate.call('wafv2:UpdateWebACL', () => client.send(new UpdateWebACLCommand(input)));
    return { ok: true, message: `${attribute} written back to web ACL ${name}` };
  },
};
