import { KEYWORDS } from './lexer';

/** The candidate closest to `name` (case-insensitive edit distance), if it is close enough. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const target = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(target, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(target.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** A column name as the user must type it: bare when it can be, else in backquotes. */
export function columnAsWritten(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toLowerCase())
    ? name
    : `\`${name.replace(/`/g, '``')}\``;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 10) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
