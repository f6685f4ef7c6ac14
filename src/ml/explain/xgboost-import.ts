import { FlatTreeBuilder, type FlatTree } from '../trees/flat-tree';

/** One node of XGBoost's `get_dump(dump_format="json", with_stats=True)`. */
export interface XgbDumpNode {
  readonly nodeid: number;
  readonly split?: string;
  readonly split_condition?: number;
  readonly yes?: number;
  readonly no?: number;
  readonly missing?: number;
  readonly gain?: number;
  readonly cover: number;
  readonly leaf?: number;
  readonly children?: readonly XgbDumpNode[];
}

/**
 * Converts an XGBoost JSON tree dump into a FlatTree (for cross-checking TreeSHAP against
 * `pred_contribs=True`). XGBoost sends x < condition (compared in float32) to "yes"; here a node
 * sends x <= threshold left, so the threshold is the largest double below the float32 condition.
 */
export function flatTreeFromXgboost(root: XgbDumpNode): FlatTree {
  const byId = new Map<number, XgbDumpNode>();
  const walk = (node: XgbDumpNode): void => {
    byId.set(node.nodeid, node);
    node.children?.forEach(walk);
  };
  walk(root);
  // re-number breadth-first so children come after parents and left/right are adjacent
  const builder = new FlatTreeBuilder(1);
  const queue: [XgbDumpNode, number][] = [];
  queue.push([root, builder.addLeaf([root.leaf ?? 0], root.cover)]);
  while (queue.length > 0) {
    const [node, id] = queue.shift()!;
    if (node.leaf !== undefined) continue;
    const yes = byId.get(node.yes!)!;
    const no = byId.get(node.no!)!;
    const left = builder.addLeaf([yes.leaf ?? 0], yes.cover);
    const right = builder.addLeaf([no.leaf ?? 0], no.cover);
    builder.setSplit(
      id,
      {
        feature: Number(node.split!.replace(/^f/, '')),
        threshold: previousDouble(Math.fround(node.split_condition!)),
        binThreshold: 0,
        missingLeft: node.missing === node.yes,
        gain: node.gain ?? 0,
      },
      left,
      right,
    );
    queue.push([yes, left], [no, right]);
  }
  return builder.build();
}

function previousDouble(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}
