// portal.test.mjs - the citizens' portal (/) in Debian's chromium: a new
// visitor opens the home page, logs in through the identity provider's pages,
// sends a message with a photo and the place from the full-page form, follows
// it in the personal cabinet (status, answer, timeline), returns it for
// rework, rates it; sees a rejection's reason; reads and marks notifications;
// votes in the open demo voting while the page tells the choices and budget
// left, and sees the results as bars; answers the poll; comments in the
// discussion; finds them all under "my participation" (a comment on
// moderation, another rejected with its reason); picks a municipality and
// then votes in a residents-only voting; the poll's staff read its free-text
// answers. The catalogue and "the one open now" come from the API's
// catalogues. axe-core on every page; screenshots at 375 and 1280 px in
// tests/artifacts/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, launch, providerSignIn, seriousViolations } from './chromium.mjs';
import { api, PNG, sql } from '../integration/helpers.mjs';
import { accept, approve, assign, ok } from '../integration/journeys.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
const oid = `portal-${Date.now()}`;
let browser;
let page;

before(async () => {
  browser = await launch();
  // bypassCSP only so that axe-core can be injected; the portal runs under its CSP
  const context = await browser.newContext({ locale: 'ru-RU', bypassCSP: true, viewport: { width: 1280, height: 900 },
    permissions: ['geolocation'], geolocation: { latitude: 55.75580, longitude: 37.61730 } });
  page = await context.newPage();
  page.on('pageerror', (e) => console.log('page error:', e.message));
});
after(async () => { await browser?.close(); });

async function assertAccessible(what, on = page) {
  assert.deepEqual(await seriousViolations(on, what), []);
}

/** Screenshots at 375 and 1280 px wide, and axe at both. */
async function shoot(name, on = page) {
  for (const width of [375, 1280]) {
    await on.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    // from the top, as the page lays out (sticky parts where they belong)
    await on.evaluate(() => scrollTo(0, 0));
    await on.screenshot({ path: `${ARTIFACTS}portal-${name}-${width}.png`, fullPage: true });
    // nothing wider than a phone's screen: no sideways scrolling at 375 px
    if (width === 375) assert.equal(await on.evaluate(() => document.documentElement.scrollWidth), 375, name);
    await assertAccessible(`${name} at ${width} px`, on);
  }
}

const heading = (name) => page.getByRole('heading', { level: 1, name });
const messageStatus = (id) => sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0];

/** The staff's answer, with a file, approved. */
async function staffAnswer(id, text) {
  const upload = await api('POST', '/api/v1/attachments', { auth: 'executor1', raw: PNG, headers: { 'content-type': 'image/png' } });
  assert.equal(upload.status, 201, upload.text);
  await ok('executor1', id, 'answer', { text, attachment_ids: [upload.body.id] }, 'approval');
  await approve(id);
  return upload.body.id;
}

