import { layoutGraph, type LineageEdge, type LineageNode, renderGraphSvg } from './lineage-graph';

const node = (id: string, version: number, kind: LineageNode['kind']): LineageNode => ({
  id,
  version,
  kind,
  status: 'ready',
  rowCount: 10 * version,
  columnCount: 3,
  createdBy: 'u',
  createdAt: new Date(0),
});
const edge = (from: string, to: string, op: string): LineageEdge => ({
  from,
  to,
  steps: [{ op, params: {} }],
  createdBy: 'u',
  createdAt: new Date(0),
});

describe('lineage graph', () => {
  // v1 → v2 → v4, v1 → v3 (a branch), v5 a new upload on top of v4.
  const nodes = [
    node('a', 1, 'upload'),
    node('b', 2, 'transformation'),
    node('c', 3, 'transformation'),
    node('d', 4, 'transformation'),
    node('e', 5, 'upload'),
  ];
  const edges = [
    edge('a', 'b', 'filter'),
    edge('a', 'c', 'scale'),
    edge('b', 'd', 'drop'),
    edge('d', 'e', ''),
  ];

  it('should place each version one column right of its parent and siblings on separate rows', () => {
    const graph = layoutGraph(nodes, edges);
    const at = Object.fromEntries(graph.nodes.map((n) => [n.id, n]));
    expect(at.b.x).toBeGreaterThan(at.a.x);
    expect(at.c.x).toBe(at.b.x);
    expect(at.c.y).toBeGreaterThan(at.b.y);
    expect(at.d.x).toBeGreaterThan(at.b.x);
    expect(at.e.x).toBeGreaterThan(at.d.x);
    for (const e of graph.edges) {
      const [[x1], [x2]] = e.points;
      expect(x2).toBeGreaterThan(x1);
    }
    expect(graph.width).toBeGreaterThanOrEqual(Math.max(...graph.nodes.map((n) => n.x)));
  });

  it('should render a self-contained SVG with escaped labels', () => {
    const svg = renderGraphSvg(layoutGraph(nodes, edges), 'Lineage of <sales & "costs">');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('&#60;sales &#38; &#34;costs&#34;&#62;');
    expect(svg).not.toContain('<sales');
    expect(svg.match(/<g class="node">/g)).toHaveLength(5);
    expect(svg.match(/<g class="edge">/g)).toHaveLength(4);
    expect(svg).not.toMatch(/(href|src)=/);
  });
});
