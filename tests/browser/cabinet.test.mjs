// cabinet.test.mjs - the staff cabinet (/cabinet/) in Debian's chromium:
// staff log in through the identity provider's pages, see their queues, open
// a message's card and act on it; errors from the API appear beside the
// fields; a curator gets no action controls; another organisation's message is
// a "not found" page. axe-core on every screen; screenshots in tests/artifacts/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ARTIFACTS, launch, providerLogin, seriousViolations } from './chromium.mjs';
import { api, cleanText, freshToken, PNG, rubricId, sql } from '../integration/helpers.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
const PHOTO = readFileSync(new URL('../integration/fixtures/photo-640x480.jpg', import.meta.url));
let browser;

const metrics = {};
before(async () => { browser = await launch(); });
after(async () => {
  // reported, not asserted (README: what the cabinet weighs and how soon a queue shows)
  writeFileSync(`${ARTIFACTS}cabinet-metrics.json`, `${JSON.stringify({ ...metrics,
    gzip_bytes: JSON.parse(readFileSync(new URL('../../web/dist/sizes.json', import.meta.url))) }, null, 2)}\n`);
  await browser?.close();
});

/** A page logged in as oid through the provider's pages, on the cabinet. */
async function loggedIn(oid, { csp = false } = {}) {
  // bypassCSP only so that axe-core can be injected; the cabinet itself runs under its CSP (csp: the page too)
  const context = await browser.newContext({ locale: 'ru-RU', bypassCSP: !csp, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/cabinet/`);
  await providerLogin(page, oid);
  try {
    await page.waitForURL(`${BASE}/cabinet/`);
  } catch (e) {
    await page.screenshot({ path: `${ARTIFACTS}debug-login-${oid}.png` });
    console.log('DEBUG URL', page.url(), (await page.content()).slice(0, 500));
    throw e;
  }
  return page;
}

async function assertAccessible(page, what) {
  assert.deepEqual(await seriousViolations(page, what), []);
}

async function sent(oid = 'citizen1', attachment_ids = undefined) {
  const res = await api('POST', '/api/v1/messages', { auth: oid, body: { rubric_id: rubricId(), text: cleanText('Сломан светофор у школы'), attachment_ids } });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

describe('the staff cabinet', () => {
  test('the login page says what the cabinet is and passes axe', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', bypassCSP: true });
    const page = await context.newPage();
    const res = await page.goto(`${BASE}/cabinet/`);
    assert.match(res.headers()['content-security-policy'], /script-src 'self'/);
    await page.getByRole('heading', { name: 'Вход в кабинет организации' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}cabinet-login.png` });
    await assertAccessible(page, 'login');
    await context.close();
  });

  test('moderator1: the moderation queue, a card, an error beside its field, then accepted', async () => {
    const flagged = await api('POST', '/api/v1/messages', { auth: 'citizen3', body: { rubric_id: rubricId(), widget_key: 'demo-widget',
      text: cleanText('Подробности на сайте www.example.ru про яму') } });
    assert.equal(flagged.status, 201, flagged.text);
    const id = await sent();
    const page = await loggedIn('moderator1');
    await page.getByRole('heading', { name: 'На модерации' }).waitFor();
    // how soon a queue of up to 50 shows once logged in (a fresh load of the page)
    const started = Date.now();
    await page.reload();
    await page.locator('table.messages tbody tr').first().waitFor();
    metrics.logged_in_to_queue_ms = Date.now() - started;
    metrics.queue_rows = await page.locator('table.messages tbody tr').count();
    // the queue's link carries its count (GET /api/v1/staff/counts)
    const count = Number(sql(`SELECT count(*) FROM messages WHERE status = 'moderation'`)[0][0]);
    await page.getByRole('link', { name: `На модерации ${Math.min(count, 1000)}` }).waitFor();
    const link = page.getByRole('link', { name: String(id), exact: true });
    await link.waitFor();
    // a flagged message shows the suggested reason's title and the widget it came through
    const row = page.locator('table.messages tr').filter({ has: page.getByRole('link', { name: String(flagged.body.id), exact: true }) });
    await row.getByText('Реклама, спам, ссылки, не по теме').waitFor();
    await row.getByText('через виджет demo-widget').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}cabinet-queue.png`, fullPage: true });
    await assertAccessible(page, 'queue');
    await link.click();
    await page.getByRole('heading', { name: new RegExp(`Сообщение № ${id}`) }).waitFor();
    // where it came from: sent with a bearer token, so through the API
    const facts = page.locator('aside dl');
    await facts.getByText('Канал', { exact: true }).waitFor();
    await facts.getByText('API', { exact: true }).waitFor();
    // rejecting without a reason: the API's error, in the summary and beside the field
    const reject = page.locator('form#action-reject');
    await reject.getByRole('button', { name: 'Отклонить' }).click();
    await reject.locator('.error-summary').waitFor();
    assert.match(await reject.locator('.field--error').first().innerText(), /Причина отклонения/);
    await page.screenshot({ path: `${ARTIFACTS}cabinet-card-error.png`, fullPage: true });
    await assertAccessible(page, 'card with an error');
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], 'moderation');
    // accepted into demo-admin
    const accept = page.locator('form#action-accept');
    await accept.getByLabel('Организация (код)').fill('demo-admin');
    await accept.getByRole('button', { name: 'Принять' }).click();
    await page.getByRole('status').filter({ hasText: 'Зарегистрировано' }).waitFor();
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], 'registered');
    await page.screenshot({ path: `${ARTIFACTS}cabinet-card.png`, fullPage: true });
    await page.context().close();
  });

  test('moderator1: a located message on a map under the CSP, filtered by territory, accepted into the suggested organisation', async () => {
    // a territory of this run, and a routing rule of the parent rubric there (sql/014)
    const territory = `t-map-${Date.now() % 1000000}`;
    sql(`INSERT INTO territories (code, name, kind, parent_id) SELECT '${territory}', 'Квартал у школы', 'municipality', id
      FROM territories WHERE code = '99-demograd'`);
    sql(`INSERT INTO routing_rules (rubric_id, territory_id, organisation_id) SELECT ${rubricId('roads')}, t.id, o.id
      FROM territories t, organisations o WHERE t.code = '${territory}' AND o.code = 'demo-roads'`);
    const res = await api('POST', '/api/v1/messages', { auth: 'citizen1',
      body: { rubric_id: rubricId(), text: cleanText('Яма у школы'), location: { lat: 55.7512, lon: 37.6184 } } });
    assert.equal(res.status, 201, res.text);
    const id = res.body.id;
    sql(`UPDATE messages SET territory_id = (SELECT id FROM territories WHERE code = '${territory}') WHERE id = ${id}`);

    // axe on the filtered queue and on the card with its map, at 1280 and 768 px
    const look = await loggedIn('moderator1');
    for (const width of [1280, 768]) {
      await look.setViewportSize({ width, height: 900 });
      await look.goto(`${BASE}/cabinet/#/demo-cur/moderation?territory=${territory}`);
      await look.getByRole('link', { name: String(id), exact: true }).waitFor();
      await assertAccessible(look, `queue by territory at ${width}`);
      await look.goto(`${BASE}/cabinet/#/demo-cur/message/${id}`);
      await look.locator('.map-canvas .leaflet-control-scale').waitFor();
      await assertAccessible(look, `card with a map at ${width}`);
      await look.screenshot({ path: `${ARTIFACTS}cabinet-card-map-${width}.png`, fullPage: true });
    }
    await look.context().close();

    // the same under the cabinet's CSP: no violation on the way
    const page = await loggedIn('moderator1', { csp: true });
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    await page.evaluate(() => addEventListener('securitypolicyviolation', (e) => { (window.cspViolations ??= []).push(e.violatedDirective); }));
    await page.getByLabel('Территория (код)').fill(territory);
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.waitForFunction(() => document.querySelector('section[aria-busy="false"]')
      && document.querySelectorAll('table.messages tbody tr').length === 1);
    assert.match(page.url(), new RegExp(`territory=${territory}`));
    const row = page.locator('table.messages tr').filter({ has: page.getByRole('link', { name: String(id), exact: true }) });
    await row.getByText('предложено: Управление дорожного хозяйства г. Демоград').waitFor();
    await row.getByRole('link', { name: String(id), exact: true }).click();
    // the map: the marker and a scale on a plain background, and the link to OpenStreetMap
    await page.locator('.map-canvas.leaflet-container path.leaflet-interactive, .map-canvas.leaflet-container path').first().waitFor();
    assert.ok(await page.locator('.map-canvas .leaflet-control-scale').isVisible());
    assert.equal(await page.locator('link[rel=stylesheet][href$="map.css"]').count(), 1);
    assert.match(await page.getByRole('link', { name: 'открыть в OpenStreetMap' }).getAttribute('href'), /mlat=55\.7512&mlon=37\.6184/);
    await page.getByText('Управление дорожного хозяйства г. Демоград (demo-roads)').waitFor();
    // the accept form starts from the suggested organisation
    const accept = page.locator('form#action-accept');
    assert.equal(await accept.getByLabel('Организация (код)').inputValue(), 'demo-roads');
    await accept.getByRole('button', { name: 'Принять' }).click();
    await page.getByRole('status').filter({ hasText: 'Зарегистрировано' }).waitFor();
    assert.equal(sql(`SELECT o.code FROM messages m JOIN organisations o ON o.id = m.organisation_id WHERE m.id = ${id}`)[0][0], 'demo-roads');
    assert.deepEqual([...violations, ...(await page.evaluate(() => window.cspViolations ?? []))], []);
    await page.context().close();
    sql(`DELETE FROM routing_rules WHERE territory_id = (SELECT id FROM territories WHERE code = '${territory}')`);
  });

  test('coordinator1 assigns to executor1 by name; curator1 sees the card without any action, its photos as thumbnails, and opens one', async () => {
    const upload = await api('POST', '/api/v1/attachments', { auth: 'citizen1', raw: PNG, headers: { 'content-type': 'image/png' } });
    assert.equal(upload.status, 201, upload.text);
    const photo = await api('POST', '/api/v1/attachments', { auth: 'citizen1', raw: PHOTO, headers: { 'content-type': 'image/jpeg' } });
    assert.equal(photo.status, 201, photo.text);
    const id = await sent('citizen1', [upload.body.id, photo.body.id]);
    const accepted = await api('POST', `/api/v1/messages/${id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-admin' } });
    assert.equal(accepted.status, 200, accepted.text);
    const page = await loggedIn('coordinator1');
    await page.goto(`${BASE}/cabinet/#/demo-admin/message/${id}`);
    const assign = page.locator('form#action-assign');
    await assign.getByLabel('Исполнитель').selectOption({ label: 'Смирнов Дмитрий Андреевич' });
    await assign.getByRole('button', { name: 'Назначить исполнителя' }).click();
    await page.getByRole('status').filter({ hasText: 'В работе' }).waitFor();
    assert.equal(sql(`SELECT u.esia_oid FROM messages m JOIN users u ON u.id = m.assignee_id WHERE m.id = ${id}`)[0][0], 'executor1');
    // a redirect's target is suggested by name as one types
    await page.locator('form#action-redirect').getByLabel('Организация (код)').fill('дорож');
    await page.locator('#action-redirect-org-options option[value="demo-roads"]').waitFor({ state: 'attached' });
    await page.context().close();

    const curator = await loggedIn('curator1');
    await curator.goto(`${BASE}/cabinet/#/demo-admin/message/${id}`);
    await curator.getByText('В этом статусе у вас нет действий с сообщением.').waitFor();
    assert.equal(await curator.locator('form.action').count(), 0);
    // the photo is its thumbnail (320 px wide), lazily loaded, inside a link to the file
    const thumbnail = curator.getByRole('link', { name: `Файл гражданина № ${photo.body.id}` }).getByRole('img');
    assert.equal(await thumbnail.getAttribute('loading'), 'lazy');
    assert.equal(await thumbnail.getAttribute('src'), `/api/v1/attachments/${photo.body.id}/thumbnail`);
    await thumbnail.scrollIntoViewIfNeeded();
    await curator.waitForFunction((img) => img.complete && img.naturalWidth === 320, await thumbnail.elementHandle());
    const [download] = await Promise.all([curator.waitForEvent('download'),
      curator.getByRole('link', { name: `Файл гражданина № ${upload.body.id}` }).click()]);
    assert.deepEqual(readFileSync(await download.path()), PNG);
    await assertAccessible(curator, 'curator card');
    await curator.context().close();
  });

  test('another organisation\'s message is "not found", not a crash; English on request', async () => {
    const id = await sent();
    await api('POST', `/api/v1/messages/${id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-admin' } });
    const page = await loggedIn('executor2');
    await page.goto(`${BASE}/cabinet/#/demo-roads/message/${id}`);
    await page.getByRole('heading', { name: 'Такого сообщения нет среди доступных вам.' }).waitFor();
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { name: 'There is no such message among those you may see.' }).waitFor();
    await page.evaluate(() => localStorage.removeItem('otklik.lang'));
    await page.context().close();
  });

  test('coordinator1 searches the queue; a bad filter is explained beside its field', async () => {
    const word = `светофорище${Date.now() % 100000}`;
    const res = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubricId(), text: cleanText(`Сломан ${word} на перекрёстке`) } });
    assert.equal(res.status, 201, res.text);
    const id = res.body.id;
    await api('POST', `/api/v1/messages/${id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-admin' } });
    const page = await loggedIn('coordinator1');
    await page.getByRole('link', { name: 'Все сообщения' }).click();
    await page.getByLabel('Поиск по тексту и адресу').fill(word);
    await page.getByRole('button', { name: 'Найти' }).click();
    // the whole list gives way to the one message found
    await page.waitForFunction(() => document.querySelector('section[aria-busy="false"]')
      && document.querySelectorAll('table.messages tbody tr').length === 1);
    await page.getByRole('link', { name: String(id), exact: true }).waitFor();
    assert.match(page.url(), new RegExp(`q=${encodeURIComponent(word)}`));
    await page.screenshot({ path: `${ARTIFACTS}cabinet-search.png`, fullPage: true });
    await page.getByLabel('Срок истекает в течение, дней').fill('9999');
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.locator('.field--error').filter({ hasText: 'Срок истекает' }).waitFor();
    await assertAccessible(page, 'search with an error');
    await page.context().close();
  });

  test('executor1 sees a notification of his new assignment and opening it marks it read', async () => {
    const id = await sent();
    await api('POST', `/api/v1/messages/${id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-admin' } });
    const assigned = await api('POST', `/api/v1/messages/${id}/assign`, { auth: 'coordinator1', body: { executor_id: Number(sql("SELECT id FROM users WHERE esia_oid = 'executor1'")[0][0]) } });
    assert.equal(assigned.status, 200, assigned.text);
    const page = await loggedIn('executor1');
    const link = page.getByRole('link', { name: /^Уведомления \(\d+ новых\)$/ });
    await link.click();
    const note = page.locator('ul.notifications li.unread').filter({ has: page.locator(`a[href$="/message/${id}"]`) });
    await note.waitFor();
    await page.screenshot({ path: `${ARTIFACTS}cabinet-notifications.png`, fullPage: true });
    await assertAccessible(page, 'notifications');
    await note.locator('a').click();
    await page.getByRole('heading', { name: new RegExp(`Сообщение № ${id}`) }).waitFor();
    const unreadLeft = () => sql(`SELECT count(*) FROM staff_notifications n JOIN users u ON u.id = n.user_id
      WHERE u.esia_oid = 'executor1' AND n.message_id = ${id} AND n.read_at IS NULL`)[0][0];
    for (let i = 0; i < 50 && unreadLeft() !== '0'; i++) await page.waitForTimeout(100);
    assert.equal(unreadLeft(), '0');
    await page.context().close();
  });

  test('admin1 grants executor to a person found by name, then revokes it', async () => {
    const page = await loggedIn('admin1');
    await page.getByRole('link', { name: 'Сотрудники' }).click();
    await page.getByRole('heading', { name: 'Сотрудники организации' }).waitFor();
    await page.getByLabel('Найти человека по имени или ОИД ЕСИА').fill('сидор');
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.getByLabel('Человек', { exact: true }).selectOption({ label: 'Сидоров Алексей Петрович (citizen3)' });
    await page.getByLabel('Роль', { exact: true }).selectOption({ label: 'исполнитель' });
    await page.getByRole('button', { name: 'Выдать роль' }).click();
    await page.getByRole('status').filter({ hasText: 'Роль выдана.' }).waitFor();
    const roles = () => sql(`SELECT count(*) FROM staff_roles r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = r.organisation_id
      WHERE u.esia_oid = 'citizen3' AND o.code = 'demo-admin' AND r.role = 'executor'`)[0][0];
    assert.equal(roles(), '1');
    await page.screenshot({ path: `${ARTIFACTS}cabinet-staff.png`, fullPage: true });
    await assertAccessible(page, 'staff');
    await page.getByRole('button', { name: 'Отозвать роль «исполнитель» у Сидоров Алексей Петрович' }).click();
    await page.getByRole('status').filter({ hasText: 'Роль отозвана.' }).waitFor();
    assert.equal(roles(), '0');
    await page.context().close();
  });

  test('admin1 allows a new site to embed demo-widget, and the widget then works on that site', async () => {
    const before = sql("SELECT allowed_origins::text FROM widgets WHERE key = 'demo-widget'")[0][0];
    // an agency's new site: a page of another origin with the snippet the cabinet shows
    let snippet = '';
    const site = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="ru"><title>Новый сайт</title><h1>Новый сайт ведомства</h1>${snippet}</html>`);
    });
    await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${site.address().port}`;
    try {
      const page = await loggedIn('admin1');
      await page.getByRole('link', { name: 'Виджеты' }).click();
      snippet = await page.locator('pre.snippet code').innerText();
      assert.match(snippet, /data-widget-key="demo-widget"/);
      const origins = page.getByLabel('Сайты, на которых работает виджет');
      // a path is refused, by line
      await origins.fill(`${await origins.inputValue()}\n${origin}/news`);
      await page.getByRole('button', { name: 'Сохранить' }).click();
      await page.locator('.field--error').filter({ hasText: /Строка \d+: Без пути/ }).waitFor();
      await page.screenshot({ path: `${ARTIFACTS}cabinet-widgets-error.png`, fullPage: true });
      await assertAccessible(page, 'widgets');
      await origins.fill((await origins.inputValue()).replace(`${origin}/news`, origin));
      await page.getByRole('button', { name: 'Сохранить' }).click();
      await page.getByRole('status').filter({ hasText: 'Настройки виджета сохранены.' }).waitFor();
      assert.ok(sql("SELECT allowed_origins FROM widgets WHERE key = 'demo-widget'")[0][0].includes(origin));
      await page.context().close();

      const visitor = await browser.newContext({ locale: 'ru-RU' });
      const agency = await visitor.newPage();
      await agency.goto(`${origin}/`);
      await agency.getByRole('button', { name: 'Сообщить о проблеме' }).click();
      await agency.frameLocator('iframe[title]').locator('#rubric').waitFor();
      await visitor.close();
    } finally {
      site.close();
      sql(`UPDATE widgets SET allowed_origins = '${before}' WHERE key = 'demo-widget'`);
    }
  });

  test('executor1 answers with a PDF, manager1 sends it back, then approves the second answer; the citizen reads it', async () => {
    const id = await sent();
    await api('POST', `/api/v1/messages/${id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-admin' } });
    await api('POST', `/api/v1/messages/${id}/assign`, { auth: 'coordinator1', body: { executor_id: Number(sql("SELECT id FROM users WHERE esia_oid = 'executor1'")[0][0]) } });
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const executor = await loggedIn('executor1');
    const manager = await loggedIn('manager1');
    const answer = async (text, withFile) => {
      await executor.goto(`${BASE}/cabinet/#/demo-admin/mine`);
      await executor.goto(`${BASE}/cabinet/#/demo-admin/message/${id}`);
      const form = executor.locator('form#action-answer');
      await form.getByLabel('Текст ответа').fill(text);
      if (withFile) await form.getByLabel(/Файлы к ответу/).setInputFiles({ name: 'akt.pdf', mimeType: 'application/pdf', buffer: pdf });
      await form.getByRole('button', { name: 'Отправить ответ на согласование' }).click();
      await executor.getByRole('status').filter({ hasText: 'На согласовании' }).waitFor();
    };
    const decide = async (action, comment) => {
      await manager.goto(`${BASE}/cabinet/#/demo-admin/approval`);
      await manager.goto(`${BASE}/cabinet/#/demo-admin/message/${id}`);
      const form = manager.locator(`form#action-${action}`);
      if (comment) await form.getByLabel('Комментарий').fill(comment);
      await form.getByRole('button').click();
    };
    await answer('Яму заделаем до конца недели, акт приложен.', true);
    await decide('send_back', 'Укажите точную дату ремонта');
    await manager.getByRole('status').filter({ hasText: 'В работе' }).waitFor();
    await answer('Яма заделана 20 ноября, акт приложен.', false);
    await manager.screenshot({ path: `${ARTIFACTS}cabinet-approval.png`, fullPage: true });
    await decide('approve');
    await manager.getByRole('status').filter({ hasText: 'Дан ответ' }).waitFor();
    await executor.context().close();
    await manager.context().close();
    const seen = await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen1' });
    assert.equal(seen.body.status, 'answered');
    assert.equal(seen.body.answer, 'Яма заделана 20 ноября, акт приложен.');
    const file = seen.body.attachments.find((a) => a.purpose === 'answer');
    assert.equal(file?.content_type, 'application/pdf');
    const bytes = await fetch(`${BASE}/api/v1/attachments/${file.id}`, { headers: { authorization: `Bearer ${freshToken('citizen1')}` } });
    assert.equal(bytes.status, 200);
    assert.deepEqual(Buffer.from(await bytes.arrayBuffer()), pdf);
  });
});


