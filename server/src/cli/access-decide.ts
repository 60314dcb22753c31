// tidemark approve | deny | revoke | release | review <grant>: one module, one small command each.
import { Grant } from '../model';
import { BrokerClient } from '../access/client';
import { flagString, ParsedArgs } from './args';
import { COMMON_HELP, describeGrant, parseAccessArgs, printResult, requireId, withBroker } from './access-common';
import { CliCommand } from './io';

function decisionCommand(name: string, textFlag: string | undefined, explain: string, call: (c: BrokerClient, id: string, text: string | undefined) => Promise<Grant>): CliCommand {
  const usage = `usage: tidemark ${name} <grant>${textFlag ? ` [--${textFlag} TEXT]` : ''}\n  ${explain}\n${COMMON_HELP}`;
  return async (args, io) => {
    const parsed: ParsedArgs = parseAccessArgs(args, { values: textFlag ? [textFlag] : [] });
    if (parsed.flags.has('help')) { io.out(usage); return 0; }
    const id = requireId(parsed, usage);
    const grant = await withBroker(parsed, io, (client) => call(client, id, textFlag ? flagString(parsed, textFlag) : undefined));
    printResult(io, parsed, grant, () => describeGrant(grant));
    return 0;
  };
}

export const approve = decisionCommand('approve', 'comment', 'approve someone else\'s request; it activates once the policy\'s approval count is met',
  (c, id, comment) => c.call('approve', { id, comment }));
export const deny = decisionCommand('deny', 'comment', 'deny someone else\'s pending request',
  (c, id, comment) => c.call('deny', { id, comment }));
export const revoke = decisionCommand('revoke', 'reason', 'end a grant now; its issued credentials stop working at once',
  (c, id, reason) => c.call('revoke', { id, reason }));
export const release = decisionCommand('release', undefined, 'end your own active grant early',
  (c, id) => c.call('release', { id }));
export const review = decisionCommand('review', 'note', 'close the post-review of someone else\'s break-glass grant',
  (c, id, note) => c.call('review', { id, note }));
