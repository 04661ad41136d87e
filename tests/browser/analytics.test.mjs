// analytics.test.mjs - the cabinet's "Аналитика" page in Debian's chromium:
// moderator1 (the region's moderation) opens it from the navigation, sees the
// period's figures, the chart by day and the heat map's cells over the
// territories' boundaries (messages sent just now with a location in
// Демоград), filters by rubric through the form (kept in the address) and
// downloads the period's report with those filters ("Скачать XLSX"); the
// page runs under the cabinet's CSP without a violation; axe-core passes;
// screenshots in tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { ARTIFACTS, launch, providerLogin, seriousViolations } from './chromium.mjs';
import { api, cleanText, rubricId, sql } from '../integration/helpers.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
let browser;
before(async () => {
  browser = await launch();
  // five messages at one spot inside Демоград's boundary, sent today
  const [lat, lon] = sql(`SELECT ST_Y(ST_PointOnSurface(boundary)), ST_X(ST_PointOnSurface(boundary)) FROM territories WHERE code = '99-demograd'`)[0].map(Number);
  for (let i = 0; i < 5; i++) {
    const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText(`Яма на дороге, место ${i}`),
      location: { lat: lat + i * 1e-4, lon: lon + i * 1e-4 } } });
    assert.equal(res.status, 201, res.text);
  }
});
after(async () => { await browser?.close(); });

async function analyticsPage(csp) {
  const context = await browser.newContext({ locale: 'ru-RU', bypassCSP: !csp, viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(`${BASE}/cabinet/`);
  await providerLogin(page, 'moderator1');
  await page.waitForURL(`${BASE}/cabinet/`);
  await page.getByRole('link', { name: 'Аналитика' }).click();
  await page.getByRole('heading', { name: 'Аналитика', level: 2 }).waitFor();
  await page.locator('.figures dd').first().waitFor();
  await page.locator('.chart canvas').first().waitFor();
  await page.getByText(/Ячеек на карте: [1-9]/).waitFor();
  return { context, page, violations };
}

test('moderator1: figures, the chart and the heat map; under the CSP', async () => {
  const { context, page, violations } = await analyticsPage(true);
  const received = Number(await page.locator('.figures div', { hasText: 'Поступило' }).locator('dd').textContent());
  assert.ok(received >= 5, `received ${received}`);
  // the boundary's outline and at least one cell drawn by Leaflet
  assert.ok(await page.locator('.map--heat .leaflet-overlay-pane path').count() >= 2);
  assert.match(page.url(), /#\/[^/]+\/analytics/);
  assert.deepEqual(violations, []);
  await context.close();
});

test('the filters go to the address; axe passes; screenshots', async () => {
  const { context, page } = await analyticsPage(false);
  await page.screenshot({ path: `${ARTIFACTS}cabinet-analytics.png`, fullPage: true });
  assert.deepEqual(await seriousViolations(page), []);
  await page.getByLabel('Рубрика').selectOption(String(rubricId()));
  await page.getByRole('button', { name: 'Показать' }).click();
  await page.waitForURL(new RegExp(`rubric=${rubricId()}`));
  await page.locator('.figures dd').first().waitFor();
  // the report of what the page shows, as a workbook
  const link = page.getByRole('link', { name: 'Скачать XLSX' });
  assert.match(await link.getAttribute('href'), new RegExp(`^/api/v1/analytics/report\\.xlsx\\?.*rubric=${rubricId()}`));
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'report.xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(readFileSync(await download.path()));
  assert.deepEqual(book.worksheets.map((w) => w.name), ['summary', 'orgs', 'days']);
  const received = book.getWorksheet('summary').getRows(1, 40).find((r) => r.getCell(1).value === 'received');
  assert.ok(Number(received.getCell(2).value) >= 5, 'the messages sent just now, of that rubric');
  await context.close();
});
