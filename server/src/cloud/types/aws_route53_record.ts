// aws_route53_record ↔ the ListResourceRecordSets family: one listing per hosted zone serves every
// record in it. Simple, weighted and alias records are compared; the other routing policies are not
// read yet. Writes UPSERT the whole record set, as Terraform does.
import { ChangeResourceRecordSetsCommand, ResourceRecordSet, RRType } from '@aws-sdk/client-route-53';
import { isObject, Known } from '../../drift/values';
import { member } from '../families/family';
import { route53RecordsFamily, zoneGone, zoneKey } from '../families/route53-records';
import { cannotRevert, foundEntry, missingEntry, num, str, unknownEntry } from './common';
import type { ResourceType } from './resource-type';
import { dnsName } from './aws_route53_zone';

/** TXT/SPF values come back quoted; Terraform's are written without the outer quotes. */
function recordValue(v: Known): Known {
  return typeof v === 'string' && /^"[^"]*"$/.test(v) ? v.slice(1, -1) : v;
}

/** Alias targets: case, the trailing dot and ELB's `dualstack.` prefix do not matter. */
function aliasAtoms(v: Known): Known {
  const list = Array.isArray(v) ? v : [v];
  return list.filter((a): a is Record<string, Known> => isObject(a)).map((a) => ({
    name: typeof a.name === 'string' ? String(dnsName(a.name)).replace(/^dualstack\./, '') : null,
    zone_id: a.zone_id ?? null,
    evaluate_target_health: a.evaluate_target_health === true || a.evaluate_target_health === 'true',
  }));
}

function weightAtoms(v: Known): Known {
  const list = Array.isArray(v) ? v : [v];
  return list.filter((w): w is Record<string, Known> => isObject(w)).map((w) => ({ weight: num(w.weight) ?? null }));
}

/** The absolute name a state instance names (relative names are under the zone apex). */
function absoluteName(attrs: Record<string, unknown>, apex: string | undefined): string | undefined {
  const fqdn = str(attrs.fqdn);
  const name = str(attrs.name);
  const given = String(dnsName(fqdn ?? name ?? '') ?? '');
  if (!given && apex) return apex;
  if (!apex || given === apex || given.endsWith(`.${apex}`)) return given;
  return `${given}.${apex}`;
}

export function recordAttributes(zoneId: string, r: ResourceRecordSet): Record<string, unknown> {
  return {
    zone_id: zoneId,
    name: dnsName(r.Name ?? ''),
    type: r.Type,
    ttl: r.TTL ?? 0,
    records: (r.ResourceRecords ?? []).map((x) => x.Value ?? ''),
    set_identifier: r.SetIdentifier ?? '',
    health_check_id: r.HealthCheckId ?? '',
    alias: r.AliasTarget ? [{ name: r.AliasTarget.DNSName, zone_id: r.AliasTarget.HostedZoneId, evaluate_target_health: r.AliasTarget.EvaluateTargetHealth ?? false }] : [],
    weighted_routing_policy: r.Weight !== undefined ? [{ weight: r.Weight }] : [],
  };
}

