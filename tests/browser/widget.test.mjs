// widget.test.mjs - the embeddable widget on the demo agency page (another
// origin), in Debian's chromium with third-party cookies blocked: login,
// sending with a photo, "my messages" before sending anything, geolocation, a
// login renewed without losing the draft, a network cut, keyboard-only use,
// axe-core, and a host page with hostile CSS. Screenshots go to tests/artifacts/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ARTIFACTS, launch, providerSignIn } from './chromium.mjs';
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

const widgetFrame = (page) => page.frames().find((f) => f.url().includes('/widget/frame/'));
const axeBad = async (frame) => {
  await frame.evaluate(axeSource);
  const results = await frame.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => `${v.id}: ${v.help}`);
};
const located = (id) => sql(`SELECT latitude, longitude FROM messages WHERE id = ${id}`)[0].map(Number);

/** Fills the form: a rubric, the text, the address and one photo. */
async function fillDraft(frame, text, address, photo) {
  await frame.locator('#rubric').selectOption({ label: 'Ямы и выбоины на дорогах' });
  await frame.locator('#text').fill(text);
  await frame.locator('#address').fill(address);
  await frame.locator('#photos').setInputFiles({ name: photo, mimeType: 'image/png', buffer: PNG });
  await frame.locator('.previews img').waitFor();
}

async function openWidget(page, name = 'Сообщить о проблеме') {
  await page.goto(`${DEMO}/`);
  await page.getByRole('button', { name }).click();
  await frameOf(page).locator('#rubric').waitFor();
  metrics.click_to_form_ms = await page.evaluate(() => window.Otklik.metrics.openMs);
}

/** Logs in through the widget's popup. The provider remembers a person who
 * logged in before in this browser: then the popup goes through by itself. */
async function loginInPopup(page, trigger, oid = 'citizen1') {
  const [popup] = await Promise.all([page.waitForEvent('popup'), trigger()]);
  const closed = popup.waitForEvent('close');
  const gone = closed.then(() => false);
  const form = popup.locator('input[name=login]');
  if (await Promise.race([form.waitFor().then(() => true, () => false), gone])) {
    await providerSignIn(popup, oid, { noWaitAfter: true });
  }
  await closed;
}

