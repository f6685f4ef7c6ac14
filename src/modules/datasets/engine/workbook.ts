import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { readSheet } from 'read-excel-file/node';
import { DatasetError, DatasetErrorCode } from '../datasets.errors';
import { type StructureReport, StructureValidator } from './structure-validator';

type Cell = string | number | boolean | Date | null;

/**
 * The first sheet of a workbook as a CSV file beside it, with that CSV's structure report (the
 * structure checks run on it as on an uploaded CSV, so their errors read the same).
 */
export async function workbookAsCsv(
  workbookPath: string,
): Promise<{ csvPath: string; structure: StructureReport }> {
  const csvPath = `${workbookPath}.csv`;
  await workbookToCsv(workbookPath, csvPath);
  const validator = new StructureValidator('csv');
  for await (const chunk of createReadStream(csvPath, { highWaterMark: 1 << 20 }))
    validator.push(chunk as Buffer);
  return { csvPath, structure: validator.finish() };
}

/**
 * Writes the first sheet of an Excel workbook as CSV, so that the workbook then takes the CSV
 * path (structure checks, lexical typing, typed copy) like any other text table: numbers as
 * their shortest round-trip text, booleans as true/false, dates as ISO dates (or datetimes when
 * they carry a time), text always quoted, empty cells empty. read-excel-file holds the sheet in
 * memory, which Excel's own limit (1,048,576 rows) keeps bounded.
 */
export async function workbookToCsv(workbookPath: string, csvPath: string): Promise<void> {
  let rows: Cell[][];
  try {
    rows = (await readSheet(workbookPath)) as unknown as Cell[][];
  } catch (error) {
    throw new DatasetError(
      DatasetErrorCode.InvalidWorkbook,
      `The workbook could not be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (rows.length === 0)
    throw new DatasetError(DatasetErrorCode.EmptyFile, 'The first sheet of the workbook is empty.');
  const width = rows.reduce((widest, row) => Math.max(widest, row.length), 0);
  const out = createWriteStream(csvPath);
  let buffer = '';
  for (const row of rows) {
    const fields: string[] = [];
    for (let k = 0; k < width; k += 1) fields.push(csvField(row[k] ?? null));
    buffer += `${fields.join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return isoDateOrDatetime(value);
  return `"${value.replace(/"/g, '""')}"`;
}

/**
 * Excel dates carry no zone: read-excel-file gives them as UTC. They are stored as floating day
 * counts, and the reader truncates to whole milliseconds, so 00:00:01 often arrives as
 * 00:00:00.999: a value one millisecond short of a whole second is taken as that second.
 */
function isoDateOrDatetime(date: Date): string {
  const time = date.getTime();
  const iso = new Date(((time % 1000) + 1000) % 1000 === 999 ? time + 1 : time).toISOString();
  if (iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  const seconds = iso.endsWith('.000Z') ? iso.slice(11, 19) : iso.slice(11, 23);
  return `${iso.slice(0, 10)} ${seconds}`;
}
