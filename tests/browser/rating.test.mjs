// rating.test.mjs - the cabinet's "Рейтинг" page in Debian's chromium:
// moderator1 opens it from the navigation after the scheduler computed the
// month (otklikctl tick), sees the regions' ranking, picks the demo region
// (its municipalities ranked), opens Демоград's indicators, switches to
// English; no CSP violation; axe-core passes; screenshots in tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, launch, providerLogin, seriousViolations } from './chromium.mjs';
import { sql } from '../integration/helpers.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
let browser;
before(async () => {
  browser = await launch();
  sql(`UPDATE territories SET population = 250000 WHERE code = '99-demograd'`);
  execFileSync(`${process.env.OTKLIK_BIN}/otklikctl`, ['tick']);
});
after(async () => { await browser?.close(); });

const axe = (page) => seriousViolations(page);

test('moderator1: the ranking, a region\'s municipalities and one\'s indicators; English; CSP and axe', async () => {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(`${BASE}/cabinet/`);
  await providerLogin(page, 'moderator1');
  await page.waitForURL(`${BASE}/cabinet/`);
  await page.getByRole('link', { name: 'Рейтинг' }).click();
  await page.getByRole('heading', { name: 'Рейтинг регионов и муниципалитетов', level: 2 }).waitFor();
  await page.locator('table.rating caption', { hasText: 'Регионы' }).waitFor();
  // the month shown is the one computed: the current (UTC), before anything is chosen
  assert.equal(await page.getByLabel('Месяц').inputValue(), new Date().toISOString().slice(0, 7));
  const region = sql(`SELECT name FROM territories WHERE code = '99'`)[0][0];
  await page.getByLabel('Регион', { exact: true }).selectOption('99');
  await page.getByRole('button', { name: 'Показать', exact: true }).click();
  await page.waitForURL(/rating\?(.*&)?region=99/);
  await page.locator('table.rating caption', { hasText: `Муниципалитеты: ${region}` }).waitFor();
  const demograd = sql(`SELECT name FROM territories WHERE code = '99-demograd'`)[0][0];
  await page.getByRole('button', { name: `Показатели: ${demograd}` }).click();
  await page.getByRole('heading', { name: `Показатели: ${demograd}` }).waitFor();
  const rows = page.locator('.rating-indicators tbody tr');
  assert.ok(await rows.count() >= 20, 'at least 20 indicators');
  assert.match(await rows.first().textContent(), /Сообщений на 10 000 жителей/);
  assert.match(page.url(), /territory=99-demograd/);
  await page.screenshot({ path: `${ARTIFACTS}cabinet-rating.png`, fullPage: true });
  assert.deepEqual(await axe(page), []);
  await page.getByRole('button', { name: 'English' }).or(page.locator('header .who button.link')).first().click();
  await page.getByRole('heading', { name: 'Rating of regions and municipalities' }).waitFor();
  await page.getByText('Messages per 10,000 residents').waitFor();
  await page.screenshot({ path: `${ARTIFACTS}cabinet-rating-en.png`, fullPage: true });
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(violations, []);
  await context.close();
});
