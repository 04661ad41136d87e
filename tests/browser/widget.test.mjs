// widget.test.mjs - the embeddable widget on the demo agency page (another
// origin), in Debian's chromium with third-party cookies blocked: login,
// sending with a photo, a network cut, keyboard-only use, axe-core, and a host
// page with hostile CSS. Screenshots go to tests/artifacts/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ARTIFACTS, launch } from './chromium.mjs';
import { PNG, sql } from '../integration/helpers.mjs';
import { accept, answer, approve, assign, send } from '../integration/journeys.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
const DEMO = process.env.OTKLIK_DEMO_URL;
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let browser;
let context; // one browsing profile: the widget's login persists in it
const metrics = {};

before(async () => {
  // the demo page of this test run lives on its own port: let the widget allow it
  sql(`UPDATE widgets SET allowed_origins = array_append(array_remove(allowed_origins, '${DEMO}'), '${DEMO}') WHERE key = 'demo-widget'`);
  browser = await launch(['--test-third-party-cookie-phaseout']);
  context = await browser.newContext({ locale: 'ru-RU' });
});
after(async () => {
  sql(`UPDATE widgets SET allowed_origins = array_remove(allowed_origins, '${DEMO}') WHERE key = 'demo-widget'`);
  writeFileSync(`${ARTIFACTS}widget-metrics.json`, `${JSON.stringify({ ...metrics,
    gzip_bytes: JSON.parse(readFileSync(new URL('../../widget-js/dist/sizes.json', import.meta.url))) }, null, 2)}\n`);
  await browser?.close();
});

const frameOf = (page) => page.frameLocator('iframe[title]');
const messagesWithText = (text) => Number(sql(`SELECT count(*) FROM messages WHERE text = '${text.replace(/'/g, "''")}'`)[0][0]);

async function openWidget(page, name = 'Сообщить о проблеме') {
  await page.goto(`${DEMO}/`);
  await page.getByRole('button', { name }).click();
  await frameOf(page).locator('#rubric').waitFor();
  metrics.click_to_form_ms = await page.evaluate(() => window.Otklik.metrics.openMs);
}

async function loginInPopup(page, trigger) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), trigger()]);
  await popup.locator('input[name=login]').fill('citizen1');
  await popup.locator('input[name=password]').fill('any');
  await popup.locator('button[type=submit]').click();
  await popup.waitForURL(/\/interaction\//);
  await popup.locator('button[type=submit]').click();
  await popup.waitForEvent('close');
}

