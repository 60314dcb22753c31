// Shared by the Elastic Load Balancing v2 types: tags (the Tagging API's when it returned them,
// else DescribeTags, 20 ARNs a call), attributes as key/value pairs, listener and rule actions in
// both shapes (Terraform blocks and the API's structures) and their comparison atoms.
import {
  Action, ActionTypeEnum, AddTagsCommand, DescribeTagsCommand, RedirectActionStatusCodeEnum, RemoveTagsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Known } from '../../drift/values';
import type { AwsClients } from '../clients';
import { AwsCallError, describeError } from '../errors';
import { blocksOf, firstBlock, type Block } from './blocks';
import { chunk, num, str, revertTagMap, untagThenTag } from './common';
import type { ReadContext, RevertOutcome, RevertRequest } from './resource-type';

/** Tags of many ELB objects: from the Tagging API where it answered, DescribeTags for the rest. */
export async function elbTags(ctx: ReadContext, arns: string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const rest: string[] = [];
  for (const arn of new Set(arns)) {
    const known = ctx.tagsByArn.get(arn);
    if (known) out.set(arn, known);
    else rest.push(arn);
  }
  await Promise.all(chunk(rest, 20).map(async (group) => {
    const page = await ctx.clients.gate.call('elasticloadbalancing:DescribeTags', () => ctx.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: group })));
    for (const d of page.TagDescriptions ?? []) {
      const tags: Record<string, string> = {};
      for (const t of d.Tags ?? []) if (t.Key && !t.Key.startsWith('aws:')) tags[t.Key] = t.Value ?? '';
      if (d.ResourceArn) out.set(d.ResourceArn, tags);
    }
  }));
  return out;
}

/** Writes the declared tags back on one ELB object (by its ARN). */
export function revertElbTags(clients: AwsClients, request: RevertRequest): Promise<RevertOutcome> {
  const arn = request.live.arn ?? request.id;
  return revertTagMap(request, untagThenTag(
    (TagKeys) => clients.gate.call('elasticloadbalancing:RemoveTags', () => clients.elbv2.send(new RemoveTagsCommand({ ResourceArns: [arn], TagKeys }))),
    (Tags) => clients.gate.call('elasticloadbalancing:AddTags', () => clients.elbv2.send(new AddTagsCommand({ ResourceArns: [arn], Tags }))),
  ));
}

/** The provider's redirect defaults: an unset part keeps the request's own (`#{host}` and so on). */
const REDIRECT_DEFAULTS: Record<string, string> = { host: '#{host}', path: '/#{path}', port: '#{port}', protocol: '#{protocol}', query: '#{query}' };

/**
 * One `action` / `default_action` block as comparison atoms. `order` is left out: AWS numbers
 * actions itself when the configuration does not (the provider's order is Optional+Computed).
 */
function actionAtom(a: Block): string {
  const type = String(a.type ?? '');
  switch (type) {
    case 'forward': {
      const forward = firstBlock(a.forward);
      const groups = forward ? blocksOf(forward.target_group).map((g) => `${String(g.arn)}@${num(g.weight as Known) ?? 1}`).sort() : [];
      const single = str(a.target_group_arn);
      // A forward block with one group is the same as target_group_arn (AWS reports both shapes).
      const targets = groups.length === 1 ? [groups[0]!.replace(/@\d+$/, '')] : groups.length ? groups : single ? [single] : [];
      return `forward to ${targets.join(', ')}`;
    }
    case 'redirect': {
      const r = firstBlock(a.redirect) ?? {};
      const parts = Object.keys(REDIRECT_DEFAULTS).map((k) => `${k}=${str(r[k]) ?? REDIRECT_DEFAULTS[k]}`);
      return `redirect ${String(r.status_code ?? '')} ${parts.join(' ')}`;
    }
    case 'fixed-response': {
      const f = firstBlock(a.fixed_response) ?? {};
      return `fixed-response ${String(f.status_code ?? '')} ${String(f.content_type ?? '')} ${JSON.stringify(str(f.message_body) ?? '')}`;
    }
    default:
      return type;
  }
}

export function actionAtoms(v: Known): Known {
  return blocksOf(v).map(actionAtom);
}

/** The API's actions as Terraform blocks. */
export function actionBlocks(actions: Action[] | undefined): Block[] {
  return (actions ?? []).map((a) => {
    const groups = a.ForwardConfig?.TargetGroups ?? [];
    return {
      type: a.Type ?? '',
      order: a.Order ?? null,
      target_group_arn: a.TargetGroupArn ?? (groups.length === 1 ? groups[0]!.TargetGroupArn ?? '' : ''),
      forward: groups.length > 1 ? [{ target_group: groups.map((g) => ({ arn: g.TargetGroupArn ?? '', weight: g.Weight ?? 1 })) }] : [],
      redirect: a.RedirectConfig ? [{
        status_code: a.RedirectConfig.StatusCode ?? '', host: a.RedirectConfig.Host ?? '#{host}', path: a.RedirectConfig.Path ?? '/#{path}',
        port: a.RedirectConfig.Port ?? '#{port}', protocol: a.RedirectConfig.Protocol ?? '#{protocol}', query: a.RedirectConfig.Query ?? '#{query}',
      }] : [],
      fixed_response: a.FixedResponseConfig ? [{
        status_code: a.FixedResponseConfig.StatusCode ?? '', content_type: a.FixedResponseConfig.ContentType ?? '', message_body: a.FixedResponseConfig.MessageBody ?? '',
      }] : [],
    } as Block;
  });
}

/** Terraform action blocks as the API's actions (for ModifyListener / ModifyRule). */
export function apiActions(v: Known): Action[] {
  return blocksOf(v).map((a, i): Action => {
    const type = String(a.type) as ActionTypeEnum;
    const forward = firstBlock(a.forward);
    const redirect = firstBlock(a.redirect);
    const fixed = firstBlock(a.fixed_response);
    return {
      Type: type,
      Order: num(a.order as Known) ?? i + 1,
      TargetGroupArn: type === 'forward' && !forward ? str(a.target_group_arn) : undefined,
      ForwardConfig: type === 'forward' && forward ? { TargetGroups: blocksOf(forward.target_group).map((g) => ({ TargetGroupArn: String(g.arn), Weight: num(g.weight as Known) })) } : undefined,
      RedirectConfig: type === 'redirect' && redirect ? {
        StatusCode: String(redirect.status_code) as RedirectActionStatusCodeEnum, Host: str(redirect.host), Path: str(redirect.path), Port: str(redirect.port),
        Protocol: str(redirect.protocol), Query: str(redirect.query),
      } : undefined,
      FixedResponseConfig: type === 'fixed-response' && fixed ? { StatusCode: String(fixed.status_code), ContentType: str(fixed.content_type), MessageBody: str(fixed.message_body) } : undefined,
    };
  });
}

/** `Attributes` key/value pairs as a map. */
export function attributeMap(list: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list ?? []) if (a.Key) out[a.Key] = a.Value ?? '';
  return out;
}

/** `true`/`false` attribute text as a boolean (absent stays absent). */
export function flag(v: string | undefined): boolean | undefined {
  return v === undefined ? undefined : v === 'true';
}

/** The AWS error code of a failed call (the gate wraps failures; the SDK names them by class). */
export function errorCode(error: unknown): string {
  return (error instanceof AwsCallError ? error.failure : describeError(error)).code;
}
