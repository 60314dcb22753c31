// lifecycle ignore_changes on a path inside a nested block (the provider's documented
// `scaling_config[0].desired_size` for node groups the Cluster Autoscaler resizes): a drift that
// only the ignored part explains is a hint, like any ignored drift; a change elsewhere in the same
// block is still drift.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diff, instance, live, summary } from './helpers';

const files = {
  'main.tf': `resource "aws_eks_node_group" "workers" {
  cluster_name    = "main"
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/nodes"
  subnet_ids      = ["subnet-1", "subnet-2"]
  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 5
  }
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
}
`,
};
const state = [instance('aws_eks_node_group.workers', { id: 'main:workers', cluster_name: 'main', node_group_name: 'workers' })];
const liveGroup = (scaling: Record<string, number>) => live('aws_eks_node_group.workers', 'aws_eks_node_group', 'main:workers', {
  cluster_name: 'main', node_group_name: 'workers', node_role_arn: 'arn:aws:iam::123456789012:role/nodes', subnet_ids: ['subnet-2', 'subnet-1'],
  scaling_config: [{ desired_size: 2, min_size: 1, max_size: 5, ...scaling }], labels: {}, taint: [],
});

test('a desired size the autoscaler moved is a hint under ignore_changes = [scaling_config[0].desired_size]', async () => {
  const r = await diff({ files, state, live: [liveGroup({ desired_size: 4 })] });
  assert.deepEqual(summary(r), ['changed aws_eks_node_group.workers scaling_config (suppressed)']);
  assert.equal(r.drifts[0]!.suppressed?.source, 'lifecycle');
  assert.equal(r.drifts[0]!.severity, 'hint');
});

test('a maximum changed by hand in the same block is still drift, whatever the desired size does', async () => {
  const r = await diff({ files, state, live: [liveGroup({ desired_size: 4, max_size: 9 })] });
  assert.deepEqual(summary(r), ['changed aws_eks_node_group.workers scaling_config']);
  assert.equal(r.drifts[0]!.suppressed, undefined);
});

test('without the ignore rule the moved desired size is drift', async () => {
  const plain = { 'main.tf': files['main.tf'].replace(/ {2}lifecycle \{[\s\S]*?\n {2}\}\n/, '') };
  const r = await diff({ files: plain, state, live: [liveGroup({ desired_size: 4 })] });
  assert.deepEqual(summary(r), ['changed aws_eks_node_group.workers scaling_config']);
});
