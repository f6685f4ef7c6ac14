import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { newUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = '/usr/bin/chromium';

describe('Swagger UI in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    app = await startTestApp();
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
    await app?.close();
  });

  it('should sign in with the OAuth2 password flow and run "Try it out" on /auth/me', async () => {
    const user = await newUser(app);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${app.url}/docs`);
    await page.locator('button.authorize').first().click();
    await page.locator('#oauth_username').fill(user.email);
    await page.locator('#oauth_password').fill(user.password);
    await page
      .locator('.auth-container')
      .filter({ has: page.locator('#oauth_username') })
      .locator('button.authorize')
      .click();
    await page.locator('.auth-container').filter({ hasText: 'Authorized' }).first().waitFor();
    await page.locator('button.btn-done').first().click();

    const operation = page.locator('#operations-auth-AuthController_me_v1');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    await expect(
      operation.locator('.live-responses-table .microlight').first().textContent(),
    ).resolves.toContain(user.email);
    expect(errors).toEqual([]);
  });
});
