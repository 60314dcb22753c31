// Every name CloudTrail may record a live object under: EC2 records ids, S3 bucket names, IAM
// role names, the Tagging API ARNs. Pure, over the cached snapshot.
import type { LiveSnapshot } from '../drift/snapshot';
import type { Drift } from '../model';

export function resourceNames(drift: Pick<Drift, 'address' | 'liveId' | 'kind' | 'attributePath'>, snapshot: LiveSnapshot | undefined): string[] {
  const names: string[] = [];
  if (drift.liveId) names.push(drift.liveId);
  const entry = snapshot?.get(drift.address);
  if (entry?.status === 'found') names.push(entry.resource.id);
  // Only the Tagging API records ARNs, and it only changes tags: one lookup fewer for the rest.
  const tags = drift.attributePath[0] === 'tags' || drift.attributePath[0] === 'tags_all';
  if (tags && entry?.status === 'found' && entry.resource.arn) names.push(entry.resource.arn);
  if (tags && drift.kind === 'unmanaged') {
    const live = snapshot?.unmanaged.find((l) => l.id === drift.liveId);
    if (live?.arn) names.push(live.arn);
  }
  // Ids of sub-resources (`role:policy`) name their parent in CloudTrail.
  for (const n of [...names]) if (!n.startsWith('arn:') && n.includes(':')) names.push(n.split(':')[0]!);
  return [...new Set(names.filter(Boolean))];
}
