// The cost-explorer graph (GET /graph) turned into what the page shows: the focus node, the
// other nodes as rows sorted by cost, each row's relationship read from the edges, and what a
// click on a row does (focus on an entity, or expand a group). Pure functions, unit-tested;
// costs stay the API's decimal strings and are compared exactly (money.ts).
import { compareAmounts } from './money';

export interface CrossReference {
  resource_type: string;
  items: { id: string; resource_type: string; display_name: string; cost: string }[];
  total_count: number;
}

export interface GraphNode {
  id: string;
  resource_type: string;
  display_name: string;
  cost: string;
  created_at?: string | null;
  deleted_at?: string | null;
  tags?: Record<string, string>;
  parent_id?: string | null;
  cloud?: string | null;
  region?: string | null;
  status?: string;
  cross_references?: CrossReference[];
  child_count?: number | null;
  child_total_cost?: string | null;
}

export interface GraphEdge {
  source: string;
  target: string;
  relationship_type: string;
  cost: string | null;
}

export interface GraphAnswer {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface SearchHit {
  id: string;
  resource_type: string;
  display_name: string;
  parent_id: string | null;
  parent_display_name: string | null;
  status: string;
}

/** Node types the engine makes up (not entities: they cannot be a focus). */
const SYNTHETIC = new Set(['tenant', 'group', 'capped_summary', 'zero_cost_summary']);

/** `{focus}:topic_group` → expand=topics, and so on (the engine's group node ids). */
const GROUP_EXPAND: [string, string][] = [
  [':topic_group', 'topics'],
  [':identity_group', 'identities'],
  [':resource_group', 'resources'],
  [':cluster_group', 'clusters'],
];

export type NodeAction =
  | { kind: 'focus'; focus: string }
  | { kind: 'expand'; expand: string }
  | { kind: 'none' };

/** What clicking a row does: focus on a real entity, list a group's members, or nothing. */
export function nodeAction(node: GraphNode): NodeAction {
  if (node.resource_type === 'group') {
    for (const [suffix, expand] of GROUP_EXPAND) {
      if (node.id.endsWith(suffix)) return { kind: 'expand', expand };
    }
    return { kind: 'none' };
  }
  if (SYNTHETIC.has(node.resource_type)) return { kind: 'none' };
  return { kind: 'focus', focus: node.id };
}

export function isGroup(node: GraphNode): boolean {
  return node.child_count !== null && node.child_count !== undefined;
}

/**
 * How a row relates to the focus, from the edges that touch it: "child", "child of <name>"
 * (depth > 1), "charge", "attribution"; several joined with " + ".
 */
export function relationship(node: GraphNode, focusId: string, edges: GraphEdge[], names: Map<string, string>): string {
  const out: string[] = [];
  for (const e of edges) {
    // A parent edge describes its target (a row's own children are not its relationship).
    const touches = e.target === node.id || (e.source === node.id && e.relationship_type !== 'parent');
    if (!touches) continue;
    const other = e.target === node.id ? e.source : e.target;
    let label = e.relationship_type === 'parent' ? 'child' : e.relationship_type;
    if (other !== focusId) label += ` of ${names.get(other) ?? other}`;
    if (!out.includes(label)) out.push(label);
  }
  return out.length ? out.join(' + ') : '—';
}

export interface Row {
  node: GraphNode;
  relationship: string;
  action: NodeAction;
}

/** The focus node (the first node) and the other nodes as rows, by cost descending then name. */
export function explorerView(answer: GraphAnswer): { focus: GraphNode; rows: Row[] } | null {
  if (!answer || !Array.isArray(answer.nodes) || answer.nodes.length === 0) return null;
  const [focus, ...others] = answer.nodes;
  const edges = Array.isArray(answer.edges) ? answer.edges : [];
  const names = new Map(answer.nodes.map((n) => [n.id, n.display_name || n.id]));
  const rows = others.map((node) => ({
    node,
    relationship: relationship(node, focus.id, edges, names),
    action: nodeAction(node),
  }));
  rows.sort((a, b) => {
    const c = compareAmounts(b.node.cost, a.node.cost);
    if (c !== 0) return c;
    const an = a.node.display_name || a.node.id, bn = b.node.display_name || b.node.id;
    return an < bn ? -1 : an > bn ? 1 : a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0;
  });
  return { focus, rows };
}

export interface Crumb {
  id: string;
  name: string;
}

/**
 * The focus's ancestors by parent_id, root first, found with `lookup` (graph/search by id; an
 * exact id match only). Stops at a parent that is not an entity, at a cycle, or after `max`.
 */
export async function ancestors(
  focus: GraphNode,
  lookup: (id: string) => Promise<SearchHit | undefined>,
  max = 6,
): Promise<Crumb[]> {
  const out: Crumb[] = [];
  const seen = new Set([focus.id]);
  let next = focus.parent_id ?? null;
  while (next && !seen.has(next) && out.length < max) {
    seen.add(next);
    const hit = await lookup(next);
    if (!hit) break;
    out.unshift({ id: hit.id, name: hit.display_name || hit.id });
    next = hit.parent_id;
  }
  return out;
}

/** The exact-id hit of a graph/search answer, if any. */
export function exactHit(results: SearchHit[] | undefined, id: string): SearchHit | undefined {
  return (results ?? []).find((r) => r.id === id);
}
