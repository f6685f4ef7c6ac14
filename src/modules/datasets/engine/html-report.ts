import type { ColumnProfile, DatasetProfile, Scalar } from './profiler';
import { columnChart, escapeHtml, heatmap, shareChart } from './report-charts';

function fmt(value: Scalar | undefined, digits = 4): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    return Number(value.toPrecision(digits)).toString();
  }
  return escapeHtml(value);
}

function columnSection(c: ColumnProfile, index: number): string {
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
  const { histogram } = c;
  if (histogram && histogram.length > 0)
    chart = columnChart(
      histogram.map((b) => ({ label: `${fmt(b.start)} – ${fmt(b.end)}`, count: b.count })),
      { from: fmt(histogram[0].start), to: fmt(histogram[histogram.length - 1].end) },
    );
  else if (c.timeHistogram && c.timeHistogram.bins.length > 0) {
    const { unit, bins } = c.timeHistogram;
    chart =
      columnChart(
        bins.map((b) => ({ label: b.start, count: b.count })),
        { from: bins[0].start, to: bins[bins.length - 1].start },
      ) + `<p class="unit">values per ${escapeHtml(unit)}</p>`;
  } else if (c.topCategories) {
    const items = c.topCategories.items.map((item) => ({ label: item.value, count: item.count }));
    if (c.topCategories.otherCount > 0)
      items.push({ label: 'other', count: c.topCategories.otherCount });
    chart =
      columnChart(items) +
      `<ul class="cats">${items.map((i) => `<li>${escapeHtml(i.label)}: ${fmt(i.count)}</li>`).join('')}</ul>`;
  }
  return `<section class="col" id="${anchorOf(index)}"><h3>${escapeHtml(c.name)}</h3><div class="grid"><table>${table}</table><div>${chart}</div></div></section>`;
}

/** Column sections are anchored by position: names may hold anything. */
const anchorOf = (index: number): string => `column-${index}`;

function columnIndex(profile: DatasetProfile): string {
  return `<ul class="index">${profile.columns
    .map(
      (c, i) =>
        `<li><a href="#${anchorOf(i)}">${escapeHtml(c.name)}</a> <span>${escapeHtml(c.semanticType)}</span></li>`,
    )
    .join('')}</ul>`;
}

function missingByColumn(profile: DatasetProfile): string {
  const rows = profile.columns
    .filter((c) => c.missing > 0)
    .map((c) => ({ label: c.name, share: c.missingPct }));
  return rows.length === 0 ? '' : `<h3>Missing values by column</h3>${shareChart(rows)}`;
}

/** A self-contained HTML report (inline CSS and SVG, no scripts, no external assets). */
export function renderHtmlReport(profile: DatasetProfile, title: string): string {
  const alerts =
    profile.alerts.length === 0
      ? '<p>No alerts.</p>'
      : `<ul>${profile.alerts
          .map(
            (a) =>
              `<li class="${a.severity}"><b>${escapeHtml(a.severity)}</b> ${escapeHtml(a.type)}: ${escapeHtml(a.message)}</li>`,
          )
          .join('')}</ul>`;
  const story = profile.story.map((sentence) => `<li>${escapeHtml(sentence)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} — profile</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse}th,td{text-align:left;padding:2px 8px;border-bottom:1px solid #eee;vertical-align:top}
.grid{display:grid;grid-template-columns:minmax(320px,1fr) 340px;gap:1rem}
.col{border-top:2px solid #4e79a7;margin-top:1.5rem}.cats{font-size:12px;margin:0;padding-left:1rem}
li.error{color:#b00}li.warning{color:#a60}li.info{color:#555}
.story{font-size:15px;max-width:60rem}.index{columns:16rem;font-size:13px;padding-left:1rem}
.index span{color:#777;font-size:11px}.unit{font-size:11px;color:#666;margin:0}
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<h2>In brief</h2><ul class="story">${story}</ul>
<h2>Overview</h2>
<table>
<tr><th>Rows</th><td>${fmt(profile.rowCount)}</td></tr>
<tr><th>Columns</th><td>${fmt(profile.columnCount)}</td></tr>
<tr><th>Missing cells</th><td>${fmt(profile.missingCells)} (${profile.missingCellsPct.toFixed(2)} %)</td></tr>
<tr><th>Duplicate rows</th><td>${fmt(profile.duplicateRows)} (${profile.duplicateRowsPct.toFixed(2)} %)</td></tr>
</table>
${missingByColumn(profile)}
<h2>Alerts (${profile.alerts.length})</h2>${alerts}
<h2>Columns</h2>${columnIndex(profile)}${profile.columns.map(columnSection).join('')}
<h2>Correlations</h2>
${heatmap(profile.correlations.pearson, 'Pearson')}
${heatmap(profile.correlations.spearman, `Spearman (${profile.correlations.spearman.rowsUsed} rows)`)}
${heatmap(profile.correlations.cramersV, "Cramér's V")}
</body></html>
`;
}