describe('the citizens\' portal', () => {
  let id;

  test('/ is the portal under the strict policy; a new visitor logs in from it', async () => {
    const res = await page.goto(`${BASE}/`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-type'], /^text\/html/);
    assert.match(res.headers()['content-security-policy'], /script-src 'self'; style-src 'self'/);
    assert.match(res.headers()['permissions-policy'], /geolocation=\(self\)/);
    await heading('Отклик — обратная связь с властью Демо-региона').waitFor();
    // the open demo voting, poll and discussion are on the home page (the API's catalogues)
    for (const title of ['Народный бюджет г. Демоград', 'Общественный транспорт Демограда', 'Проект правил благоустройства г. Демоград']) {
      await page.getByRole('link', { name: title }).waitFor();
    }
    await shoot('home');
    await page.getByRole('banner').getByRole('link', { name: 'Войти через Госуслуги' }).click();
    await providerSignIn(page, oid);
    await page.waitForURL(`${BASE}/`);
    await page.getByRole('button', { name: 'Выйти' }).waitFor();
  });

  test('sends a message with a photo and the place from the full-page form; the API\'s errors show beside the fields', async () => {
    await page.getByRole('link', { name: 'Сообщить о проблеме' }).first().click();
    await heading('Сообщить о проблеме').waitFor();
    // sent empty: the API's errors in a summary and beside the fields
    await page.getByRole('button', { name: 'Отправить сообщение' }).click();
    await page.locator('.error-summary').waitFor();
    assert.match(await page.locator('.field--error').first().innerText(), /Рубрика/);
    await shoot('report-errors');
    await page.getByLabel('Рубрика').selectOption({ label: 'Ямы и выбоины на дорогах' });
    await page.getByLabel('Опишите проблему').fill('Глубокая яма на проезжей части у дома 5, машины объезжают её по встречной полосе.');
    await page.getByText(/Введено 8\d из 5000 знаков/).waitFor();
    await page.getByLabel('Адрес').fill('ул. Садовая, 5');
    await page.getByRole('button', { name: 'Определить моё местоположение' }).click();
    await page.getByText('Местоположение определено: 55.75580, 37.61730').waitFor();
    await page.getByLabel('Фотографии').setInputFiles({ name: 'yama.png', mimeType: 'image/png', buffer: PNG });
    await page.getByRole('img', { name: 'yama.png' }).waitFor();
    await shoot('report');
    await page.getByRole('button', { name: 'Отправить сообщение' }).click();
    const sent = page.getByRole('heading', { name: /Сообщение № \d+ отправлено/ });
    await sent.waitFor();
    id = Number((await sent.innerText()).match(/№ (\d+)/)[1]);
    const [row] = sql(`SELECT m.status, m.address, round(m.latitude::numeric, 4), u.esia_oid,
      (SELECT count(*) FROM attachments a WHERE a.message_id = m.id) FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = ${id}`);
    assert.deepEqual(row, ['moderation', 'ул. Садовая, 5', '55.7558', oid, '1']);
    await page.getByRole('link', { name: 'Открыть сообщение' }).click();
    await heading(`Сообщение № ${id}`).waitFor();
    await page.locator('.facts').getByText('На модерации').waitFor();
    await page.getByRole('navigation', { name: 'Разделы портала' }).getByRole('link', { name: /Личный кабинет/ }).click();
    await page.locator('.cards li').filter({ hasText: `Сообщение № ${id}` }).getByText('На модерации').waitFor();
    await shoot('my');
  });

  test('after the staff answer: the answer with its file and the timeline; returned for rework, then rated', async () => {
    await accept(id);
    await assign(id);
    const file = await staffAnswer(id, 'Яму заделали 20 ноября, спасибо за сообщение.');
    await page.goto(`${BASE}/#/my/messages/${id}`);
    await page.reload();
    await page.getByText('Яму заделали 20 ноября, спасибо за сообщение.').waitFor();
    await page.getByRole('link', { name: `Файл ответа № ${file}` }).waitFor();
    const timeline = page.locator('ol.timeline li');
    // the public events only (the answer's approval is internal to the organisation)
    assert.deepEqual(await timeline.locator('strong').allInnerTexts(),
      ['Сообщение отправлено', 'Зарегистрировано', 'В работе', 'Дан ответ']);
    assert.equal(await timeline.locator('time').count(), await timeline.count()); // every event has its date
    await shoot('message');
    // rework without a comment: the API's error beside the field
    const rework = page.locator('form#action-rework');
    await rework.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await rework.locator('.field--error').getByText('Заполните это поле.').waitFor();
    await rework.getByLabel('Что не так с ответом').fill('Яма осталась, заделали соседнюю.');
    await rework.getByRole('button', { name: 'Вернуть на доработку' }).click();
    await page.getByRole('status').filter({ hasText: 'Возвращено на доработку' }).waitFor();
    assert.equal(messageStatus(id), 'returned');

    // the assigned executor answers a returned message again
    await staffAnswer(id, 'Заделали и эту яму, проверили на месте.');
    await page.reload();
    await page.getByText('Заделали и эту яму, проверили на месте.').waitFor();
    const rating = page.locator('form#action-rating');
    await rating.getByRole('button', { name: 'Оценить' }).click();
    await rating.locator('.field--error').getByText('Заполните это поле.').waitFor();
    await rating.getByText('4', { exact: true }).click();
    await rating.getByRole('button', { name: 'Оценить' }).click();
    await page.getByText('Ваша оценка: 4 из 5.').waitFor();
    assert.equal(messageStatus(id), 'closed');
  });

  test('a rejected message shows the reason\'s title and the moderator\'s comment', async () => {
    const res = await api('POST', '/api/v1/messages', { auth: oid, body: { rubric_id: Number(sql(`SELECT id FROM rubrics WHERE code = 'roads-potholes'`)[0][0]),
      text: 'Реклама ремонта квартир недорого, звоните по объявлению, подробности на сайте.' } });
    assert.equal(res.status, 201, res.text);
    await ok('moderator1', res.body.id, 'moderate', { decision: 'reject', reason_code: 5, comment: 'Сообщение не о проблеме города.' }, 'rejected');
    await page.goto(`${BASE}/#/my/messages/${res.body.id}`);
    await page.reload();
    await page.getByRole('heading', { name: 'Сообщение отклонено' }).waitFor();
    await page.getByText('Реклама, спам, ссылки, не по теме').first().waitFor();
    await page.getByText('Сообщение не о проблеме города.').first().waitFor();
    await shoot('rejected');
  });

  test('notifications appear with an unread count and are marked read', async () => {
    const unread = () => Number(sql(`SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id
      WHERE u.esia_oid = '${oid}' AND n.read_at IS NULL`)[0][0]);
    const before = unread();
    assert.ok(before >= 2, `unread notifications: ${before}`);
    await page.goto(`${BASE}/#/my/notifications`);
    await page.reload();
    await page.getByText(`Непрочитанных: ${before}`).waitFor();
    await page.getByRole('navigation', { name: 'Разделы портала' }).getByRole('link', { name: `Личный кабинет ${before} новое` }).or(
      page.getByRole('navigation', { name: 'Разделы портала' }).getByRole('link', { name: `Личный кабинет ${before} новых` })).waitFor();
    await shoot('notifications');
    await page.getByRole('button', { name: /^Отметить прочитанным/ }).first().click();
    await page.getByText(`Непрочитанных: ${before - 1}`).waitFor();
    assert.equal(unread(), before - 1);
    await page.getByRole('button', { name: 'Отметить все прочитанными' }).click();
    await page.getByText('Непрочитанных: 0').waitFor();
    assert.equal(unread(), 0);
  });

  test('votes in the open demo voting while the page tells the choices and budget left; then the results as bars', async () => {
    await page.goto(`${BASE}/#/voting`);
    await heading('Народный бюджет г. Демоград').waitFor();
    const left = { innerText: async () => (await page.locator('#left').innerText()).replace(/[\u00a0\u202f]/g, ' ') };
    assert.equal(await left.innerText(), 'Можно выбрать ещё: 2 проекта. Остаток бюджета: 9 000 000 ₽.');
    await page.getByLabel('Выбрать «Детская площадка во дворе на ул. Ленина»').check();
    assert.equal(await left.innerText(), 'Можно выбрать ещё: 1 проект. Остаток бюджета: 5 500 000 ₽.');
    await page.getByLabel('Выбрать «Ремонт тротуара на ул. Мира»').check();
    assert.equal(await left.innerText(), 'Можно выбрать ещё: 0 проектов. Остаток бюджета: 400 000 ₽.');
    assert.equal(await page.getByLabel('Выбрать «Освещение набережной»').isDisabled(), true);
    // the running tally stays in view while the list scrolls, and lies above the projects in the page
    const tally = page.locator('.tally');
    await page.getByLabel('Выбрать «Сквер у школы № 3»').scrollIntoViewIfNeeded();
    const box = await tally.boundingBox();
    assert.ok(box.y >= 0 && box.y < 900 && box.height > 20, JSON.stringify(box));
    await shoot('voting');
    await page.getByRole('button', { name: 'Проголосовать' }).click();
    await page.getByText('Ваш голос учтён.').waitFor();
    assert.deepEqual(sql(`SELECT array_to_string(b.project_ids, ',') FROM ballots b JOIN users u ON u.id = b.user_id
      JOIN voting_projects p ON p.id = b.project_ids[1] WHERE u.esia_oid = '${oid}'`).length, 1);
    const bars = page.locator('ul.bars li');
    await bars.first().waitFor();
    assert.equal(await bars.count(), 4);
    const [voters] = sql(`SELECT count(*) FROM ballots b JOIN votings v ON v.id = b.voting_id WHERE v.title = 'Народный бюджет г. Демоград'`)[0];
    const [votes] = sql(`SELECT count(*) FROM ballots b, voting_projects p WHERE p.id = ANY (b.project_ids) AND p.title = 'Ремонт тротуара на ул. Мира'`)[0];
    const share = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 1 }).format(votes / voters);
    const row = bars.filter({ hasText: 'Ремонт тротуара на ул. Мира' });
    assert.match(await row.locator('.bar-value').innerText(), new RegExp(`^${votes} голос(а|ов)? · ${share.replace(/\s/g, '\\s')}$`));
    await shoot('voting-results');
    await page.reload();
    await page.getByText('Вы уже проголосовали.').waitFor();
  });

  test('answers the poll and sees the results; comments in the discussion and sees it on moderation', async () => {
    // without an id: the one open now, from the catalogue of the visitor's
    // territory (other tests open polls in regions of their own): a territory
    // as ESIA's address would give it, for this step alone
    sql(`UPDATE users SET territory_id = (SELECT id FROM territories WHERE code = '99-demograd') WHERE esia_oid = '${oid}'`);
    await page.goto(`${BASE}/#/poll`);
    await page.reload(); /* the page reads the person (and the territory) once */
    await heading('Общественный транспорт Демограда').waitFor();
    await page.getByLabel('Каждый день').check();
    await page.getByLabel('Остановки').check();
    await page.getByLabel('Ваши предложения').fill(`Пустить ночной автобус до вокзала (${oid}).`);
    await shoot('poll');
    await page.getByRole('button', { name: 'Ответить' }).click();
    await page.getByText('Спасибо за ответ!').waitFor();
    const row = page.locator('ul.bars li').filter({ hasText: 'Каждый день' });
    const [respondents] = sql(`SELECT coalesce(sum(c.votes), 0) FROM polls p LEFT JOIN poll_counts c ON c.poll_id = p.id AND c.option_id = 0 WHERE p.title = 'Общественный транспорт Демограда'`)[0];
    await row.locator('.bar-value').filter({ hasText: /голос/ }).waitFor();
    // the results as the server counts them now (waited for: they are read again after the answer)
    await page.locator('section[aria-labelledby=results]').getByText(new RegExp(`Ответил[и]? ${respondents} человек`)).waitFor();

    await page.goto(`${BASE}/#/discussion`);
    await heading('Проект правил благоустройства г. Демоград').waitFor();
    await page.getByLabel('Комментарий').fill('Предлагаю добавить требования к освещению дворов.');
    await page.getByRole('button', { name: 'Отправить комментарий' }).click();
    await page.getByText('Комментарий отправлен: статус «на модерации».').waitFor();
    await shoot('discussion');
    sql(`UPDATE users SET territory_id = NULL WHERE esia_oid = '${oid}'`);
  });

  test('"my participation" lists my ballot, poll answer and comments, one on moderation and one rejected with its reason', async () => {
    const [[discussion]] = sql(`SELECT id FROM discussions WHERE title = 'Проект правил благоустройства г. Демоград'`);
    const spam = await api('POST', `/api/v1/discussions/${discussion}/comments`, { auth: oid,
      body: { text: 'Продаю плитку для дворов недорого, пишите в личные сообщения, доставка по городу.' } });
    assert.equal(spam.status, 201, spam.text);
    const rejected = await api('POST', `/api/v1/discussions/${discussion}/comments/${spam.body.id}/moderate`,
      { auth: 'moderator1', body: { decision: 'reject', reason_code: 5 } });
    assert.equal(rejected.status, 200, rejected.text);
    await page.goto(`${BASE}/#/my/profile`);
    await page.reload();
    await page.getByRole('heading', { name: 'Моё участие' }).waitFor();
    const ballots = page.locator('section[aria-labelledby=mine-ballots] ul.mine > li');
    await ballots.first().waitFor();
    assert.deepEqual(await ballots.count(), 1);
    assert.match(await ballots.innerText(), /Народный бюджет г\. Демоград[\s\S]*Детская площадка во дворе на ул\. Ленина[\s\S]*Ремонт тротуара на ул\. Мира/);
    await page.locator('section[aria-labelledby=mine-responses]').getByRole('link', { name: 'Общественный транспорт Демограда' }).waitFor();
    const comments = page.locator('section[aria-labelledby=mine-comments] ul.mine > li');
    await comments.nth(1).waitFor();
    assert.deepEqual(await comments.locator('.comment-status').allInnerTexts(), ['отклонён', 'на модерации']);
    assert.match(await comments.first().innerText(), /причина: Реклама, спам, ссылки, не по теме/);
    assert.match(await comments.nth(1).innerText(), /Предлагаю добавить требования к освещению дворов\./);
    await shoot('participation');
  });

  test('picks a municipality in the profile; then a residents-only voting takes the ballot', async () => {
    sql(`INSERT INTO votings (organisation_id, territory_id, title, description, opens_at, closes_at, max_choices, budget_rubles, residents_only)
      SELECT o.id, t.id, 'Двор для жителей ${oid}', 'Только для жителей г. Демоград.', otklik_now() - interval '1 hour',
        otklik_now() + interval '7 days', 1, 1000000, true FROM organisations o, territories t
      WHERE o.code = 'demo-admin' AND t.code = '99-demograd'`);
    const [[voting]] = sql(`SELECT id FROM votings WHERE title = 'Двор для жителей ${oid}'`);
    sql(`INSERT INTO voting_projects (voting_id, title, cost_rubles, position) VALUES (${voting}, 'Лавочки у подъездов', 300000, 1)`);
    await page.goto(`${BASE}/#/voting/${voting}`);
    await page.reload();
    await heading(`Двор для жителей ${oid}`).waitFor();
    await page.getByLabel('Выбрать «Лавочки у подъездов»').check();
    await page.getByRole('button', { name: 'Проголосовать' }).click();
    // without a municipality: refused, in Russian, pointing to the profile
    await page.locator('.notice, [role=alert]').filter({ hasText: /профил/ }).first().waitFor();

    await page.goto(`${BASE}/#/my/profile`);
    await page.getByRole('heading', { name: 'Профиль' }).waitFor();
    await page.getByLabel('Муниципалитет').selectOption({ label: 'г. Демоград (Демо-область)' });
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.getByText('Муниципалитет сохранён.').waitFor();
    await page.locator('.facts').getByText('г. Демоград', { exact: true }).waitFor();
    assert.equal(sql(`SELECT t.code FROM users u JOIN territories t ON t.id = u.territory_id WHERE u.esia_oid = '${oid}'`)[0][0], '99-demograd');
    await shoot('profile');

    await page.goto(`${BASE}/#/voting/${voting}`);
    await heading(`Двор для жителей ${oid}`).waitFor();
    await page.getByLabel('Выбрать «Лавочки у подъездов»').check();
    await page.getByRole('button', { name: 'Проголосовать' }).click();
    await page.getByText('Ваш голос учтён.').waitFor();
    assert.equal(sql(`SELECT count(*) FROM ballots b JOIN users u ON u.id = b.user_id WHERE b.voting_id = ${voting} AND u.esia_oid = '${oid}'`)[0][0], '1');
  });

  test('the catalogue of my territory and those above it: votings, the open poll and discussion', async () => {
    await page.goto(`${BASE}/#/participate`);
    await heading('Участие').waitFor();
    await page.getByText('Для территории «г. Демоград» и региона.').waitFor();
    for (const [section, title] of [['cat-voting', 'Народный бюджет г. Демоград'], ['cat-voting', `Двор для жителей ${oid}`],
      ['cat-poll', 'Общественный транспорт Демограда'], ['cat-discussion', 'Проект правил благоустройства г. Демоград']]) {
      const card = page.locator(`section[aria-labelledby=${section}] li`).filter({ has: page.getByRole('link', { name: title }) });
      await card.getByText(/^Идёт до /).waitFor();
    }
    await shoot('participate');
  });

  test('the poll\'s staff read its free-text answers on the poll page', async () => {
    const [[poll]] = sql(`SELECT id FROM polls WHERE title = 'Общественный транспорт Демограда'`);
    const context = await browser.newContext({ locale: 'ru-RU', bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const staff = await context.newPage();
    await staff.goto(`${BASE}/#/poll/${poll}`);
    await staff.getByRole('heading', { level: 1, name: 'Общественный транспорт Демограда' }).waitFor();
    await staff.getByRole('banner').getByRole('link', { name: 'Войти через Госуслуги' }).click();
    await providerSignIn(staff, 'manager1');
    await staff.waitForURL(`${BASE}/#/poll/${poll}`);
    await staff.getByText('Ответы участников (видны сотрудникам организации)').waitFor();
    await staff.getByText(`Пустить ночной автобус до вокзала (${oid}).`).waitFor();
    await shoot('poll-staff', staff);
    // a citizen sees the counts only
    assert.equal(await page.getByText(`Пустить ночной автобус до вокзала (${oid}).`).count(), 0);
    await context.close();
  });

  test('English on request', async () => {
    await page.goto(`${BASE}/`);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await heading('Otklik: feedback to the Demo region\'s authorities').waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    // the English words are a chunk of their own, loaded before the page is drawn when English was chosen
    await page.reload();
    await heading('Otklik: feedback to the Demo region\'s authorities').waitFor();
    await page.getByRole('button', { name: 'Переключить на русский' }).click();
    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Войти через Госуслуги' }).waitFor();
  });
});
