/**
 * Regular expressions must mean the same thing in DuckDB (RE2) and in JavaScript. Both run with
 * "dot matches everything" ((?s) in RE2, the 's' flag in JS) and on code points ('u' flag). JS's
 * 'u' mode already rejects most RE2-only syntax (\Q..\E, \A, \z, POSIX classes inside [...] are
 * caught below); the features below exist in JS only or mean different things, so we reject them.
 */
const UNSUPPORTED: { pattern: RegExp; why: string }[] = [
  { pattern: /\(\?<?[=!]/, why: 'lookahead and lookbehind are not supported (RE2)' },
  { pattern: /\\[1-9]|\\k</, why: 'backreferences are not supported (RE2)' },
  { pattern: /\(\?<(?![=!])/, why: 'named groups are not supported; use plain groups and $1..$9' },
  {
    pattern: /\\[sS]/,
    why: '\\s means different characters in RE2 and JavaScript; list them, e.g. [ \\t\\n]',
  },
  { pattern: /\[:[a-z]+:\]/, why: 'POSIX classes like [:alpha:] are not supported' },
];

/** Problems with a pattern (empty when it is usable on both paths). */
export function regexIssues(pattern: string): string[] {
  const issues = UNSUPPORTED.filter((rule) => rule.pattern.test(pattern)).map((rule) => rule.why);
  try {
    new RegExp(pattern, 'gsu');
  } catch (error) {
    issues.push(`the pattern does not compile: ${(error as Error).message}`);
  }
  return issues;
}

/** The pattern as DuckDB's regexp_replace receives it. */
export function re2Pattern(pattern: string): string {
  return `(?s)${pattern}`;
}

export function jsPattern(pattern: string): RegExp {
  return new RegExp(pattern, 'gsu');
}

type TemplatePart = string | number;

/** Replacement templates: $0..$9 are groups ($0 the whole match), $$ a dollar, the rest literal. */
function parseTemplate(replacement: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  for (let i = 0; i < replacement.length; i++) {
    const char = replacement[i];
    const next = replacement[i + 1];
    if (char === '$' && next !== undefined && /[0-9]/.test(next)) {
      if (text) parts.push(text);
      text = '';
      parts.push(Number(next));
      i++;
    } else if (char === '$' && next === '$') {
      text += '$';
      i++;
    } else text += char;
  }
  if (text) parts.push(text);
  return parts;
}

/** The replacement as an RE2 rewrite string (\N for groups, \\ for a backslash). */
export function re2Replacement(replacement: string): string {
  return parseTemplate(replacement)
    .map((part) => (typeof part === 'number' ? `\\${part}` : part.replace(/\\/g, '\\\\')))
    .join('');
}

/** Groups referenced by the template that the pattern does not have. */
export function missingGroups(pattern: string, replacement: string): number[] {
  let groups = 0;
  try {
    groups = new RegExp(`${pattern}|`, 'u').exec('')!.length - 1;
  } catch {
    return [];
  }
  return parseTemplate(replacement).filter(
    (part): part is number => typeof part === 'number' && part > groups,
  );
}

/** Replaces every match in JS with the same template semantics as RE2's global replace. */
export function jsReplacer(replacement: string): (match: string, ...rest: unknown[]) => string {
  const parts = parseTemplate(replacement);
  return (match, ...rest) => {
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') out += part;
      else if (part === 0) out += match;
      else {
        const group = rest[part - 1];
        out += typeof group === 'string' ? group : '';
      }
    }
    return out;
  };
}

/**
 * Global replace with RE2's rules (GlobalReplace): like JS, except that an empty match right where
 * the previous match ended is skipped ('x*' on 'ax' gives '-a-', where JS gives '-a--').
 */
export function replaceAllLikeRe2(text: string, pattern: string, replacement: string): string {
  const regex = jsPattern(pattern);
  const replacer = jsReplacer(replacement);
  let out = '';
  let position = 0;
  let lastEnd = -1;
  while (position <= text.length) {
    regex.lastIndex = position;
    const match = regex.exec(text);
    if (!match) break;
    const start = match.index;
    out += text.slice(position, start);
    if (match[0].length === 0 && start === lastEnd) {
      if (start >= text.length) break;
      const step = text.codePointAt(start)! > 0xffff ? 2 : 1;
      out += text.slice(start, start + step);
      position = start + step;
      continue;
    }
    out += replacer(match[0], ...match.slice(1));
    position = start + match[0].length;
    lastEnd = position;
  }
  return position < text.length ? out + text.slice(position) : out;
}
