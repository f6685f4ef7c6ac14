import type { ColumnProfile, DatasetProfile, ProfileAlert } from './profiler';

/**
 * Quality alerts after ydata-profiling's set and thresholds: constant, high cardinality
 * (> 50 categories), high correlation (|r| > 0.9, V > 0.9), imbalance (1 − normalised entropy
 * > 0.5), missing (> 5 % info, > 20 % warning, > 50 % error), skewed (|G1| > 20), zeros (> 10 %),
 * infinite values, unique, duplicate rows, likely identifier, likely personal data, text of
 * constant length, categories spelt more than one way (case or spaces), and calendar dates whose
 * day/month order no value tells.
 */
export function alertsFor(profile: DatasetProfile): ProfileAlert[] {
  const alerts: ProfileAlert[] = [];
  const add = (alert: ProfileAlert): number => alerts.push(alert);
  for (const c of profile.columns) {
    const cols = [c.name];
    if (c.pii) {
      add({
        type: 'personal-data',
        severity: 'error',
        columns: cols,
        value: c.pii.share,
        message: `${c.name} looks like personal data (${c.pii.kind}: ${(100 * c.pii.share).toFixed(0)} % of sampled values); samples are masked`,
      });
    }
    if (c.count > 0 && c.distinct === 1) {
      add({
        type: 'constant',
        severity: 'warning',
        columns: cols,
        message: `${c.name} has a single value`,
      });
    }
    if (c.missingPct > 5) {
      const severity = c.missingPct > 50 ? 'error' : c.missingPct > 20 ? 'warning' : 'info';
      add({
        type: 'missing',
        severity,
        columns: cols,
        value: c.missingPct,
        message: `${c.name} has ${c.missingPct.toFixed(1)} % missing values`,
      });
    }
    if (c.semanticType === 'identifier') {
      add({
        type: 'identifier',
        severity: 'info',
        columns: cols,
        message: `${c.name} is likely an identifier; exclude it from features`,
      });
    } else if (
      c.count > 1 &&
      c.distinct === c.count &&
      c.distinctExact &&
      c.semanticType !== 'float'
    ) {
      add({
        type: 'unique',
        severity: 'info',
        columns: cols,
        message: `${c.name} has a different value on every row`,
      });
    }
    if (
      (c.semanticType === 'categorical' || c.semanticType === 'text') &&
      c.distinct > 50 &&
      c.semanticType !== 'text'
    ) {
      add({
        type: 'high-cardinality',
        severity: 'warning',
        columns: cols,
        value: c.distinct,
        message: `${c.name} has ${c.distinct} distinct values`,
      });
    } else if (c.semanticType === 'text' && c.distinct > 50 && c.distinct < c.count) {
      add({
        type: 'high-cardinality',
        severity: 'info',
        columns: cols,
        value: c.distinct,
        message: `${c.name} has ${c.distinct} distinct values`,
      });
    }
    if (c.skewness !== undefined && c.skewness !== null && Math.abs(c.skewness) > 20) {
      add({
        type: 'skewed',
        severity: 'info',
        columns: cols,
        value: c.skewness,
        message: `${c.name} is highly skewed (γ1 = ${c.skewness.toFixed(1)})`,
      });
    }
    if (c.zerosPct !== undefined && c.zerosPct > 10) {
      add({
        type: 'zeros',
        severity: 'info',
        columns: cols,
        value: c.zerosPct,
        message: `${c.name} has ${c.zerosPct.toFixed(1)} % zeros`,
      });
    }
    if (c.infinite !== undefined && c.infinite > 0) {
      // As ydata-profiling's INFINITE: any at all is worth knowing before training on it.
      add({
        type: 'infinite',
        severity: 'warning',
        columns: cols,
        value: c.infinitePct,
        message: `${c.name} has ${c.infinite} infinite values (${(c.infinitePct ?? 0).toFixed(1)} %); its statistics leave them out`,
      });
    }
    if (c.spellingVariants) {
      const { groups, examples } = c.spellingVariants;
      add({
        type: 'inconsistent-spelling',
        severity: 'warning',
        columns: cols,
        value: groups,
        message: `${c.name} has ${groups} ${groups === 1 ? 'category' : 'categories'} written more than one way (letter case or spaces), e.g. ${examples[0].map((v) => JSON.stringify(v)).join(' / ')}`,
      });
    }
    if (c.undecidedDates) {
      add({
        type: 'undecided-dates',
        severity: 'warning',
        columns: cols,
        message: `${c.name} holds calendar dates that read both day first and month first (every day and month is 12 or less), so it stays text; cast it to date or datetime with the order it uses (dateOrder: day-first or month-first)`,
      });
    }
    const { stringLength } = c;
    if (
      stringLength &&
      stringLength.min !== null &&
      stringLength.min === stringLength.max &&
      c.distinct > 1 &&
      c.semanticType !== 'boolean'
    ) {
      // As ydata-profiling's CONSTANT_LENGTH: fixed-width codes, or padding to look at.
      add({
        type: 'constant-length',
        severity: 'info',
        columns: cols,
        value: stringLength.min,
        message: `every value of ${c.name} has ${stringLength.min} characters`,
      });
    }
    const imbalance = imbalanceOf(c);
    if (imbalance !== undefined && imbalance > 0.5) {
      add({
        type: 'imbalance',
        severity: 'warning',
        columns: cols,
        value: imbalance,
        message: `${c.name} is highly imbalanced (${imbalance.toFixed(2)})`,
      });
    }
  }
  if (profile.duplicateRows > 0) {
    add({
      type: 'duplicates',
      severity: 'warning',
      columns: [],
      value: profile.duplicateRows,
      message: `${profile.duplicateRows} duplicate rows (${profile.duplicateRowsPct.toFixed(1)} %)`,
    });
  }
  const { pearson, spearman, cramersV: v } = profile.correlations;
  const seen = new Set<string>();
  for (const [kind, matrix] of [
    ['Pearson', pearson],
    ['Spearman', spearman],
    ["Cramér's V", v],
  ] as const) {
    matrix.columns.forEach((a, i) =>
      matrix.columns.forEach((b, j) => {
        const r = matrix.values[i][j];
        if (j <= i || r === null || Math.abs(r) <= 0.9 || seen.has(`${a}\u0000${b}`)) return;
        seen.add(`${a}\u0000${b}`);
        add({
          type: 'high-correlation',
          severity: 'warning',
          columns: [a, b],
          value: r,
          message: `${a} and ${b} are highly correlated (${kind} ${r.toFixed(2)})`,
        });
      }),
    );
  }
  return alerts;
}

/** 1 − normalised Shannon entropy of the category counts (0 balanced … 1 one category). */
function imbalanceOf(c: ColumnProfile): number | undefined {
  if (!c.topCategories || c.distinct < 2 || c.distinct > 50 || c.topCategories.otherCount > 0)
    return undefined;
  const total = c.count;
  let entropy = 0;
  for (const item of c.topCategories.items) {
    const p = item.count / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return 1 - entropy / Math.log(c.topCategories.items.length);
}
