import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ancestors, exactHit, explorerView, GraphAnswer, GraphNode, nodeAction, SearchHit } from '../src/graph';
import { previousMonth } from '../src/url';

function node(id: string, type: string, cost: string, extra: Partial<GraphNode> = {}): GraphNode {
  return {
    id, resource_type: type, display_name: id, cost, created_at: null, deleted_at: null, tags: {},
    parent_id: null, cloud: null, region: null, status: 'active', cross_references: [],
    child_count: null, child_total_cost: null, ...extra,
  };
}

test('the root view: the tenant node is the focus, environments are rows by cost (exact, not float)', () => {
  const answer: GraphAnswer = {
    nodes: [
      node('acme', 'tenant', '300.3000'),
      // As decimals 0.1 + 0.2 style values: compared exactly, 100.1 > 100.0999 > 99.9999.
      node('env-a', 'environment', '99.9999'),
      node('env-b', 'environment', '100.1002'),
      node('env-c', 'environment', '100.0999'),
      node('env-d', 'environment', '0.0000'),
    ],
    edges: ['env-a', 'env-b', 'env-c', 'env-d'].map((t) => ({ source: 'acme', target: t, relationship_type: 'parent', cost: null })),
  };
  const v = explorerView(answer)!;
  assert.equal(v.focus.id, 'acme');
  assert.deepEqual(v.rows.map((r) => r.node.id), ['env-b', 'env-c', 'env-a', 'env-d']);
  assert.deepEqual(v.rows.map((r) => r.relationship), ['child', 'child', 'child', 'child']);
  assert.deepEqual(v.rows[0].action, { kind: 'focus', focus: 'env-b' });
  assert.equal(nodeAction(v.focus).kind, 'none');
});

test('a cluster view: charge and attribution relationships, groups expand, summaries do nothing', () => {
  const answer: GraphAnswer = {
    nodes: [
      node('lkc-1', 'kafka_cluster', '50.0000', { parent_id: 'env-a' }),
      node('lkc-1:topic:orders', 'topic', '7.2000', { parent_id: 'lkc-1' }),
      node('sa-1', 'service_account', '12.0000', { cross_references: [{ resource_type: 'kafka_cluster', items: [], total_count: 2 }] }),
      node('lkc-1:topic_group', 'group', '3.0000', { display_name: '25 topics', child_count: 25, child_total_cost: '3.0000' }),
      node('lkc-1:zero_cost_identities', 'zero_cost_summary', '0.0000', { child_count: 4, child_total_cost: '0.0000' }),
    ],
    edges: [
      { source: 'lkc-1', target: 'lkc-1:topic:orders', relationship_type: 'parent', cost: null },
      { source: 'lkc-1', target: 'lkc-1:topic_group', relationship_type: 'parent', cost: null },
      { source: 'lkc-1', target: 'sa-1', relationship_type: 'charge', cost: '12.0000' },
      { source: 'lkc-1', target: 'lkc-1:zero_cost_identities', relationship_type: 'charge', cost: null },
      { source: 'lkc-1', target: 'lkc-1:topic:orders', relationship_type: 'attribution', cost: '7.2000' },
    ],
  };
  const v = explorerView(answer)!;
  assert.deepEqual(v.rows.map((r) => r.node.id), ['sa-1', 'lkc-1:topic:orders', 'lkc-1:topic_group', 'lkc-1:zero_cost_identities']);
  const by = Object.fromEntries(v.rows.map((r) => [r.node.id, r]));
  assert.equal(by['sa-1'].relationship, 'charge');
  assert.equal(by['lkc-1:topic:orders'].relationship, 'child + attribution');
  assert.deepEqual(by['lkc-1:topic_group'].action, { kind: 'expand', expand: 'topics' });
  assert.deepEqual(by['lkc-1:zero_cost_identities'].action, { kind: 'none' });
  assert.deepEqual(nodeAction(node('x:identity_group', 'group', '0')), { kind: 'expand', expand: 'identities' });
  assert.deepEqual(nodeAction(node('x:resource_group', 'group', '0')), { kind: 'expand', expand: 'resources' });
  assert.deepEqual(nodeAction(node('x:cluster_group', 'group', '0')), { kind: 'expand', expand: 'clusters' });
  assert.deepEqual(nodeAction(node('sa-9', 'user', '0')), { kind: 'focus', focus: 'sa-9' });
});