describe('the widget on an agency page of another origin', () => {
  test('log in as citizen1, send a message with a photo, see its number and status', async () => {
    const page = await context.newPage();
    await openWidget(page);
    const frame = frameOf(page);
    await page.screenshot({ path: `${ARTIFACTS}widget-form.png` });
    const text = `Яма у дома 5 по улице Ленина, фото приложено ${Date.now()}`;
    await fillDraft(frame, text, 'ул. Ленина, 5', 'yama.png');
    assert.equal(await frame.locator('#text-counter').innerText(), `${[...text].length} из 5000`);
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

  test('"Мои сообщения" before sending anything: log in from the widget, the list, a message', async () => {
    const id = await send('citizen2'); // sent elsewhere, before this browser ever saw the widget
    const fresh = await browser.newContext({ locale: 'ru-RU', bypassCSP: true }); // for axe
    try {
      const page = await fresh.newPage();
      await openWidget(page);
      const frame = frameOf(page);
      await frame.getByText('Чтобы отправить сообщение или посмотреть свои, войдите').waitFor();
      assert.equal(await frame.getByRole('button', { name: 'Войти', exact: true }).count(), 1);
      await loginInPopup(page, () => frame.getByRole('button', { name: 'Мои сообщения' }).click(), 'citizen2');
      const item = frame.locator('.messages button', { hasText: `№ ${id} ` });
      await item.waitFor();
      assert.match(await item.innerText(), /На модерации/);
      assert.match(await item.innerText(), /\d{1,2} [а-я]+ \d{4}/); // its date, in Russian
      await page.screenshot({ path: `${ARTIFACTS}widget-mine-first.png` });
      assert.deepEqual(await axeBad(widgetFrame(page)), []);
      await item.click();
      await frame.locator('h1', { hasText: `№ ${id}` }).waitFor();
      assert.equal(await frame.locator('.status').innerText(), 'На модерации');
      // back to the form: logged in now, no login notice, a way out
      await frame.getByRole('button', { name: 'Назад' }).click();
      await frame.getByRole('button', { name: 'Новое сообщение' }).click();
      await frame.getByRole('button', { name: 'Выйти' }).waitFor();
      assert.deepEqual((await frame.locator('#account').innerText()).split(/\s*\n\s*/), ['Мои сообщения', 'Выйти']);
      assert.deepEqual(await axeBad(widgetFrame(page)), []);
      // logged out, "my messages" asks for a login again; nothing was sent from this browser
      await frame.getByRole('button', { name: 'Выйти' }).click();
      await frame.getByRole('button', { name: 'Войти', exact: true }).waitFor();
      assert.equal(sql(`SELECT count(*) FROM messages m JOIN users u ON u.id = m.author_id WHERE u.esia_oid = 'citizen2' AND m.widget_key IS NOT NULL AND m.id >= ${id}`)[0][0], '0');
    } finally {
      await fresh.close();
    }
  });

  test('"Определить моё местоположение" fills the message\'s location, told in words, and can be cleared', async () => {
    const res = await fetch(`${BASE}/widget/frame/demo-widget`);
    assert.equal(res.headers.get('permissions-policy'), 'geolocation=(self), camera=(), microphone=()');
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 55.7558, longitude: 37.6173 });
    const page = await context.newPage();
    try {
      await openWidget(page);
      const frame = frameOf(page);
      const text = `Сломана скамейка в сквере у остановки ${Date.now()}`;
      await frame.locator('#rubric').selectOption({ label: 'Ямы и выбоины на дорогах' });
      await frame.locator('#text').fill(text);
      await frame.getByRole('button', { name: 'Определить моё местоположение' }).click();
      await frame.locator('#locate-status', { hasText: 'широта 55,7558, долгота 37,6173' }).waitFor();
      await page.screenshot({ path: `${ARTIFACTS}widget-location.png` });
      await frame.getByRole('button', { name: 'Убрать местоположение' }).click();
      assert.equal(await frame.locator('#locate-status').innerText(), '');
      assert.equal(await frame.locator('#unlocate').isVisible(), false);
      await frame.getByRole('button', { name: 'Определить моё местоположение' }).click();
      await frame.locator('#locate-status', { hasText: 'широта 55,7558' }).waitFor();
      await frame.locator('#send').click();
      const id = Number((await frame.locator('h1', { hasText: /№ \d+/ }).innerText()).match(/№ (\d+)/)[1]);
      assert.deepEqual(located(id), [55.7558, 37.6173]);
    } finally {
      await context.clearPermissions();
      await page.close();
    }
  });

  test('a login near its end is renewed before sending, and the draft survives it', async () => {
    // the stored token has two minutes left: still valid, too short to rely on
    let page = await context.newPage();
    await openWidget(page);
    await widgetFrame(page).evaluate(() => {
      const saved = JSON.parse(localStorage.getItem('otklik.session'));
      localStorage.setItem('otklik.session', JSON.stringify({ ...saved, expires_at: Math.floor(Date.now() / 1000) + 120 }));
    });
    await page.close();
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 56.1, longitude: 40.4 });
    page = await context.newPage();
    try {
      await openWidget(page);
      const frame = frameOf(page);
      await frame.getByText('Вход скоро закончится').waitFor();
      const text = `Черновик переживает вход: лужа на переходе ${Date.now()}`;
      await fillDraft(frame, text, 'ул. Мира, 3', 'luzha.png');
      await frame.locator('#locate').click();
      await frame.locator('#locate-status', { hasText: 'широта 56,1' }).waitFor();
      await loginInPopup(page, () => frame.locator('#send').click());
      await frame.locator('#sent-status').waitFor();
      assert.deepEqual(sql(`SELECT m.address, m.latitude, m.longitude, (SELECT count(*) FROM attachments a WHERE a.message_id = m.id)
        FROM messages m WHERE m.text = '${text}'`), [['ул. Мира, 3', '56.1', '40.4', '1']]);
    } finally {
      await context.clearPermissions();
      await page.close();
    }
  });

  test('a session that ends while sending: log in again, the same draft and uploads are sent', async () => {
    const page = await context.newPage();
    let revoked = 0;
    await context.route(`${BASE}/api/v1/messages`, async (route) => {
      // the photo is uploaded; then the session ends before the message goes
      if (route.request().method() === 'POST' && revoked++ === 0) {
        sql(`UPDATE sessions SET revoked_at = now() WHERE kind = 'widget' AND revoked_at IS NULL
          AND user_id = (SELECT id FROM users WHERE esia_oid = 'citizen1')`);
      }
      await route.continue();
    });
    try {
      await openWidget(page);
      const frame = frameOf(page);
      const text = `Сессия закончилась посреди отправки: упало дерево ${Date.now()}`;
      await fillDraft(frame, text, 'ул. Садовая, 1', 'derevo.png');
      const uploadsBefore = Number(sql('SELECT count(*) FROM attachments')[0][0]);
      await loginInPopup(page, () => frame.locator('#send').click());
      await frame.locator('#sent-status').waitFor();
      assert.equal(revoked, 2);
      assert.deepEqual(sql(`SELECT m.address, (SELECT count(*) FROM attachments a WHERE a.message_id = m.id)
        FROM messages m WHERE m.text = '${text}'`), [['ул. Садовая, 1', '1']]);
      // the photo uploaded before the login was kept, not uploaded twice
      assert.equal(Number(sql('SELECT count(*) FROM attachments')[0][0]), uploadsBefore + 1);
    } finally {
      await context.unroute(`${BASE}/api/v1/messages`);
      await page.close();
    }
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
    await page.keyboard.press('Tab'); // the account row: my messages
    assert.equal(await frame.locator(':focus').getAttribute('id'), 'mine');
    for (let i = 0; i < 3 && (await frame.locator(':focus').getAttribute('id')) !== 'rubric'; i++) await page.keyboard.press('Tab');
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
