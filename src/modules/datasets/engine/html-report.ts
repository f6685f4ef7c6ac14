import type { ColumnProfile, CorrelationMatrix, DatasetProfile, Scalar } from './profiler';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fmt(value: Scalar | undefined, digits = 4): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return Number(value.toPrecision(digits)).toString();
  }
  return escapeHtml(value);
}

function bars(values: { label: string; count: number }[], width = 320, height = 90): string {
  if (values.length === 0) return '';
  const max = Math.max(...values.map((v) => v.count), 1);
  const w = width / values.length;
  const rects = values
    .map((v, i) => {
      const h = (v.count / max) * (height - 2);
      return `<rect x="${(i * w).toFixed(1)}" y="${(height - h).toFixed(1)}" width="${Math.max(w - 1, 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#4e79a7"><title>${escapeHtml(v.label)}: ${v.count}</title></rect>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${rects}</svg>`;
}

function heatmap(matrix: CorrelationMatrix, title: string): string {
  const n = matrix.columns.length;
  if (n < 2) return '';
  const cell = Math.max(12, Math.min(28, Math.floor(420 / n)));
  const label = 140;
  const size = label + n * cell;
  const cells: string[] = [];
  matrix.values.forEach((row, i) =>
    row.forEach((r, j) => {
      const color =
        r === null
          ? '#eee'
          : r >= 0
            ? `rgba(78,121,167,${Math.abs(r).toFixed(2)})`
            : `rgba(225,87,89,${Math.abs(r).toFixed(2)})`;
      cells.push(
        `<rect x="${label + j * cell}" y="${label + i * cell}" width="${cell - 1}" height="${cell - 1}" fill="${color}"><title>${escapeHtml(matrix.columns[i])} × ${escapeHtml(matrix.columns[j])}: ${r === null ? 'n/a' : r.toFixed(3)}</title></rect>`,
      );
    }),
  );
  const names = matrix.columns
    .map(
      (name, i) =>
        `<text x="${label - 4}" y="${label + i * cell + cell * 0.7}" text-anchor="end" font-size="11">${escapeHtml(name.slice(0, 20))}</text>` +
        `<text transform="translate(${label + i * cell + cell * 0.7},${label - 4}) rotate(-60)" font-size="11">${escapeHtml(name.slice(0, 20))}</text>`,
    )
    .join('');
  return `<h3>${escapeHtml(title)}</h3><svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" role="img">${names}${cells.join('')}</svg>`;
}

function columnSection(c: ColumnProfile): string {
  const rows: [string, string][] = [
    ['Type', `${escapeHtml(c.semanticType)} (${escapeHtml(c.storageType)})`],
    ['Present', fmt(c.count)],
    ['Missing', `${fmt(c.missing)} (${c.missingPct.toFixed(1)} %)`],
    ['Distinct', `${fmt(c.distinct)}${c.distinctExact ? '' : ' (approx.)'}`],
  ];
  if (c.min !== undefined) rows.push(['Min', fmt(c.min)], ['Max', fmt(c.max)]);
  if (c.mean !== undefined) rows.push(['Mean', fmt(c.mean)], ['Std', fmt(c.std ?? null)]);
  if (c.quantiles) {
    const q = c.quantiles;
    rows.push([
      '5 / 25 / 50 / 75 / 95 %',
      [q.p5, q.p25, q.p50, q.p75, q.p95].map((v) => fmt(v)).join(' / ') +
        (c.quantilesExact === false ? ' (approx.)' : ''),
    ]);
  }
  if (c.skewness !== undefined) rows.push(['Skewness', fmt(c.skewness)]);
  if (c.zeros !== undefined)
    rows.push(['Zeros', `${fmt(c.zeros)} (${(c.zerosPct ?? 0).toFixed(1)} %)`]);
  if (c.infinite)
    rows.push(['Infinite', `${fmt(c.infinite)} (${(c.infinitePct ?? 0).toFixed(1)} %)`]);
  if (c.negatives !== undefined)
    rows.push(['Negatives', `${fmt(c.negatives)} (${(c.negativesPct ?? 0).toFixed(1)} %)`]);
  if (c.stringLength)
    rows.push([
      'Length min / mean / max',
      `${fmt(c.stringLength.min)} / ${fmt(c.stringLength.mean)} / ${fmt(c.stringLength.max)}`,
    ]);
  if (c.pii)
    rows.push([
      'Personal data',
      `${escapeHtml(c.pii.kind)} (${(100 * c.pii.share).toFixed(0)} % of sample) — values masked`,
    ]);
  rows.push(['Samples', c.samples.map((s) => fmt(s)).join(', ')]);
  const table = rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('');
  let chart = '';
  if (c.histogram)
    chart = bars(
      c.histogram.map((b) => ({ label: `${fmt(b.start)} – ${fmt(b.end)}`, count: b.count })),
    );
  else if (c.topCategories) {
    const items = c.topCategories.items.map((item) => ({ label: item.value, count: item.count }));
    if (c.topCategories.otherCount > 0)
      items.push({ label: 'other', count: c.topCategories.otherCount });
    chart =
      bars(items) +
      `<ul class="cats">${items.map((i) => `<li>${escapeHtml(i.label)}: ${i.count}</li>`).join('')}</ul>`;
  }
  return `<section class="col"><h3>${escapeHtml(c.name)}</h3><div class="grid"><table>${table}</table><div>${chart}</div></div></section>`;
}

/** A self-contained HTML report (inline CSS and SVG, no scripts, no external assets). */
export function renderHtmlReport(profile: DatasetProfile, title: string): string {
  const alerts = profile.alerts
    .map(
      (a) =>
        `<li class="${a.severity}"><b>${escapeHtml(a.severity)}</b> ${escapeHtml(a.type)}: ${escapeHtml(a.message)}</li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — profile</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse}th,td{text-align:left;padding:2px 8px;border-bottom:1px solid #eee;vertical-align:top}
.grid{display:grid;grid-template-columns:minmax(320px,1fr) 340px;gap:1rem}
.col{border-top:2px solid #4e79a7;margin-top:1.5rem}.cats{font-size:12px;margin:0;padding-left:1rem}
li.error{color:#b00}li.warning{color:#a60}li.info{color:#555}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<h2>Overview</h2>
<table>
<tr><th>Rows</th><td>${fmt(profile.rowCount)}</td></tr>
<tr><th>Columns</th><td>${fmt(profile.columnCount)}</td></tr>
<tr><th>Missing cells</th><td>${fmt(profile.missingCells)} (${profile.missingCellsPct.toFixed(2)} %)</td></tr>
<tr><th>Duplicate rows</th><td>${fmt(profile.duplicateRows)} (${profile.duplicateRowsPct.toFixed(2)} %)</td></tr>
</table>
<h2>Alerts (${profile.alerts.length})</h2><ul>${alerts}</ul>
<h2>Columns</h2>${profile.columns.map(columnSection).join('')}
<h2>Correlations</h2>
${heatmap(profile.correlations.pearson, 'Pearson')}
${heatmap(profile.correlations.spearman, `Spearman (${profile.correlations.spearman.rowsUsed} rows)`)}
${heatmap(profile.correlations.cramersV, "Cramér's V")}
</body></html>
`;
}