describe('the widget on an agency page of another origin', () => {
  test('log in as citizen1, send a message with a photo, see its number and status', async () => {
    const page = await context.newPage();
    await openWidget(page);
    const frame = frameOf(page);
    await page.screenshot({ path: `${ARTIFACTS}widget-form.png` });
    const text = `Яма у дома 5 по улице Ленина, фото приложено ${Date.now()}`;
    await frame.locator('#rubric').selectOption({ label: 'Ямы и выбоины на дорогах' });
    await frame.locator('#text').fill(text);
    assert.equal(await frame.locator('#text-counter').innerText(), `${[...text].length} из 5000`);
    await frame.locator('#address').fill('ул. Ленина, 5');
    await frame.locator('#photos').setInputFiles({ name: 'yama.png', mimeType: 'image/png', buffer: PNG });
    await frame.locator('.previews img').waitFor();
    await loginInPopup(page, () => frame.locator('#send').click());
    await frame.locator('#sent-status').waitFor();
    const heading = await frame.locator('h1').innerText();
    const id = Number(heading.match(/№ (\d+)/)[1]);
    assert.match(await frame.locator('#sent-status').innerText(), /На модерации/);
    await page.screenshot({ path: `${ARTIFACTS}widget-sent.png` });
    assert.deepEqual(sql(`SELECT m.status, m.widget_key, u.esia_oid, m.address, (SELECT count(*) FROM attachments a WHERE a.message_id = m.id)
      FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = ${id}`), [['moderation', 'demo-widget', 'citizen1', 'ул. Ленина, 5', '1']]);
    // no session cookie was needed, nor set, for the platform in this third-party frame
    const cookies = await context.cookies(BASE);
    assert.equal(cookies.some((c) => c.name === 'otklik_session'), false);
    await page.close();
  });

  test('my messages: the list and a message\'s status', async () => {
    const page = await context.newPage();
    await openWidget(page);
    const frame = frameOf(page);
    await frame.getByRole('button', { name: 'Мои сообщения' }).click();
    await frame.locator('.messages li').first().waitFor();
    await frame.locator('.messages button').first().click();
    await frame.locator('h1', { hasText: /№ \d+/ }).waitFor();
    assert.ok(await frame.locator('.status').count() >= 1);
    await page.screenshot({ path: `${ARTIFACTS}widget-detail.png` });
    await page.close();
  });

  test('the answer given in the cabinet is what the citizen reads in the widget', async () => {
    const id = await send('citizen1');
    await accept(id);
    await assign(id);
    await answer(id, 'executor1', 'Яма у дома 5 заделана 20 ноября, спасибо за сообщение.');
    await approve(id);
    const page = await context.newPage();
    await openWidget(page);
    const frame = frameOf(page);
    await frame.getByRole('button', { name: 'Мои сообщения' }).click();
    await frame.locator('.messages button', { hasText: `№ ${id} ` }).click();
    await frame.locator('.answer', { hasText: 'Яма у дома 5 заделана 20 ноября' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}widget-answer.png` });
    await page.close();
  });

  test('the network cut while sending, then back: exactly one message', async () => {
    const page = await context.newPage();
    let cut = 0;
    await context.route(`${BASE}/api/v1/messages`, async (route) => {
      if (route.request().method() === 'POST' && cut++ === 0) {
        await route.fetch(); // the server gets it and answers ...
        await route.abort('internetdisconnected'); // ... but the answer is lost
      } else {
        await route.continue();
      }
    });
    try {
      await openWidget(page);
      const frame = frameOf(page);
      const text = `Не горит фонарь во дворе дома 7 уже неделю ${Date.now()}`;
      await frame.locator('#rubric').selectOption({ label: 'Не горят уличные фонари' });
      await frame.locator('#text').fill(text);
      await frame.locator('#send').click();
      await frame.locator('#sent-status').waitFor({ timeout: 15000 });
      assert.equal(cut, 2);
      assert.equal(messagesWithText(text), 1);
    } finally {
      await context.unroute(`${BASE}/api/v1/messages`);
      await page.close();
    }
  });

  test('keyboard only: open, fill, send, close; focus returns to the button', async () => {
    const page = await context.newPage();
    await page.goto(`${DEMO}/`);
    await page.locator('otklik-widget').waitFor({ state: 'attached' });
    const widgetFocused = () => page.evaluate(() => document.activeElement?.tagName === 'OTKLIK-WIDGET');
    for (let i = 0; i < 10 && !(await widgetFocused()); i++) await page.keyboard.press('Tab');
    assert.ok(await widgetFocused(), 'Tab never reached the widget button');
    await page.keyboard.press('Enter');
    const frame = frameOf(page);
    await frame.locator('#rubric').waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'OTKLIK-WIDGET');
    const text = `Клавиатурой: мусорные контейнеры переполнены третий день ${Date.now()}`;
    await page.keyboard.press('Tab'); // the close button
    await page.keyboard.press('Tab'); // the rubric
    assert.equal(await frame.locator(':focus').getAttribute('id'), 'rubric');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    assert.equal(await frame.locator(':focus').getAttribute('id'), 'text');
    await page.keyboard.type(text);
    for (let i = 0; i < 10; i++) {
      if ((await frame.locator(':focus').getAttribute('id')) === 'send') break;
      await page.keyboard.press('Tab');
    }
    assert.equal(await frame.locator(':focus').getAttribute('id'), 'send');
    await page.keyboard.press('Enter');
    await frame.locator('#sent-status').waitFor();
    assert.equal(messagesWithText(text), 1);
    await page.screenshot({ path: `${ARTIFACTS}widget-keyboard.png` });
    await page.keyboard.press('Escape');
    await page.locator('otklik-widget').evaluate((el) => el.shadowRoot.querySelector('.overlay').hidden)
      .then((hidden) => assert.equal(hidden, true));
    assert.ok(await widgetFocused(), 'focus did not return to the widget button');
    await page.close();
  });

  test('axe-core finds no serious or critical violation in the open form', async () => {
    const axeContext = await browser.newContext({ bypassCSP: true });
    const page = await axeContext.newPage();
    try {
      await openWidget(page);
      const frame = page.frames().find((f) => f.url().includes('/widget/frame/'));
      await frame.evaluate(axeSource);
      const results = await frame.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const bad = results.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
      assert.deepEqual(bad.map((v) => `${v.id}: ${v.help}`), []);
      await page.evaluate(axeSource);
      const host = await page.evaluate(() => window.axe.run(document.querySelector('otklik-widget'), { resultTypes: ['violations'] }));
      assert.deepEqual(host.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id), []);
    } finally {
      await axeContext.close();
    }
  });

  test('a host page with hostile CSS neither breaks the widget nor is changed by it', async () => {
    const page = await context.newPage();
    await page.addInitScript(() => { window.__keysBefore = Object.getOwnPropertyNames(window); });
    await page.goto(`${DEMO}/hostile.html`);
    const button = page.getByRole('button', { name: 'Report a problem' });
    await button.waitFor();
    const box = await button.boundingBox();
    assert.ok(box && box.width > 60 && box.height > 30, `button squashed: ${JSON.stringify(box)}`);
    const paragraph = await page.locator('#host-paragraph').evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.color, s.fontSize, s.display];
    });
    assert.deepEqual(paragraph, ['rgb(1, 2, 3)', '13px', 'block']);
    const added = await page.evaluate(() => Object.getOwnPropertyNames(window).filter((k) => !window.__keysBefore.includes(k) && k !== '__keysBefore'));
    assert.deepEqual(added, ['Otklik']);
    await button.click();
    const frame = frameOf(page);
    await frame.locator('#rubric').waitFor();
    const frameBox = await page.locator('otklik-widget').evaluate((el) => el.shadowRoot.querySelector('iframe').getBoundingClientRect().toJSON());
    assert.ok(frameBox.width > 300 && frameBox.height > 300, `frame squashed: ${JSON.stringify(frameBox)}`);
    assert.equal(await frame.locator('label[for=rubric]').innerText(), 'Topic');
    await page.screenshot({ path: `${ARTIFACTS}widget-hostile.png` });
    await page.close();
  });

  test('the form may be framed only by the widget\'s allowed origins', async () => {
    const res = await fetch(`${BASE}/widget/frame/demo-widget`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /frame-ancestors http:\/\/127\.0\.0\.1:8081/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.equal(res.headers.get('x-frame-options'), null);
    assert.equal((await fetch(`${BASE}/widget/frame/no-such-widget`)).status, 404);
    // a foreign page cannot frame it
    const page = await context.newPage();
    await page.goto(`${BASE}/widget/otklik.js`); // any page of another origin than the demo
    const blocked = await page.evaluate(async (src) => {
      const f = document.createElement('iframe');
      f.src = src;
      document.body?.append(f);
      await new Promise((r) => setTimeout(r, 1000));
      try { return f.contentDocument === null || f.contentDocument.querySelector('#app') === null; } catch { return true; }
    }, `${BASE}/widget/frame/demo-widget`);
    assert.equal(blocked, true);
    await page.close();
  });
});
