import type { CorrelationMatrix, DatasetProfile } from './profiler';
import type { SemanticType } from './typed-copy';

/** Correlations this strong or stronger are worth a sentence (|r| or V). */
export const NOTABLE_CORRELATION = 0.5;
/** At most this many pairs are told, strongest first. */
const TOLD_PAIRS = 3;
/** At most this many date or timestamp columns have their span told. */
const TOLD_TIME_COLUMNS = 2;
/** At most this many columns are named where missing values gather. */
const TOLD_MISSING_COLUMNS = 3;

/** How the story names each semantic type, in the order it lists them. */
const TYPE_WORDS: [SemanticType, string][] = [
  ['integer', 'integer'],
  ['float', 'decimal'],
  ['categorical', 'categorical'],
  ['boolean', 'yes/no'],
  ['date', 'date'],
  ['datetime', 'date-time'],
  ['text', 'free-text'],
  ['identifier', 'identifier'],
];

/**
 * The profile told in a few plain sentences, for people who will not read the tables: the
 * table's shape, where values are missing, repeated rows, the strongest relationships, and how
 * many alerts deserve a look. Deterministic: the same profile always tells the same story.
 */
export function profileStory(profile: DatasetProfile): string[] {
  return [
    shapeSentence(profile),
    missingSentence(profile),
    duplicatesSentence(profile),
    ...timeSpanSentences(profile),
    ...relationshipSentences(profile),
    alertsSentence(profile),
  ].filter((sentence): sentence is string => sentence !== undefined);
}

function shapeSentence(profile: DatasetProfile): string {
  const counts = new Map<SemanticType, number>();
  for (const column of profile.columns)
    counts.set(column.semanticType, (counts.get(column.semanticType) ?? 0) + 1);
  const kinds = TYPE_WORDS.filter(([type]) => counts.has(type)).map(
    ([type, word]) => `${counts.get(type)} ${word}`,
  );
  const shape = `${plural(profile.rowCount, 'row')} and ${plural(profile.columnCount, 'column')}`;
  return kinds.length === 0 ? `${shape}.` : `${shape} (${list(kinds)}).`;
}

function missingSentence(profile: DatasetProfile): string {
  if (profile.missingCells === 0) return 'Every cell has a value.';
  const worst = profile.columns
    .filter((c) => c.missing > 0)
    .sort((a, b) => b.missing - a.missing || a.name.localeCompare(b.name));
  const named = worst
    .slice(0, TOLD_MISSING_COLUMNS)
    .map((c) => `${c.name} (${count(c.missing)}, ${percent(c.missingPct)})`);
  const rest = worst.length - named.length;
  const where =
    worst.length === 1
      ? `all in ${named[0]}`
      : `most in ${list(rest > 0 ? [...named, plural(rest, 'other column')] : named)}`;
  return `${plural(profile.missingCells, 'cell')} ${profile.missingCells === 1 ? 'is' : 'are'} missing (${percent(profile.missingCellsPct)} of all cells), ${where}.`;
}

function duplicatesSentence(profile: DatasetProfile): string {
  if (profile.duplicateRows === 0) return 'No row repeats another.';
  return `${plural(profile.duplicateRows, 'row')} (${percent(profile.duplicateRowsPct)}) ${profile.duplicateRows === 1 ? 'repeats' : 'repeat'} an earlier row exactly.`;
}

/** When the table's dates and timestamps fall (up to TOLD_TIME_COLUMNS of them). */
function timeSpanSentences(profile: DatasetProfile): string[] {
  return profile.columns
    .filter(
      (c) =>
        (c.semanticType === 'date' || c.semanticType === 'datetime') &&
        typeof c.min === 'string' &&
        typeof c.max === 'string',
    )
    .slice(0, TOLD_TIME_COLUMNS)
    .map((c) =>
      c.min === c.max
        ? `${c.name} is always ${c.min}.`
        : `${c.name} runs from ${c.min} to ${c.max}.`,
    );
}

function relationshipSentences(profile: DatasetProfile): string[] {
  const { pearson, cramersV } = profile.correlations;
  const sentences = strongestPairs(pearson).map(({ a, b, r }) =>
    r > 0
      ? `${a} and ${b} rise together (Pearson r = ${r.toFixed(2)}).`
      : `As ${a} rises, ${b} tends to fall (Pearson r = ${r.toFixed(2)}).`,
  );
  if (sentences.length === 0 && pearson.columns.length >= 2)
    sentences.push(
      `No two numeric columns move together strongly (every |r| < ${NOTABLE_CORRELATION}).`,
    );
  for (const { a, b, r } of strongestPairs(cramersV))
    sentences.push(`${a} and ${b} go together (Cramér's V = ${r.toFixed(2)}).`);
  return sentences;
}

/** The notable pairs of a symmetric matrix, strongest first (ties by name, for determinism). */
function strongestPairs(matrix: CorrelationMatrix): { a: string; b: string; r: number }[] {
  const pairs: { a: string; b: string; r: number }[] = [];
  matrix.columns.forEach((a, i) =>
    matrix.columns.forEach((b, j) => {
      const r = matrix.values[i]?.[j];
      if (j > i && r !== null && r !== undefined && Math.abs(r) >= NOTABLE_CORRELATION)
        pairs.push({ a, b, r });
    }),
  );
  return pairs
    .sort((x, y) => Math.abs(y.r) - Math.abs(x.r) || `${x.a}${x.b}`.localeCompare(`${y.a}${y.b}`))
    .slice(0, TOLD_PAIRS);
}

function alertsSentence(profile: DatasetProfile): string {
  const bySeverity = (severity: string): number =>
    profile.alerts.filter((a) => a.severity === severity).length;
  const parts = [
    [bySeverity('error'), 'error'],
    [bySeverity('warning'), 'warning'],
    [bySeverity('info'), 'note'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, word]) => plural(n as number, word as string));
  if (parts.length === 0) return 'Nothing was flagged.';
  // Alerts are listed column by column; the story leads with the most severe one.
  const first =
    profile.alerts.find((a) => a.severity === 'error') ??
    profile.alerts.find((a) => a.severity === 'warning');
  return `Flagged below: ${list(parts)}${first ? `; first of all, ${first.message}` : ''}.`;
}

function plural(n: number, word: string): string {
  return `${count(n)} ${n === 1 ? word : `${word}s`}`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function percent(value: number): string {
  return `${value < 0.1 && value > 0 ? '< 0.1' : value.toFixed(value < 10 ? 1 : 0)} %`;
}

/** "a", "a and b", "a, b and c". */
function list(items: string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