test('an identity view and depth > 1 say which node a row hangs off', () => {
  const identity = explorerView({
    nodes: [node('sa-1', 'service_account', '5.0000'), node('lkc-1', 'kafka_cluster', '5.0000')],
    edges: [{ source: 'lkc-1', target: 'sa-1', relationship_type: 'charge', cost: '5.0000' }],
  })!;
  assert.equal(identity.rows[0].relationship, 'charge');
  const deep = explorerView({
    nodes: [node('env-a', 'environment', '9.0000'), node('lkc-1', 'kafka_cluster', '9.0000', { display_name: 'Orders cluster' }),
      node('lkc-1:topic:t', 'topic', '1.0000')],
    edges: [
      { source: 'env-a', target: 'lkc-1', relationship_type: 'parent', cost: null },
      { source: 'lkc-1', target: 'lkc-1:topic:t', relationship_type: 'parent', cost: null },
    ],
  })!;
  assert.equal(deep.rows.find((r) => r.node.id === 'lkc-1:topic:t')!.relationship, 'child of Orders cluster');
  assert.equal(deep.rows.find((r) => r.node.id === 'lkc-1')!.relationship, 'child');
});

test('an answer without nodes is no view (the page then says there is no data)', () => {
  assert.equal(explorerView({ nodes: [], edges: [] }), null);
  assert.equal(explorerView({ items: [] } as unknown as GraphAnswer), null);
});

test('ancestors walk parent_id to the top, root first, and stop at unknown parents and cycles', async () => {
  const hits: Record<string, SearchHit> = {
    'lkc-1': { id: 'lkc-1', resource_type: 'kafka_cluster', display_name: 'Orders', parent_id: 'env-a', parent_display_name: 'Prod', status: 'active' },
    'env-a': { id: 'env-a', resource_type: 'environment', display_name: 'Prod', parent_id: 'org-1', parent_display_name: null, status: 'active' },
  };
  const asked: string[] = [];
  const lookup = async (id: string) => { asked.push(id); return hits[id]; };
  const topic = node('lkc-1:topic:t', 'topic', '1.0000', { parent_id: 'lkc-1' });
  assert.deepEqual(await ancestors(topic, lookup), [{ id: 'env-a', name: 'Prod' }, { id: 'lkc-1', name: 'Orders' }]);
  assert.deepEqual(asked, ['lkc-1', 'env-a', 'org-1']);
  assert.deepEqual(await ancestors(node('sa-1', 'service_account', '0'), lookup), []);
  const loop = async (id: string): Promise<SearchHit> => ({ id, resource_type: 'x', display_name: id, parent_id: id === 'a' ? 'b' : 'a', parent_display_name: null, status: 'active' });
  assert.deepEqual((await ancestors(node('a', 'x', '0', { parent_id: 'b' }), loop)).map((c) => c.id), ['b']);
  const chain = async (id: string): Promise<SearchHit> => ({ id, resource_type: 'x', display_name: id, parent_id: `${id}+`, parent_display_name: null, status: 'active' });
  assert.equal((await ancestors(node('a', 'x', '0', { parent_id: 'p' }), chain, 4)).length, 4);
});

test('exactHit takes only the result whose id is the one asked for', () => {
  const r = (id: string): SearchHit => ({ id, resource_type: 'x', display_name: id, parent_id: null, parent_display_name: null, status: 'active' });
  assert.equal(exactHit([r('env-ab'), r('env-a')], 'env-a')?.id, 'env-a');
  assert.equal(exactHit([r('env-ab')], 'env-a'), undefined);
  assert.equal(exactHit(undefined, 'env-a'), undefined);
});

test('previousMonth is the FOCUS billing period before today, across a year end', () => {
  assert.equal(previousMonth('2026-12-02'), '2026-11');
  assert.equal(previousMonth('2026-01-31'), '2025-12');
  assert.equal(previousMonth('2026-10-01'), '2026-09');
});
