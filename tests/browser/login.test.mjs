// login.test.mjs - a person logs in as citizen1 in a real browser through the
// local identity provider, and /api/v1/me names him.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, launch } from './chromium.mjs';

const BASE = process.env.OTKLIK_BASE_URL;

test('citizen1 logs in through the provider\'s pages and /api/v1/me names him', async () => {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/auth/esia/login?return_to=${encodeURIComponent(`${BASE}/api/v1/me`)}`);
    await page.locator('input[name=login]').fill('citizen1');
    await page.locator('input[name=password]').fill('any password');
    await page.screenshot({ path: `${ARTIFACTS}login-provider.png` });
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click(); // consent
    await page.waitForURL(`${BASE}/api/v1/me`);
    const me = JSON.parse(await page.locator('body').innerText());
    assert.equal(me.esia_oid, 'citizen1');
    assert.equal(me.name, 'Иванов Иван Иванович');
    await page.screenshot({ path: `${ARTIFACTS}login-me.png` });
    const cookies = await page.context().cookies(BASE);
    const session = cookies.find((c) => c.name === 'otklik_session');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    // JavaScript on the platform's pages cannot read it
    assert.equal(await page.evaluate(() => document.cookie.includes('otklik_session')), false);
  } finally {
    await browser.close();
  }
});
