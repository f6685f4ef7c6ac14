import type { CorrelationMatrix } from './profiler';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const BAR = '#4e79a7';
const NEGATIVE = '225,87,89';
const POSITIVE = '78,121,167';

export interface Bar {
  label: string;
  count: number;
}

/**
 * Vertical bars (a histogram, or categories in order) with the scale a reader needs: the tallest
 * bar's count at the top and, when given, the axis ends below. Every bar names its label and
 * count on hover.
 */
export function columnChart(
  values: Bar[],
  axis?: { from: string; to: string },
  width = 320,
  height = 90,
): string {
  if (values.length === 0) return '';
  const max = Math.max(...values.map((v) => v.count), 1);
  const top = 14;
  const bottom = axis ? 14 : 0;
  const plot = height - top - bottom;
  const w = width / values.length;
  const rects = values
    .map((v, i) => {
      const h = (v.count / max) * plot;
      return `<rect x="${(i * w).toFixed(1)}" y="${(top + plot - h).toFixed(1)}" width="${Math.max(w - 1, 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${BAR}"><title>${escapeHtml(v.label)}: ${v.count.toLocaleString('en-US')}</title></rect>`;
    })
    .join('');
  const scale = `<text x="0" y="10" font-size="10" fill="#666">${max.toLocaleString('en-US')}</text>`;
  const ends = axis
    ? `<text x="0" y="${height - 2}" font-size="10" fill="#666">${escapeHtml(axis.from)}</text>` +
      `<text x="${width}" y="${height - 2}" font-size="10" fill="#666" text-anchor="end">${escapeHtml(axis.to)}</text>`
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img">${scale}${rects}${ends}</svg>`;
}

/**
 * Horizontal bars of percentages, one labelled row each (e.g. missing values by column), scaled
 * to the largest so that small shares stay visible; each bar is labelled with its value.
 */
export function shareChart(rows: { label: string; share: number }[], width = 480): string {
  if (rows.length === 0) return '';
  const label = 160;
  const row = 16;
  const plot = width - label - 60;
  const largest = Math.max(...rows.map((r) => r.share), 1e-9);
  const bars = rows
    .map((r, i) => {
      const y = i * row;
      const w = Math.max((r.share / largest) * plot, 1);
      return (
        `<text x="${label - 6}" y="${y + 12}" font-size="11" text-anchor="end">${escapeHtml(r.label.slice(0, 24))}</text>` +
        `<rect x="${label}" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 4}" fill="${BAR}"><title>${escapeHtml(r.label)}: ${r.share.toFixed(2)} %</title></rect>` +
        `<text x="${(label + w + 4).toFixed(1)}" y="${y + 12}" font-size="10" fill="#666">${r.share.toFixed(1)} %</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${rows.length * row}" role="img">${bars}</svg>`;
}

/** A correlation matrix as coloured cells (blue positive, red negative, grey undefined). */
export function heatmap(matrix: CorrelationMatrix, title: string): string {
  const n = matrix.columns.length;
  if (n < 2) return '';
  const cell = Math.max(12, Math.min(28, Math.floor(420 / n)));
  const label = 140;
  const size = label + n * cell;
  const cells: string[] = [];
  matrix.values.forEach((row, i) =>
    row.forEach((r, j) => {
      const color =
        r === null ? '#eee' : `rgba(${r >= 0 ? POSITIVE : NEGATIVE},${Math.abs(r).toFixed(2)})`;
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