export const awsRoute53Record: ResourceType = {
  type: 'aws_route53_record',
  tags: false,
  attributes: [
    { name: 'zone_id', compare: 'scalar', forceNew: true },
    { name: 'name', compare: 'scalar', normalize: dnsName, forceNew: true },
    { name: 'type', compare: 'scalar', forceNew: true },
    { name: 'ttl', compare: 'scalar', severity: 'warning' },
    { name: 'records', compare: 'set', normalize: recordValue, severity: 'error' },
    { name: 'set_identifier', compare: 'scalar', default: '', forceNew: true },
    { name: 'health_check_id', compare: 'scalar', default: '' },
    { name: 'alias', compare: 'blocks', normalize: aliasAtoms, severity: 'error' },
    { name: 'weighted_routing_policy', compare: 'blocks', normalize: weightAtoms },
  ],
  notCompared: {
    failover_routing_policy: 'not read yet', geolocation_routing_policy: 'not read yet', geoproximity_routing_policy: 'not read yet',
    latency_routing_policy: 'not read yet', cidr_routing_policy: 'not read yet', multivalue_answer_routing_policy: 'not read yet',
    allow_overwrite: 'a flag of the create call, not a property of the record',
  },
  idFromState: (a) => str(a.id) ?? (str(a.zone_id) && str(a.name) && str(a.type) ? [a.zone_id, a.name, a.type, ...(str(a.set_identifier) ? [a.set_identifier] : [])].join('_') : undefined),
  importId: (live) => live.id,
  suggestName: (live) => `${String(live.attributes.name ?? live.id)}_${String(live.attributes.type ?? '')}`.replace(/[^A-Za-z0-9_]/g, '_'),

  family: member(route53RecordsFamily, {
    keys: (t) => {
      const zone = str(t.state.attributes.zone_id) ?? t.id.split('_')[0];
      return zone ? [zoneKey(zone)] : 'state records no zone_id for this record';
    },
    pick(t, rows, ctx) {
      const key = zoneKey(str(t.state.attributes.zone_id) ?? t.id.split('_')[0]!);
      const found = rows.lookup(key);
      if ('failure' in found) return zoneGone(found.failure) ? missingEntry(ctx, t.id, `hosted zone ${key.value} does not exist`) : unknownEntry(ctx, found.failure);
      const apex = found.items.find((r) => r.Type === 'SOA')?.Name;
      const name = absoluteName(t.state.attributes, apex ? String(dnsName(apex)) : undefined);
      const type = str(t.state.attributes.type);
      const setId = str(t.state.attributes.set_identifier) ?? '';
      if (!name || !type) return unknownEntry(ctx, 'state records no name or type for this record');
      const r = found.items.find((x) => dnsName(x.Name ?? '') === name && x.Type === type && (x.SetIdentifier ?? '') === setId);
      if (!r) return missingEntry(ctx, t.id, `record ${name} ${type} does not exist in zone ${key.value}`);
      const attributes = recordAttributes(key.value, r);
      // Long TXT values split into quoted chunks: how Terraform joins them is not certain, so they are not compared.
      const split = (r.Type === 'TXT' || r.Type === 'SPF') && (r.ResourceRecords ?? []).some((x) => /"\s+"/.test(x.Value ?? ''));
      return foundEntry(t, 'aws_route53_record', ctx, { ...attributes, name: t.state.attributes.name ?? attributes.name }, split ? { unknownAttributes: { records: 'TXT value split into several strings' } } : {});
    },
  }),

  async revert(request, clients) {
    const { attribute, declared, live } = request;
    if (!['ttl', 'records', 'alias', 'weighted_routing_policy', 'health_check_id'].includes(attribute)) return cannotRevert(attribute);
    const merged: Record<string, unknown> = { ...live.attributes, [attribute]: declared };
    const type = String(live.attributes.type) as RRType;
    const zone = String(live.attributes.zone_id);
    const apexName = String(request.state.attributes.fqdn ?? live.attributes.name);
    const alias = (Array.isArray(merged.alias) ? merged.alias : []).filter(isObject)[0];
    const weight = (Array.isArray(merged.weighted_routing_policy) ? merged.weighted_routing_policy : []).filter(isObject)[0];
    const quote = (v: string) => ((type === 'TXT' || type === 'SPF') && !v.startsWith('"') ? `"${v}"` : v);
    const set: ResourceRecordSet = {
      Name: apexName, Type: type,
      ...(str(merged.set_identifier) ? { SetIdentifier: String(merged.set_identifier) } : {}),
      ...(weight ? { Weight: num(weight.weight as Known) } : {}),
      ...(str(merged.health_check_id) ? { HealthCheckId: String(merged.health_check_id) } : {}),
      ...(alias
        ? { AliasTarget: { DNSName: String(alias.name), HostedZoneId: String(alias.zone_id), EvaluateTargetHealth: alias.evaluate_target_health === true } }
        : { TTL: num(merged.ttl as Known) ?? 300, ResourceRecords: (Array.isArray(merged.records) ? merged.records : []).map((v) => ({ Value: quote(String(v)) })) }),
    };
    await clients.gate.call('route53:ChangeResourceRecordSets', () => clients.route53.send(new ChangeResourceRecordSetsCommand({
      HostedZoneId: zone, ChangeBatch: { Comment: 'tidemark revert', Changes: [{ Action: 'UPSERT', ResourceRecordSet: set }] },
    })));
    return { ok: true, message: `${attribute} of ${apexName} ${type} restored` };
  },
};
