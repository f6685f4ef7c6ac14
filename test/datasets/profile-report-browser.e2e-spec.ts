import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { newUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { startWorker, stopWorker } from '../support/worker-process';
import { newDataset } from './datasets-factories';

const CHROMIUM = '/usr/bin/chromium';

describe('HTML profile report in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let worker: ChildProcess;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    app = await startTestApp();
    worker = await startWorker(app);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (worker) await stopWorker(worker);
    await app?.close();
  });

  it('should render the penguins report with its charts and no external requests', async () => {
    const user = await newUser(app);
    const csv = readFileSync(join(__dirname, '..', 'fixtures', 'datasets', 'penguins.csv'));
    const dataset = await newDataset(app, user, csv as unknown as string, {
      fileName: 'penguins.csv',
      name: 'penguins',
    });
    expect(dataset.status).toBe('ready');
    const html = await app
      .http()
      .get(`/api/v1/datasets/${dataset.id}/profile.html`)
      .set(user.auth)
      .expect(200);

    const page = await browser.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.route('**/*', async (route) => {
      outside.push(route.request().url());
      await route.abort();
    });
    await page.setContent(html.text, { waitUntil: 'load' });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    expect(await page.locator('svg').count()).toBeGreaterThan(5);
    const text = (await page.locator('body').innerText()).toLowerCase();
    for (const word of ['species', 'bill_length_mm', 'island']) expect(text).toContain(word);
    const box = await page.locator('body').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(500);
  });
});
