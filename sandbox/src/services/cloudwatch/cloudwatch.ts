// CloudWatch (SigV4 service `monitoring`): the operation table the server routes JSON 1.0 calls to
// — alarms, dashboards, and the tag calls on an alarm ARN.
import type { CallContext } from '../../context';
import { json } from '../../protocol/json11';
import { alarmByArn, alarmOperations } from './alarms';
import { dashboardOperations } from './dashboards';
import { cloudwatchError } from './errors';

type Handler = (ctx: CallContext, input: Record<string, unknown>) => Record<string, unknown>;

export const cloudwatchOperations: Record<string, Handler> = {
  ...alarmOperations,
  ...dashboardOperations,
  ListTagsForResource(ctx, input) {
    const alarm = alarmByArn(ctx, input, 'cloudwatch:ListTagsForResource');
    return { Tags: Object.entries(alarm.tags).map(([Key, Value]) => ({ Key, Value })) };
  },
  TagResource(ctx, input) {
    const alarm = alarmByArn(ctx, input, 'cloudwatch:TagResource');
    const next = { ...alarm.tags };
    for (const t of json.list(input, 'Tags') ?? []) {
      const k = json.str(t, 'Key');
      const v = json.str(t, 'Value');
      if (k === undefined || v === undefined) throw cloudwatchError('InvalidParameterValue', 'Tag keys and values must not be null.');
      if (k.startsWith('aws:')) throw cloudwatchError('InvalidParameterValue', 'Tag keys beginning with aws: are reserved.');
      next[k] = v;
    }
    if (Object.keys(next).length > 50) throw cloudwatchError('LimitExceeded', 'A resource can have no more than 50 tags.');
    alarm.tags = next;
    return {};
  },
  UntagResource(ctx, input) {
    const alarm = alarmByArn(ctx, input, 'cloudwatch:UntagResource');
    for (const k of json.strings(input, 'TagKeys') ?? []) delete alarm.tags[k];
    return {};
  },
};
