/** The parse tree: what the user wrote, before types are known. Positions are 0-based offsets. */
export type Expr =
  | { kind: 'number'; value: number; integer: boolean; pos: number; depth: number }
  | { kind: 'string'; value: string; pos: number; depth: number }
  | { kind: 'boolean'; value: boolean; pos: number; depth: number }
  | { kind: 'null'; pos: number; depth: number }
  | { kind: 'column'; name: string; pos: number; depth: number }
  | { kind: 'negate'; operand: Expr; pos: number; depth: number }
  | { kind: 'not'; operand: Expr; pos: number; depth: number }
  | { kind: 'arithmetic'; op: ArithmeticOp; left: Expr; right: Expr; pos: number; depth: number }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr; pos: number; depth: number }
  | { kind: 'logical'; op: 'and' | 'or'; operands: Expr[]; pos: number; depth: number }
  | { kind: 'isNull'; negated: boolean; operand: Expr; pos: number; depth: number }
  | { kind: 'in'; negated: boolean; operand: Expr; items: Expr[]; pos: number; depth: number }
  | {
      kind: 'between';
      negated: boolean;
      operand: Expr;
      low: Expr;
      high: Expr;
      pos: number;
      depth: number;
    }
  | { kind: 'call'; name: string; args: Expr[]; pos: number; depth: number };

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** The depth a node built over these children has (leaves have depth 1). */
export function depthOver(children: Expr[]): number {
  return 1 + children.reduce((max, child) => Math.max(max, child.depth), 0);
}
