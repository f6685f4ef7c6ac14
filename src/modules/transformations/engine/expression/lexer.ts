import { ExpressionError } from './errors';

export type TokenKind = 'number' | 'string' | 'identifier' | 'keyword' | 'symbol' | 'end';

export interface Token {
  kind: TokenKind;
  /** Identifier name, string contents, keyword or symbol (keywords lower-cased). */
  text: string;
  /** Numbers only. */
  value?: number;
  /** Numbers only: written without a decimal point or exponent. */
  integer?: boolean;
  /** Identifiers only: written in backquotes, so never a keyword or a function name. */
  quoted?: boolean;
  pos: number;
}

export const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'is',
  'null',
  'in',
  'between',
  'true',
  'false',
]);

// Longest first, so '<=' wins over '<'.
const SYMBOLS = [
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '&&',
  '||',
  '(',
  ')',
  ',',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<',
  '>',
  '!',
];

const NUMBER = /(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;

/** Splits the source into tokens; a lexical error throws at once with its position. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const ch = source[pos];
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(source);
    if (number) {
      const text = number[0];
      if (/[A-Za-z_]/.test(source[pos + text.length] ?? '')) {
        fail(`Malformed number "${text}${source[pos + text.length]}"`, pos);
      }
      tokens.push({
        kind: 'number',
        text,
        value: Number(text),
        integer: /^\d+$/.test(text),
        pos,
      });
      pos += text.length;
      continue;
    }
    IDENTIFIER.lastIndex = pos;
    const identifier = IDENTIFIER.exec(source);
    if (identifier) {
      const word = identifier[0];
      const lower = word.toLowerCase();
      tokens.push(
        KEYWORDS.has(lower)
          ? { kind: 'keyword', text: lower, pos }
          : { kind: 'identifier', text: word, pos },
      );
      pos += word.length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const { text, end } = readQuoted(source, pos, ch, 'String');
      tokens.push({ kind: 'string', text, pos });
      pos = end;
      continue;
    }
    if (ch === '`') {
      const { text, end } = readQuoted(source, pos, ch, 'Quoted column name');
      if (text.length === 0) fail('Empty column name ``', pos);
      tokens.push({ kind: 'identifier', text, quoted: true, pos });
      pos = end;
      continue;
    }
    const symbol = SYMBOLS.find((s) => source.startsWith(s, pos));
    if (!symbol) fail(`Unexpected character ${JSON.stringify(ch)}`, pos);
    tokens.push({ kind: 'symbol', text: symbol, pos });
    pos += symbol.length;
  }
  tokens.push({ kind: 'end', text: '', pos: source.length });
  return tokens;
}

/** Reads a quoted run whose quote character is escaped by doubling it ('it''s'). */
function readQuoted(
  source: string,
  start: number,
  quote: string,
  what: string,
): { text: string; end: number } {
  let text = '';
  let pos = start + 1;
  for (;;) {
    const next = source.indexOf(quote, pos);
    if (next < 0) fail(`${what} is not closed: missing ${quote}`, start);
    text += source.slice(pos, next);
    if (source[next + 1] === quote) {
      text += quote;
      pos = next + 2;
      continue;
    }
    // NUL cannot live inside a DuckDB string or identifier.
    if (text.includes('\0')) fail(`${what} contains a NUL character`, start);
    return { text, end: next + 1 };
  }
}

function fail(message: string, position: number): never {
  throw new ExpressionError([{ message, position }]);
}
