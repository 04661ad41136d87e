// admin.test.mjs - a new region set up through the product alone, end to end,
// in Debian's chromium, from an empty database (no demo data: `make
// integration` runs this file on a stack of its own started with
// OTKLIK_DEMO_DATA=0; on a stack with the demo data it is skipped). The
// console makes the installation's first region, its ЦУР and `root` in it
// (README: "A new installation"), as nobody can log in with rights before.
// Then `root`, in the cabinet, creates a municipality (with a boundary from a
// GeoJSON file, previewed on the map) and an organisation, the region's
// operator is granted by `otklikctl grant` (the one way to grant operators),
// root imports the organisation's staff from CSV (a bad file first: nothing
// written, errors by line), adds a rubric and an auto-routing rule, and a
// widget allowed on a site of another origin; the organisation's admin
// creates a poll and a discussion. Then a citizen sends a message through that
// widget on that site, answers the poll and comments in the discussion, and
// the organisation's staff take the message to an answer. axe-core and a
// screenshot on every administration page, at 1280 and 768 px.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { ARTIFACTS, launch, providerLogin, providerSignIn, seriousViolations } from './chromium.mjs';
import { api, sql } from '../integration/helpers.mjs';
import { ctl } from '../integration/journeys.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
const T = randomBytes(3).toString('hex');
const REGION = `e2e-${T}`;
const TOWN = `e2e-${T}-town`;
const CUR = `e2e-${T}-cur`;
const ORG = `e2e-${T}-school`;
const staffOid = (role) => `e2e-${T}-${role}`;
/** The database holds nothing yet: no territory, organisation, rubric or person. */
const EMPTY = ['territories', 'organisations', 'rubrics', 'users', 'messages']
  .every((table) => sql(`SELECT count(*) FROM ${table}`)[0][0] === '0');
const BOUNDARY = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[60, 50], [61, 50], [61, 51], [60, 51], [60, 50]]] } };

