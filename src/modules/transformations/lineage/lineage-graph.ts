/** A node of a dataset's version graph: one version. */
export interface LineageNode {
  id: string;
  version: number;
  kind: 'upload' | 'transformation';
  status: string;
  rowCount?: number;
  columnCount?: number;
  contentHash?: string;
  createdBy: string;
  createdAt: Date;
}

/** An edge: the pipeline that made `to` from `from`. */
export interface LineageEdge {
  from: string;
  to: string;
  runId?: string;
  pipelineHash?: string;
  steps: Record<string, unknown>[];
  /** What each step learned when the version was made (absent for an uploaded version). */
  fitted?: Record<string, unknown>;
  recipe?: { id: string; name: string; version: number };
  createdBy: string;
  createdAt: Date;
}

export interface PositionedNode extends LineageNode {
  x: number;
  y: number;
  label: string;
}

export interface DrawableGraph {
  width: number;
  height: number;
  nodes: PositionedNode[];
  edges: (LineageEdge & { label: string; points: [number, number][] })[];
}

const NODE_W = 180;
const NODE_H = 56;
const GAP_X = 90;
const GAP_Y = 30;

/**
 * Lays the version tree out left to right: the column is a version's depth from its root
 * upload, the row is the order of first appearance at that depth (by version number), so the
 * layout is stable as versions are added.
 */
export function layoutGraph(nodes: LineageNode[], edges: LineageEdge[]): DrawableGraph {
  const parentOf = new Map(edges.map((edge) => [edge.to, edge.from]));
  const depthOf = new Map<string, number>();
  const depth = (id: string, seen = new Set<string>()): number => {
    const known = depthOf.get(id);
    if (known !== undefined) return known;
    const parent = parentOf.get(id);
    const value = parent && !seen.has(parent) ? depth(parent, seen.add(id)) + 1 : 0;
    depthOf.set(id, value);
    return value;
  };
  const rowsUsed = new Map<number, number>();
  const positioned = [...nodes]
    .sort((a, b) => a.version - b.version)
    .map((node) => {
      const column = depth(node.id);
      const row = rowsUsed.get(column) ?? 0;
      rowsUsed.set(column, row + 1);
      return {
        ...node,
        x: 20 + column * (NODE_W + GAP_X),
        y: 20 + row * (NODE_H + GAP_Y),
        label: `v${node.version} · ${node.kind}${node.rowCount !== undefined ? ` · ${node.rowCount} rows` : ''}`,
      };
    });
  const at = new Map(positioned.map((node) => [node.id, node]));
  const drawnEdges = edges.flatMap((edge) => {
    const from = at.get(edge.from);
    const to = at.get(edge.to);
    if (!from || !to) return [];
    const ops = edge.steps.map((step) => String(step.op)).join(' → ');
    return [
      {
        ...edge,
        label: edge.recipe ? `recipe ${edge.recipe.name} v${edge.recipe.version}` : ops,
        points: [
          [from.x + NODE_W, from.y + NODE_H / 2],
          [to.x, to.y + NODE_H / 2],
        ] as [number, number][],
      },
    ];
  });
  const width = Math.max(...positioned.map((n) => n.x + NODE_W), 200) + 20;
  const height = Math.max(...positioned.map((n) => n.y + NODE_H), 80) + 20;
  return { width, height, nodes: positioned, edges: drawnEdges };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A self-contained SVG of the graph (no external fonts or scripts). */
export function renderGraphSvg(graph: DrawableGraph, title: string): string {
  const edges = graph.edges
    .map((edge) => {
      const [[x1, y1], [x2, y2]] = edge.points;
      const mx = (x1 + x2) / 2;
      return `<g class="edge"><title>${escapeXml(edge.steps.map((s) => JSON.stringify(s)).join('\n'))}</title>
<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" fill="none" stroke="#64748b" stroke-width="1.5" marker-end="url(#arrow)"/>
<text x="${mx}" y="${(y1 + y2) / 2 - 6}" font-size="10" text-anchor="middle" fill="#334155">${escapeXml(truncate(edge.label, 28))}</text></g>`;
    })
    .join('\n');
  const nodes = graph.nodes
    .map(
      (
        node,
      ) => `<g class="node"><title>${escapeXml(`version ${node.version}, ${node.status}, hash ${node.contentHash ?? '—'}`)}</title>
<rect x="${node.x}" y="${node.y}" width="${NODE_W}" height="${NODE_H}" rx="8" fill="${node.kind === 'upload' ? '#e0f2fe' : '#dcfce7'}" stroke="${node.status === 'ready' ? '#0f766e' : '#b91c1c'}"/>
<text x="${node.x + 10}" y="${node.y + 22}" font-size="13" font-weight="bold" fill="#0f172a">${escapeXml(`v${node.version}`)} <tspan font-weight="normal" font-size="11">${escapeXml(node.kind)}</tspan></text>
<text x="${node.x + 10}" y="${node.y + 42}" font-size="11" fill="#334155">${escapeXml(`${node.rowCount ?? '?'} rows × ${node.columnCount ?? '?'} cols`)}</text></g>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${graph.width}" height="${graph.height + 24}" viewBox="0 0 ${graph.width} ${graph.height + 24}" font-family="sans-serif">
<title>${escapeXml(title)}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>
<text x="20" y="16" font-size="12" fill="#0f172a">${escapeXml(title)}</text>
<g transform="translate(0,20)">
${edges}
${nodes}
</g>
</svg>`;
}
