// aws_lb_listener ↔ ELBv2 DescribeListeners, one call (400 a page) per load balancer the state names:
// it answers for every listener of that balancer, so a listener absent from it is proven missing
// (by-ARN lookups fail whole when one is gone). Tags: DescribeTags, 20 ARNs a call.
import { Certificate, DescribeListenersCommand, Listener, ModifyListenerCommand, ProtocolEnum } from '@aws-sdk/client-elastic-load-balancing-v2';
import { cannotRevert, failureText, foundEntry, missingEntry, num, perTarget, str, unknownEntry } from './common';
import { actionAtoms, actionBlocks, apiActions, elbTags, errorCode, revertElbTags } from './elb-common';
import type { ResourceType } from './resource-type';

export const awsLbListener: ResourceType = {
  type: 'aws_lb_listener',
  tags: true,
  attributes: [
    { name: 'load_balancer_arn', compare: 'scalar', forceNew: true },
    { name: 'port', compare: 'scalar', severity: 'warning' },
    { name: 'protocol', compare: 'scalar', severity: 'warning' },
    { name: 'ssl_policy', compare: 'scalar', severity: 'warning' },
    { name: 'certificate_arn', compare: 'scalar', severity: 'warning' },
    { name: 'default_action', compare: 'blocks', normalize: actionAtoms, phrases: (v) => actionAtoms(v) as string[], severity: 'error' },
  ],
  notCompared: {
    alpn_policy: 'not read yet',
    mutual_authentication: 'not read yet',
    arn: 'computed by AWS',
  },
  idFromState: (a) => str(a.arn) ?? str(a.id),
  importId: (live) => live.id,
  suggestName: (live) => `listener_${String(live.attributes.port ?? '')}`,

  async read(targets, ctx) {
    const byBalancer = new Map<string, string[]>();
    for (const t of targets) {
      const lb = str(t.state.attributes.load_balancer_arn);
      if (lb) byBalancer.set(lb, [...(byBalancer.get(lb) ?? []), t.id]);
    }
    const listeners = new Map<string, Listener>();
    const gone = new Set<string>();
    const failed = new Map<string, string>();
    await Promise.all([...byBalancer.keys()].map(async (lb) => {
      try {
        let marker: string | undefined;
        do {
          const page = await ctx.clients.gate.call('elasticloadbalancing:DescribeListeners', () =>
            ctx.clients.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb, PageSize: 400, Marker: marker })));
          for (const l of page.Listeners ?? []) if (l.ListenerArn) listeners.set(l.ListenerArn, l);
          marker = page.NextMarker;
        } while (marker);
      } catch (error) {
        if (['LoadBalancerNotFound', 'LoadBalancerNotFoundException'].includes(errorCode(error))) gone.add(lb);
        else failed.set(lb, failureText(error));
      }
    }));
    let tags: Map<string, Record<string, string>>;
    try {
      tags = await elbTags(ctx, targets.map((t) => t.id).filter((id) => listeners.has(id)));
    } catch (error) {
      const reason = failureText(error);
      return new Map(targets.map((t) => [t.address, unknownEntry(ctx, reason)]));
    }
    return perTarget(targets, ctx, async (t) => {
      const lb = str(t.state.attributes.load_balancer_arn);
      if (!lb) return unknownEntry(ctx, 'state records no load_balancer_arn for this listener');
      const why = failed.get(lb);
      if (why) return unknownEntry(ctx, why);
      if (gone.has(lb)) return missingEntry(ctx, t.id, `listener ${t.id}: its load balancer ${lb} does not exist`);
      const l = listeners.get(t.id);
      if (!l) return missingEntry(ctx, t.id, `listener ${t.id} does not exist`);
      return foundEntry(t, 'aws_lb_listener', ctx, {
        load_balancer_arn: l.LoadBalancerArn,
        port: l.Port ?? null,
        protocol: l.Protocol ?? null,
        ssl_policy: l.SslPolicy ?? '',
        certificate_arn: l.Certificates?.find((c: Certificate) => c.IsDefault !== false)?.CertificateArn ?? '',
        default_action: actionBlocks(l.DefaultActions),
        tags: tags.get(t.id) ?? {},
      }, { arn: l.ListenerArn });
    });
  },

  async revert(request, clients) {
    const { attribute, declared, id } = request;
    const modify = async (input: Omit<ConstructorParameters<typeof ModifyListenerCommand>[0], 'ListenerArn'>, message: string) => {
      await clients.gate.call('elasticloadbalancing:ModifyListener', () => clients.elbv2.send(new ModifyListenerCommand({ ListenerArn: id, ...input })));
      return { ok: true, message };
    };
    switch (attribute) {
      case 'port':
        return modify({ Port: num(declared) }, `port set to ${String(declared)}`);
      case 'protocol':
        return modify({ Protocol: String(declared) as ProtocolEnum }, `protocol set to ${String(declared)}`);
      case 'ssl_policy':
        return modify({ SslPolicy: String(declared) }, `SSL policy set to ${String(declared)}`);
      case 'certificate_arn':
        return modify({ Certificates: [{ CertificateArn: String(declared) }] }, 'certificate restored');
      case 'default_action':
        return modify({ DefaultActions: apiActions(declared) }, 'default actions restored');
      case 'tags':
        return revertElbTags(clients, request);
      default:
        return cannotRevert(attribute);
    }
  },
};