describe('intake by a call-centre operator', () => {
  test('callcenter1 opens on the intake form, is told what is missing, registers a phoned-in message and gets its number', async () => {
    const page = await loggedIn('callcenter1');
    // no queue for an intake operator: the cabinet opens on the form
    await page.getByRole('heading', { level: 2, name: 'Принять обращение гражданина' }).waitFor();
    assert.equal(await page.locator('#org option:checked').innerText(), 'demo-cur (оператор приёма обращений)');
    await page.getByRole('button', { name: 'Зарегистрировать обращение' }).click();
    await page.locator('.error-summary').waitFor();
    assert.match(await page.locator('.error-summary').innerText(), /Фамилия, имя, отчество/);
    await assertAccessible(page, 'intake errors');
    await page.screenshot({ path: `${ARTIFACTS}cabinet-intake-errors.png`, fullPage: true });

    const stamp = Date.now();
    await page.getByLabel('По телефону', { exact: true }).check();
    await page.getByLabel('Фамилия, имя, отчество').fill('Смирнова Анна Петровна');
    await page.getByLabel('Телефон', { exact: true }).fill('+7 (912) 345-67-89');
    await page.getByLabel('Электронная почта').fill(`anna-${stamp}@example.org`);
    await page.getByLabel('Сообщать гражданину о ходе рассмотрения и ответе по электронной почте').check();
    await page.getByLabel('Рубрика').selectOption(String(rubricId()));
    const text = cleanText(`Во дворе дома 12 по улице Ленина не вывозят мусор ${stamp}`);
    await page.getByLabel('Суть обращения').fill(text);
    await page.getByLabel('Адрес проблемы').fill('г. Демоград, ул. Ленина, 12');
    await page.getByRole('button', { name: 'Зарегистрировать обращение' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'зарегистрировано' });
    await notice.waitFor();
    const id = (await notice.innerText()).match(/№ (\d+)/)[1];
    assert.deepEqual(sql(`SELECT m.channel, m.status, c.name, c.phone, c.notify_by_email FROM messages m
      JOIN message_contacts c ON c.message_id = m.id WHERE m.id = ${id} AND m.text = '${text}'`),
    [['phone', 'moderation', 'Смирнова Анна Петровна', '+79123456789', 't']]);
    // the form is empty again for the next caller
    assert.equal(await page.getByLabel('Фамилия, имя, отчество').inputValue(), '');
    await assertAccessible(page, 'intake sent');
    await page.screenshot({ path: `${ARTIFACTS}cabinet-intake.png`, fullPage: true });
    await page.setViewportSize({ width: 768, height: 900 });
    await assertAccessible(page, 'intake 768');
    await page.context().close();
  });
});
