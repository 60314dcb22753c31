// aws_cloudwatch_event_target ↔ the EventBridge targets family: one ListTargetsByRule per rule
// (AWS has no listing across rules) serves every target of that rule. Read by bus, rule and target
// id — the import id `bus/rule/target_id`.
import { ListTargetsByRuleCommand, PutTargetsCommand, Target } from '@aws-sdk/client-eventbridge';
import { cannotRevert, foundEntry, missingEntry, str, unknownEntry } from './common';
import { busNameOf, DEFAULT_BUS, eventTargetsFamily, ruleKey } from '../families/eventbridge';
import { member } from '../families/family';
import { canonicalDocument } from './events-common';
import type { ResourceType } from './resource-type';

/** `bus/rule/target` → parts (rule names and target ids contain no '/'; bus names may). */
function parseId(id: string): [string, string, string] | undefined {
  const parts = id.split('/');
  if (parts.length < 3) return undefined;
  const target = parts.pop()!;
  const rule = parts.pop()!;
  return [parts.join('/'), rule, target];
}

export const awsCloudwatchEventTarget: ResourceType = {
  type: 'aws_cloudwatch_event_target',
  tags: false,
  attributes: [
    { name: 'rule', compare: 'scalar', forceNew: true },
    { name: 'target_id', compare: 'scalar', forceNew: true },
    { name: 'event_bus_name', compare: 'scalar', default: DEFAULT_BUS, forceNew: true, normalize: (v) => busNameOf(v) },
    { name: 'arn', compare: 'scalar', severity: 'warning' },
    { name: 'role_arn', compare: 'scalar', default: '' },
    { name: 'input', compare: 'scalar', default: '', normalize: canonicalDocument },
    { name: 'input_path', compare: 'scalar', default: '' },
  ],
  notCompared: {
    input_transformer: 'not read yet',
    retry_policy: 'not read yet',
    dead_letter_config: 'not read yet',
    run_command_targets: 'not read yet',
    ecs_target: 'not read yet',
    batch_target: 'not read yet',
    kinesis_target: 'not read yet',
    sqs_target: 'not read yet',
    http_target: 'not read yet',
    redshift_target: 'not read yet',
    sagemaker_pipeline_target: 'not read yet',
    appsync_target: 'not read yet',
    force_destroy: 'a Terraform-side deletion setting; AWS has nothing to compare it with',
  },
  idFromState: (a) => {
    const rule = str(a.rule);
    const target = str(a.target_id);
    return rule && target ? `${busNameOf(a.event_bus_name)}/${rule}/${target}` : undefined;
  },
  importId: (live) => live.id,
  suggestName: (live) => (parseId(live.id)?.slice(1).join('_') ?? 'target').replace(/[^A-Za-z0-9_]/g, '_').replace(/^([^A-Za-z_])/, '_$1'),

  family: member<Target>(eventTargetsFamily, {
    keys(t) {
      const p = parseId(t.id);
      return p ? [ruleKey(p[0], p[1])] : `cannot read target id ${t.id} (expected bus/rule/target_id)`;
    },
    pick(t, rows, ctx) {
      const [bus, rule, id] = parseId(t.id)!;
      const found = rows.lookup(ruleKey(bus, rule));
      if ('failure' in found) return unknownEntry(ctx, found.failure);
      const x = found.items.find((i) => i.Id === id);
      if (!x) return missingEntry(ctx, t.id, `rule ${rule} on bus ${bus} has no target ${id}`);
      return foundEntry(t, 'aws_cloudwatch_event_target', ctx, {
        rule, target_id: id, event_bus_name: bus, arn: x.Arn ?? '', role_arn: x.RoleArn ?? '', input: x.Input ?? '', input_path: x.InputPath ?? '',
      });
    },
  }),

  async revert(request, clients) {
    const { attribute, declared } = request;
    const p = parseId(request.id);
    if (!p) return { ok: false, message: `cannot read target id ${request.id}` };
    const [bus, rule, id] = p;
    // PutTargets replaces the whole target: start from the target as it is now (with every
    // setting, including those Tidemark does not compare), change one field.
    const listed = await clients.gate.call('events:ListTargetsByRule', () => clients.events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: bus, Limit: 100 })));
    const now = listed.Targets?.find((x) => x.Id === id);
    if (!now) return { ok: false, message: `rule ${rule} no longer has target ${id}` };
    const next: Target = { ...now };
    const text = typeof declared === 'string' && declared !== '' ? declared : undefined;
    switch (attribute) {
      case 'arn':
        if (!text) return { ok: false, message: 'declared arn is empty' };
        next.Arn = text;
        break;
      case 'role_arn': next.RoleArn = text; break;
      case 'input':
        next.Input = text ?? (declared !== null && typeof declared === 'object' ? JSON.stringify(declared) : undefined);
        if (next.Input !== undefined) next.InputPath = undefined;
        break;
      case 'input_path':
        next.InputPath = text;
        if (text !== undefined) next.Input = undefined;
        break;
      default:
        return cannotRevert(attribute);
    }
    const out = await clients.gate.call('events:PutTargets', () => clients.events.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [next] })));
    const failed = out.FailedEntries?.[0];
    if (failed) return { ok: false, message: `PutTargets refused target ${id}: ${failed.ErrorCode ?? ''}: ${failed.ErrorMessage ?? ''}` };
    return { ok: true, message: `${attribute} restored` };
  },
};
