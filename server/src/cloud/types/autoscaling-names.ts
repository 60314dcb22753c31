// Auto Scaling Describe* by names: up to 50 names per call, paged by NextToken. Unknown names are
// left out without an error, so a name absent from a complete answer is proven missing.
import { chunk, failureText } from './common';
import type { ReadContext, ReadTarget } from './resource-type';

/** DescribeAutoScalingGroups and DescribePolicies take up to 50 names per call by default. */
const NAMES_PER_CALL = 50;

/**
 * Sends `call` for the targets' ids, 50 at a time, following NextToken; `collect` keeps a page's
 * items and returns its NextToken. Returns the failure text of each name whose call failed.
 */
export async function describeByNames<P>(
  ctx: ReadContext,
  targets: ReadTarget[],
  operation: string,
  call: (names: string[], token: string | undefined) => Promise<P>,
  collect: (page: P) => string | undefined,
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  await Promise.all(chunk([...new Set(targets.map((t) => t.id))], NAMES_PER_CALL).map(async (names) => {
    try {
      let token: string | undefined;
      do {
        const page = await ctx.clients.gate.call(operation, () => call(names, token));
        token = collect(page);
      } while (token);
    } catch (error) {
      for (const n of names) failed.set(n, failureText(error));
    }
  }));
  return failed;
}
