// incidents.test.mjs - the cabinet's "Инциденты из соцсетей" and "Госпаблики"
// pages in Debian's chromium under the cabinet's CSP: two comments arrive
// from VK (its Callback API, as VK calls the account's webhook); moderator1
// (demo-cur) accepts one as a message, the organisation and the rubric
// pre-filled from the account and the suggestion, and dismisses the other
// with a reason; the page reads in English too. manager1 (demo-admin) opens
// the account's content plan, writes a post and approves it. axe-core
// passes; screenshots at 1280 and 768 px in tests/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, launch, providerLogin, seriousViolations } from './chromium.mjs';
import { rubricId, sql } from '../integration/helpers.mjs';
import { account, hook, incidentOf } from '../integration/channels.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
const T = Date.now().toString(36);
let browser, vk;
const comments = {};

/** VK's wall_reply_new for a comment under post 5 of the account's community. */
async function comment(name, id, text) {
  const res = await hook(`/hooks/vk/${vk.id}`, {
    type: 'wall_reply_new', group_id: vk.group, event_id: `b${id}`, v: '5.199', secret: vk.secret,
    object: { id, from_id: 4242, date: Math.floor(Date.now() / 1000), text, post_id: 5, owner_id: -vk.group, parents_stack: [] },
  });
  assert.equal(res.text, 'ok');
  comments[name] = { text, incident: incidentOf('vk', `wall${-vk.group}_5?reply=${id}`) };
  assert.ok(comments[name].incident);
}

before(async () => {
  browser = await launch();
  vk = await account('vk');
  await comment('pothole', 1, `Огромная яма на дороге у школы, ${T}`);
  await comment('spam', 2, `Купите наши окна недорого, ${T}`);
});
after(async () => { await browser?.close(); });

async function checked(page, name) {
  assert.deepEqual(await seriousViolations(page, name), []);
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true });
}

async function cabinet(oid) {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(`${BASE}/cabinet/`);
  await providerLogin(page, oid);
  await page.waitForURL(`${BASE}/cabinet/`);
  return { context, page, violations };
}

const status = (page, text) => page.getByRole('status').filter({ hasText: text }).waitFor();
const item = (page, name) => page.locator('article.incident').filter({ hasText: comments[name].text });

test('moderator1 accepts an incident from VK as a message and dismisses another', async () => {
  const { context, page, violations } = await cabinet('moderator1');
  await page.getByRole('navigation').getByRole('link', { name: 'Инциденты из соцсетей' }).click();
  await page.getByRole('heading', { level: 2, name: 'Инциденты из соцсетей' }).waitFor();
  const pothole = item(page, 'pothole');
  await pothole.waitFor();
  assert.match(await pothole.innerText(), /ВКонтакте/);
  assert.match(await pothole.innerText(), /Ямы на дорогах|яма/i);
  assert.equal(await pothole.getByRole('link', { name: 'Открыть пост' }).getAttribute('href'),
    `https://vk.com/wall${-vk.group}_5?reply=1`);
  await checked(page, 'cabinet-incidents');

  await pothole.getByRole('button', { name: 'Принять как сообщение' }).click();
  const form = page.locator(`form#accept-${comments.pothole.incident}`);
  assert.equal(await form.getByLabel('Организация (код)').inputValue(), 'demo-admin');
  assert.equal(await form.getByLabel('Рубрика').inputValue(), String(rubricId('roads-potholes')));
  await checked(page, 'cabinet-incidents-accept');
  await form.getByRole('button', { name: 'Принять как сообщение' }).click();
  await status(page, `Инцидент №${comments.pothole.incident} принят`);
  const [state, message] = sql(`SELECT status, message_id FROM incidents WHERE id = ${comments.pothole.incident}`)[0];
  assert.equal(state, 'accepted');
  assert.deepEqual(sql(`SELECT channel, organisation_id = (SELECT id FROM organisations WHERE code = 'demo-admin'), rubric_id FROM messages WHERE id = ${message}`)[0],
    ['vk', 't', String(rubricId('roads-potholes'))]);
  assert.equal(await item(page, 'pothole').count(), 0, 'an accepted incident stays in the queue of new ones');

  const spam = item(page, 'spam');
  await spam.getByRole('button', { name: 'Отклонить' }).click();
  const dismiss = page.locator(`form#dismiss-${comments.spam.incident}`);
  await dismiss.getByRole('button', { name: 'Отклонить' }).click(); // no reason: the API's error beside the field
  await dismiss.locator('.error-summary').waitFor();
  await dismiss.getByLabel('Причина отклонения').selectOption('5');
  await dismiss.getByLabel('Комментарий').fill('Реклама');
  await dismiss.getByRole('button', { name: 'Отклонить' }).click();
  await status(page, `Инцидент №${comments.spam.incident} отклонён`);
  assert.deepEqual(sql(`SELECT status, dismiss_reason, dismiss_comment FROM incidents WHERE id = ${comments.spam.incident}`)[0],
    ['dismissed', '5', 'Реклама']);

  await page.getByRole('link', { name: 'Отклонённые' }).click();
  await item(page, 'spam').waitFor();
  await page.setViewportSize({ width: 768, height: 900 });
  await checked(page, 'cabinet-incidents-768');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 2, name: 'Social media incidents' }).waitFor();
  await item(page, 'spam').getByText('Advertising, spam, links, off-topic').waitFor();
  assert.deepEqual(violations, []);
  await context.close();
});

test('manager1 writes a post in an account\'s content plan and approves it', async () => {
  const { context, page, violations } = await cabinet('manager1');
  await page.getByRole('navigation').getByRole('link', { name: 'Госпаблики' }).click();
  await page.getByRole('heading', { level: 2, name: 'Госпаблики' }).waitFor();
  const address = `https://example.org/${vk.group}`;
  await page.getByRole('button', { name: `Контент-план: ${address}` }).click();
  const form = page.locator(`form#post-new-${vk.id}`);
  await form.getByLabel('Текст поста').fill(`Ремонт дорог на неделе, ${T}`);
  const d = new Date(Date.now() + 86400000);
  await form.getByLabel('Когда опубликовать').fill(new Date(d - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16));
  await form.getByRole('button', { name: 'Сохранить черновик' }).click();
  await status(page, 'Пост сохранён');
  const row = page.getByRole('row').filter({ hasText: `Ремонт дорог на неделе, ${T}` });
  await row.getByText('черновик').waitFor();
  // the form is empty again for the next post
  assert.equal(await form.getByLabel('Текст поста').inputValue(), '');
  await checked(page, 'cabinet-accounts');
  await row.getByRole('button', { name: 'Утвердить' }).click();
  await status(page, 'Пост утверждён');
  await row.getByText('утверждён').waitFor();
  assert.equal(sql(`SELECT status FROM account_posts WHERE account_id = ${vk.id} AND text LIKE '%${T}'`)[0][0], 'approved');
  await page.setViewportSize({ width: 768, height: 900 });
  await checked(page, 'cabinet-accounts-768');
  assert.deepEqual(violations, []);
  await context.close();
});
