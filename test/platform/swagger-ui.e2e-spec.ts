import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { newUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Swagger UI in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchChromium();
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
