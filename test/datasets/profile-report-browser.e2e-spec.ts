import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { newUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';
import { stopProcess } from '../support/processes';
import { startWorker } from '../support/worker-process';
import { newDataset } from './datasets-factories';

describe('HTML profile report in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  let worker: ChildProcess;

  beforeAll(async () => {
    app = await startTestApp();
    worker = await startWorker(app);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (worker) await stopProcess(worker);
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
    // The story in plain words, from the profile the worker computed: sex holds most of the
    // missing values, and flipper length and body mass rise together.
    const story = await page.locator('ul.story').innerText();
    expect(story).toContain('344 rows and 8 columns');
    expect(story).toMatch(
      /19 cells are missing \(0\.7 % of all cells\), most in sex \(11, 3\.2 %\)/,
    );
    expect(story).toContain('flipper_length_mm and body_mass_g rise together (Pearson r = 0.87)');
    // Every column is one click away from the index.
    await page.locator('ul.index a', { hasText: 'body_mass_g' }).click();
    expect(await page.locator('section.col:target h3').innerText()).toBe('body_mass_g');
    const box = await page.locator('body').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThan(500);
  });
});