let browser;
let site;
let snippet = '';
before(async () => {
  browser = await launch();
  site = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="ru"><title>Школа</title><h1>Сайт школы новой области</h1>${snippet}</html>`);
  });
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
});
after(async () => { site?.close(); await browser?.close(); });

/** A cabinet page logged in as oid; page.requested: every address it asked for. */
async function loggedIn(oid, width = 1280) {
  const context = await browser.newContext({ locale: 'ru-RU', bypassCSP: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  logRefusals(page);
  page.requested = [];
  page.on('request', (req) => page.requested.push(req.url()));
  await page.goto(`${BASE}/cabinet/`);
  await providerLogin(page, oid);
  await page.waitForURL(`${BASE}/cabinet/`);
  return page;
}

/** Every refused API call is printed, so that a failing step shows the API's
 * answer next to the locator that timed out. */
function logRefusals(page) {
  page.on('response', async (res) => {
    if (res.status() < 400 || !res.url().includes('/api/')) return;
    const body = await res.text().catch(() => '');
    console.error(`API ${res.request().method()} ${new URL(res.url()).pathname} -> ${res.status()} ${body.slice(0, 500)}`);
  });
}

/** axe-core finds nothing serious; a full-page screenshot as name. */
async function checked(page, name) {
  assert.deepEqual(await seriousViolations(page, name), []);
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

const section = async (page, name) => {
  await page.getByRole('navigation').getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
};
const status = (page, text) => page.getByRole('status').filter({ hasText: text }).waitFor();
const local = (ms) => { const d = new Date(Date.now() + ms); return new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); };

describe('setting a new region up through the cabinet, then using it', { skip: !EMPTY && 'needs an empty database: make integration runs it with OTKLIK_DEMO_DATA=0' }, () => {
  let widgetKey;
  let pollId;
  let discussionId;

  test('the console makes the first region, its ЦУР and root; root creates the municipality, the school, the staff, the routing and the widget', async () => {
    // a new installation: README "A new installation", word for word
    ctl(['territory', 'create', '--code', REGION, '--name', `Новая область ${T}`, '--kind', 'region']);
    ctl(['org', 'create', '--code', CUR, '--name', `ЦУР новой области ${T}`, '--territory', REGION, '--moderation']);
    ctl(['user', 'create', '--esia-oid', 'root', '--name', 'Корнеев Глеб Аркадьевич']);
    ctl(['grant', '--esia-oid', 'root', '--org', CUR, '--role', 'root_operator']);
    // root has no queue to work (operators read no messages): the cabinet opens on the
    // administration, and asks for nothing root may not read
    const page = await loggedIn('root');
    await page.getByRole('heading', { level: 2, name: 'Территории' }).waitFor();
    await page.getByRole('cell', { name: REGION, exact: true }).waitFor();
    assert.deepEqual(page.requested.filter((url) => /\/api\/v1\/staff\/(messages|counts)/.test(url)), []);
    let form = page.locator('form#territory-new');
    await form.getByLabel('Код').fill(TOWN);
    await form.getByLabel('Название').fill(`г. Новоград ${T}`);
    await form.getByLabel('Вид').selectOption('municipality');
    await form.getByLabel('Входит в').selectOption(REGION);
    await form.getByLabel('Граница').setInputFiles({ name: 'town.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(BOUNDARY)) });
    await form.locator('.leaflet-container path').first().waitFor(); // the preview
    await checked(page, 'admin-territories');
    await form.getByRole('button', { name: 'Создать территорию' }).click();
    await page.getByRole('cell', { name: TOWN, exact: true }).waitFor();
    assert.deepEqual(sql(`SELECT p.code, ST_NPoints(t.boundary) FROM territories t JOIN territories p ON p.id = t.parent_id WHERE t.code = '${TOWN}'`), [[REGION, '5']]);

    await section(page, 'Организации');
    form = page.locator('form#org-new');
    await form.getByLabel('Код').fill(ORG);
    await form.getByLabel('Название').fill(`Школа № 1 ${T}`);
    await form.getByLabel('Вид').selectOption('school');
    await form.getByLabel('Территория').selectOption(TOWN);
    await form.getByRole('button', { name: 'Создать организацию' }).click();
    await page.getByRole('cell', { name: ORG, exact: true }).waitFor();
    await checked(page, 'admin-orgs');
    // the region's operator: operator roles are granted by otklikctl only
    ctl(['user', 'create', '--esia-oid', staffOid('operator'), '--name', `Оператор ${T}`]);
    ctl(['grant', '--esia-oid', staffOid('operator'), '--org', CUR, '--role', 'operator']);

    await section(page, 'Импорт из CSV');
    form = page.locator('form#import-staff');
    const rows = ['admin', 'coordinator', 'executor', 'manager'].map((r) => `${staffOid(r)},Сотрудник ${r} ${T},${ORG},${r}`);
    await form.getByLabel('Файл CSV').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(`esia_oid,name,org,role\n${rows[0]}\n,,${ORG},king\n`) });
    await form.getByRole('button', { name: 'Загрузить' }).click();
    await form.getByRole('alert').filter({ hasText: 'Ничего не записано' }).waitFor();
    assert.ok(await form.locator('tbody tr').count() >= 2);
    assert.equal(await form.locator('tbody tr td').first().innerText(), '3');
    assert.equal(sql(`SELECT count(*) FROM users WHERE esia_oid = '${staffOid('admin')}'`)[0][0], '0');
    await checked(page, 'admin-import-errors');
    await form.getByLabel('Файл CSV').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(`esia_oid,name,org,role\n${rows.join('\n')}\n`) });
    await form.getByRole('button', { name: 'Загрузить' }).click();
    await status(page, 'новых людей 4, выдано ролей 4');

    await section(page, 'Рубрики');
    form = page.locator('form#rubric-new');
    await form.getByLabel('Код').fill(`e2e-${T}-heating`);
    await form.getByLabel('Название').fill(`Отопление в школе ${T}`);
    await form.getByLabel('Срок ответа, дней').fill('10');
    await form.getByLabel('Ускоренное рассмотрение').check();
    await form.getByRole('button', { name: 'Создать рубрику' }).click();
    await status(page, 'Изменения сохранены.');
    await checked(page, 'admin-rubrics');
    const rubric = sql(`SELECT id FROM rubrics WHERE code = 'e2e-${T}-heating'`)[0][0];

    await section(page, 'Правила маршрутизации');
    form = page.locator('form#rule-new');
    await form.getByLabel('Рубрика').selectOption(rubric);
    await form.getByLabel('Территория').selectOption(TOWN);
    await form.getByLabel('Ответственная организация').fill(ORG);
    await form.getByLabel('Без модератора').check();
    await form.getByRole('button', { name: 'Добавить правило' }).click();
    await status(page, 'Правило добавлено.');
    await checked(page, 'admin-routing');

    await section(page, 'Виджеты организаций');
    await page.getByLabel('Организация (название или код)').fill(ORG);
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.getByText('У организации нет виджетов.').waitFor();
    form = page.locator('form#widget-new');
    await form.getByLabel('Заголовок формы').fill('Сообщить о проблеме в школе');
    await form.getByRole('button', { name: 'Создать виджет' }).click();
    await status(page, 'Виджет создан.');
    snippet = await page.locator('pre.snippet code').innerText();
    widgetKey = snippet.match(/data-widget-key="([0-9a-f]+)"/)[1];
    const origin = `http://127.0.0.1:${site.address().port}`;
    await page.getByLabel('Сайты, на которых работает виджет').fill(origin);
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await status(page, 'Настройки виджета сохранены.');
    await checked(page, 'admin-widgets');

    await section(page, 'Сотрудники и роли');
    await page.getByLabel('Организация (название или код)').fill(ORG);
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.getByRole('cell', { name: `Сотрудник executor ${T}`, exact: true }).waitFor();
    await checked(page, 'admin-people');

    await section(page, 'Журнал изменений');
    await page.locator('table.audit tbody tr').first().waitFor();
    await checked(page, 'admin-audit');
    await page.setViewportSize({ width: 768, height: 900 });
    for (const [name, file] of [['Территории', 'territories'], ['Организации', 'orgs'], ['Импорт из CSV', 'import'], ['Рубрики', 'rubrics'],
      ['Правила маршрутизации', 'routing'], ['Виджеты организаций', 'widgets'], ['Сотрудники и роли', 'people'], ['Журнал изменений', 'audit']]) {
      await section(page, name);
      await checked(page, `admin-${file}-768`);
    }
    await page.context().close();
  });

  test("the organisation's admin creates a poll and a discussion; an open one's frozen fields are disabled", async () => {
    const page = await loggedIn(staffOid('admin'));
    // the administration pages are a chunk of their own, fetched when the section is first opened
    const chunks = [];
    page.on('request', (req) => { if (/\/chunks\/admin-pages-/.test(req.url())) chunks.push(req.url()); });
    await page.getByRole('navigation').getByRole('link', { name: 'Опросы', exact: true }).waitFor();
    assert.deepEqual(chunks, []);
    await section(page, 'Опросы');
    assert.equal(chunks.length, 1);
    let form = page.locator('form#polls-form');
    await form.getByLabel('Заголовок').fill(`Опрос о школьной столовой ${T}`);
    await form.getByLabel('Начало').fill(local(-60000));
    await form.getByLabel('Окончание').fill(local(7 * 86400000));
    await form.getByLabel('Вопрос 1').fill('Нравится ли вам меню?');
    await form.getByLabel('Варианты ответа').fill('Да\nНет');
    await form.getByRole('button', { name: 'Создать опрос' }).click();
    await status(page, 'Опрос создан.');
    await page.getByRole('heading', { name: /Изменить опрос/ }).waitFor();
    assert.equal(await page.locator('form#polls-form').getByLabel('Начало').isDisabled(), true);
    await checked(page, 'admin-polls');
    await page.setViewportSize({ width: 768, height: 900 });
    await checked(page, 'admin-polls-768');
    await page.setViewportSize({ width: 1280, height: 900 });
    pollId = Number(sql(`SELECT id FROM polls WHERE title = 'Опрос о школьной столовой ${T}'`)[0][0]);

    await section(page, 'Общественные обсуждения');
    form = page.locator('form#discussions-form');
    await form.getByLabel('Заголовок').fill(`Проект правил школы ${T}`);
    await form.getByLabel('Текст документа').fill('1. Занятия начинаются в 8:30.');
    await form.getByLabel('Начало').fill(local(-60000));
    await form.getByLabel('Окончание').fill(local(7 * 86400000));
    await form.getByRole('button', { name: 'Создать обсуждение' }).click();
    await status(page, 'Обсуждение создано.');
    await page.getByRole('heading', { name: /Изменить обсуждение/ }).waitFor();
    assert.equal(await page.locator('form#discussions-form').getByLabel('Текст документа').isDisabled(), true);
    await checked(page, 'admin-discussions');
    await page.setViewportSize({ width: 768, height: 900 });
    await checked(page, 'admin-discussions-768');
    discussionId = Number(sql(`SELECT id FROM discussions WHERE title = 'Проект правил школы ${T}'`)[0][0]);
    await page.context().close();
  });

  test('a citizen sends through the new widget on the school site, answers the poll, comments; the staff answer', async () => {
    const citizen = `resident-e2e-${T}`;
    const visitor = await browser.newContext({ locale: 'ru-RU' });
    const page = await visitor.newPage();
    await page.goto(`http://127.0.0.1:${site.address().port}/`);
    await page.getByRole('button', { name: 'Сообщить о проблеме' }).click();
    const frame = page.frameLocator('iframe[title]');
    await frame.getByRole('heading', { level: 1, name: 'Сообщить о проблеме в школе' }).waitFor(); // the widget's own form
    await frame.locator('#rubric').selectOption({ label: `Отопление в школе ${T}` });
    const text = `В кабинете 12 холодно, батареи не греют ${T}`;
    await frame.locator('#text').fill(text);
    const [popup] = await Promise.all([page.waitForEvent('popup'), frame.locator('#send').click()]);
    await providerSignIn(popup, citizen, { noWaitAfter: true });
    await frame.locator('#sent-status').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}admin-e2e-sent.png` });
    await visitor.close();
    const [id, status0, org, territory, widget] = sql(`SELECT m.id, m.status, o.code, t.code, m.widget_key FROM messages m
      JOIN organisations o ON o.id = m.organisation_id JOIN territories t ON t.id = m.territory_id WHERE m.text = '${text}'`)[0];
    // routed by the new rule into the new organisation, with nothing of the demo data
    assert.deepEqual([status0, org, territory, widget], ['registered', ORG, TOWN, widgetKey]);

    const poll = (await api('GET', `/api/v1/polls/${pollId}`)).body;
    let res = await api('POST', `/api/v1/polls/${pollId}/responses`, { auth: citizen, body: { answers: [{ question_id: poll.questions[0].id, option_ids: [poll.questions[0].options[0].id] }] } });
    assert.equal(res.status, 201, res.text);
    res = await api('POST', `/api/v1/discussions/${discussionId}/comments`, { auth: citizen, body: { text: 'Предлагаю начинать в 9:00.' } });
    assert.equal(res.status, 201, res.text);

    // the imported staff work on it in the cabinet: assign, answer, approve
    const card = async (role) => {
      const staff = await loggedIn(staffOid(role));
      await staff.goto(`${BASE}/cabinet/#/${ORG}/message/${id}`);
      return staff;
    };
    let staff = await card('coordinator');
    let form = staff.locator('form#action-assign');
    await form.getByLabel('Исполнитель').selectOption({ label: `Сотрудник executor ${T}` });
    await form.getByRole('button', { name: 'Назначить исполнителя' }).click();
    await staff.getByRole('status').filter({ hasText: 'В работе' }).waitFor();
    await staff.context().close();
    staff = await card('executor');
    form = staff.locator('form#action-answer');
    await form.getByLabel('Текст ответа').fill('Батареи отремонтированы.');
    await form.getByRole('button', { name: 'Отправить ответ на согласование' }).click();
    await staff.getByRole('status').filter({ hasText: 'На согласовании' }).waitFor();
    await staff.context().close();
    staff = await card('manager');
    await staff.locator('form#action-approve').getByRole('button').click();
    await staff.getByRole('status').filter({ hasText: 'Дан ответ' }).waitFor();
    await staff.context().close();
    const mine = (await api('GET', `/api/v1/messages/${id}`, { auth: citizen })).body;
    assert.deepEqual([mine.status, mine.answer], ['answered', 'Батареи отремонтированы.'], JSON.stringify(mine));

    // the whole installation is what the console and the cabinet made: the console the region,
    // its ЦУР and root (no actor in the audit); root the rest; the citizen and the staff themselves
    assert.deepEqual(sql('SELECT code FROM territories ORDER BY code'), [[REGION], [TOWN]]);
    assert.deepEqual(sql('SELECT code FROM organisations ORDER BY code'), [[CUR], [ORG]]);
    assert.deepEqual(sql(`SELECT e.object_id, coalesce(u.esia_oid, '(console)') FROM admin_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.object_id IN ('${REGION}', '${TOWN}', '${CUR}', '${ORG}', '${widgetKey}') AND e.action = 'create' ORDER BY e.id`),
    [[REGION, '(console)'], [CUR, '(console)'], [TOWN, 'root'], [ORG, 'root'], [widgetKey, 'root']]);
    assert.equal(sql('SELECT count(*) FROM messages')[0][0], '1');
  });
});
