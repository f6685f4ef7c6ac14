import { depthOver, type ArithmeticOp, type CompareOp, type Expr } from './ast';
import { ExpressionError } from './errors';
import { tokenize, type Token } from './lexer';

/** Deepest nesting of operators, calls and parentheses accepted. */
export const MAX_DEPTH = 64;

const COMPARE_OPS: Record<string, CompareOp> = {
  '=': '=',
  '==': '=',
  '!=': '<>',
  '<>': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
};

/**
 * Recursive descent, one function per precedence level (lowest first):
 * or < and < not < comparison / is / in / between < + - < * / % < unary minus < call / primary.
 * Both the parser's recursion and the tree's depth are bounded by MAX_DEPTH, so hostile input
 * cannot exhaust the stack here or in the checker, the evaluator and DuckDB's own parser.
 */
export function parse(source: string): Expr {
  return new Parser(tokenize(source)).parseExpression();
}

class Parser {
  private index = 0;
  private nesting = 0;

  constructor(private readonly tokens: Token[]) {}

  parseExpression(): Expr {
    if (this.peek().kind === 'end') this.fail('The expression is empty', 0);
    const expr = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      this.fail(
        next.text === ')'
          ? 'Unbalanced ")": no "(" to close'
          : `Found ${describe(next)} after a complete expression: is an operator missing?`,
        next.pos,
      );
    }
    return expr;
  }

  private parseOr(): Expr {
    return this.parseLogical('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseLogical('and', () => this.parseNot());
  }

  /** `a or b or c` is one n-ary node, so long chains stay shallow (and flat in SQL). */
  private parseLogical(op: 'and' | 'or', operand: () => Expr): Expr {
    const first = operand();
    const operands = [first];
    let pos = -1;
    for (;;) {
      const token = this.peek();
      const matches =
        op === 'and'
          ? this.isWord('and') || this.isSymbol('&&')
          : this.isWord('or') || this.isSymbol('||');
      if (!matches) break;
      if (pos < 0) pos = token.pos;
      this.index++;
      operands.push(operand());
    }
    if (operands.length === 1) return first;
    return this.node({ kind: 'logical', op, operands, pos, depth: depthOver(operands) });
  }

  private parseNot(): Expr {
    const token = this.peek();
    if (this.isWord('not') || this.isSymbol('!')) {
      this.index++;
      const operand = this.nested(token.pos, () => this.parseNot());
      return this.node({ kind: 'not', operand, pos: token.pos, depth: depthOver([operand]) });
    }
    return this.parseComparison();
  }

  private parseComparison(): Expr {
    const left = this.parseAdditive();
    const token = this.peek();
    let result: Expr | undefined;
    if (token.kind === 'symbol' && token.text in COMPARE_OPS) {
      this.index++;
      const right = this.parseAdditive();
      result = {
        kind: 'compare',
        op: COMPARE_OPS[token.text],
        left,
        right,
        pos: token.pos,
        depth: depthOver([left, right]),
      };
    } else if (this.isWord('is')) {
      this.index++;
      const negated = this.acceptWord('not');
      if (!this.acceptWord('null')) this.fail('Expected "null" after "is"', this.peek().pos);
      result = { kind: 'isNull', negated, operand: left, pos: token.pos, depth: depthOver([left]) };
    } else if (
      this.isWord('in') ||
      this.isWord('between') ||
      (this.isWord('not') && this.nextIsInOrBetween())
    ) {
      const negated = this.acceptWord('not');
      if (this.acceptWord('in')) {
        const items = this.parseList();
        result = {
          kind: 'in',
          negated,
          operand: left,
          items,
          pos: token.pos,
          depth: depthOver([left, ...items]),
        };
      } else {
        this.expectWord('between');
        const low = this.parseAdditive();
        this.expectWord('and');
        const high = this.parseAdditive();
        result = {
          kind: 'between',
          negated,
          operand: left,
          low,
          high,
          pos: token.pos,
          depth: depthOver([left, low, high]),
        };
      }
    }
    if (!result) return left;
    const after = this.peek();
    if (
      (after.kind === 'symbol' && after.text in COMPARE_OPS) ||
      this.isWord('is') ||
      this.isWord('in') ||
      this.isWord('between')
    ) {
      this.fail('Comparisons cannot be chained: join them with "and"', after.pos);
    }
    return this.node(result);
  }

  private parseList(): Expr[] {
    const open = this.peek();
    if (!this.isSymbol('(')) this.fail('Expected "(" to open the list after "in"', open.pos);
    this.index++;
    const items: Expr[] = [];
    do {
      items.push(this.nested(open.pos, () => this.parseAdditive()));
    } while (this.acceptSymbol(','));
    this.expectClosing(open);
    return items;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    for (;;) {
      const token = this.peek();
      if (!(this.isSymbol('+') || this.isSymbol('-'))) return left;
      this.index++;
      const right = this.parseMultiplicative();
      left = this.arithmetic(token, left, right);
    }
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      if (!(this.isSymbol('*') || this.isSymbol('/') || this.isSymbol('%'))) return left;
      this.index++;
      const right = this.parseUnary();
      left = this.arithmetic(token, left, right);
    }
  }

  private arithmetic(token: Token, left: Expr, right: Expr): Expr {
    return this.node({
      kind: 'arithmetic',
      op: token.text as ArithmeticOp,
      left,
      right,
      pos: token.pos,
      depth: depthOver([left, right]),
    });
  }

  private parseUnary(): Expr {
    const token = this.peek();
    if (!this.isSymbol('-')) return this.parsePrimary();
    this.index++;
    const operand = this.nested(token.pos, () => this.parseUnary());
    // A minus sign written before a number is part of the literal: -5 stays a BIGINT literal.
    if (operand.kind === 'number') return { ...operand, value: -operand.value, pos: token.pos };
    return this.node({ kind: 'negate', operand, pos: token.pos, depth: depthOver([operand]) });
  }

  private parsePrimary(): Expr {
    const token = this.peek();
    switch (token.kind) {
      case 'number':
        this.index++;
        return {
          kind: 'number',
          value: token.value ?? 0,
          integer: token.integer ?? false,
          pos: token.pos,
          depth: 1,
        };
      case 'string':
        this.index++;
        return { kind: 'string', value: token.text, pos: token.pos, depth: 1 };
      case 'identifier':
        this.index++;
        if (!token.quoted && this.isSymbol('(')) return this.parseCall(token);
        return { kind: 'column', name: token.text, pos: token.pos, depth: 1 };
      case 'keyword':
        this.index++;
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'boolean', value: token.text === 'true', pos: token.pos, depth: 1 };
        }
        if (token.text === 'null') return { kind: 'null', pos: token.pos, depth: 1 };
        return this.fail(
          `Unexpected keyword "${token.text}"; to use a column with this name, write it in backquotes: \`${token.text}\``,
          token.pos,
        );
      case 'symbol':
        if (token.text === '(') {
          this.index++;
          const inner = this.nested(token.pos, () => this.parseOr());
          this.expectClosing(token);
          return inner;
        }
        return this.fail(
          `Expected a value, a column or "(" but found ${describe(token)}`,
          token.pos,
        );
      case 'end':
        return this.fail('The expression ends too early: a value is missing', token.pos);
    }
  }

  private parseCall(name: Token): Expr {
    const open = this.peek();
    this.index++;
    const args: Expr[] = [];
    if (!this.isSymbol(')')) {
      do {
        args.push(this.nested(open.pos, () => this.parseOr()));
      } while (this.acceptSymbol(','));
    }
    this.expectClosing(open);
    return this.node({
      kind: 'call',
      name: name.text,
      args,
      pos: name.pos,
      depth: depthOver(args),
    });
  }

  /** Runs a nested parse, failing before the nesting can grow past MAX_DEPTH. */
  private nested<T>(pos: number, parse: () => T): T {
    if (++this.nesting > MAX_DEPTH) this.tooDeep(pos);
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private node(expr: Expr): Expr {
    if (expr.depth > MAX_DEPTH) this.tooDeep(expr.pos);
    return expr;
  }

  private tooDeep(pos: number): never {
    return this.fail(`The expression is nested too deeply (more than ${MAX_DEPTH} levels)`, pos);
  }

  private expectClosing(open: Token): void {
    if (this.acceptSymbol(')')) return;
    const token = this.peek();
    this.fail(
      token.kind === 'end'
        ? `Missing ")" to close the "(" at ${open.pos}`
        : `Expected "," or ")" but found ${describe(token)}`,
      token.pos,
    );
  }

  private nextIsInOrBetween(): boolean {
    const next = this.tokens[this.index + 1];
    return next.kind === 'keyword' && (next.text === 'in' || next.text === 'between');
  }

  private peek(): Token {
    return this.tokens[this.index];
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'keyword' && token.text === word;
  }

  private isSymbol(symbol: string): boolean {
    const token = this.peek();
    return token.kind === 'symbol' && token.text === symbol;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.index++;
    return true;
  }

  private acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.index++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word))
      this.fail(`Expected "${word}" but found ${describe(this.peek())}`, this.peek().pos);
  }

  private fail(message: string, position: number): never {
    throw new ExpressionError([{ message, position }]);
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression';
    case 'number':
      return `the number ${token.text}`;
    case 'string':
      return 'a string';
    case 'identifier':
      return `"${token.text}"`;
    case 'keyword':
      return `the keyword "${token.text}"`;
    case 'symbol':
      return `"${token.text}"`;
  }
}
