// languages.test.mjs - problems in the caller's language (core/ok_i18n.c,
// core/ok_messages.c, nginx's $otklik_lang): Russian by default, English when
// Accept-Language ranks it first, the same field codes either way, through
// nginx for the workers' answers and for nginx's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem } from './helpers.mjs';

const voting = (lang) => api('GET', '/api/v1/votings/999999999', lang ? { headers: { 'accept-language': lang } } : {});

test('a worker answers in Russian by default, with Content-Language', async () => {
  const res = await voting();
  assertProblem(res, 404);
  assert.equal(res.headers.get('content-language'), 'ru');
  assert.equal(res.body.title, 'Не найдено');
  assert.equal(res.body.detail, 'Такого голосования нет.');
});

test('English when the caller ranks it above Russian, by q value', async () => {
  for (const [header, lang] of [
    ['en-US,en;q=0.9', 'en'],
    ['ru-RU,ru;q=0.9,en;q=0.8', 'ru'],
    ['ru;q=0.4, en;q=0.5', 'en'],
    ['de-DE,de;q=0.9', 'ru'],
    ['de, en-GB;q=0.7', 'en'],
    ['en;q=0', 'ru'],
  ]) {
    const res = await voting(header);
    assertProblem(res, 404);
    assert.equal(res.headers.get('content-language'), lang, header);
    assert.equal(res.body.detail, lang === 'en' ? 'There is no such voting.' : 'Такого голосования нет.', header);
  }
});

test('a formatted detail is translated before its values are filled in', async () => {
  const ru = await api('GET', '/api/v1/staff/messages?limit=0', { auth: 'coordinator1' });
  const en = await api('GET', '/api/v1/staff/messages?limit=0', { auth: 'coordinator1', headers: { 'accept-language': 'en' } });
  assertProblem(ru, 400);
  assertProblem(en, 400);
  const [, max] = en.body.detail.match(/to (\d+)/);
  assert.equal(en.body.detail, `limit must be 1 to ${max} and cursor a value from next_cursor.`);
  assert.equal(ru.body.detail, `limit — от 1 до ${max}, а cursor — значение из next_cursor.`);
});

test('field errors keep their codes in either language', async () => {
  const body = { rubric_id: 1, text: '' };
  const ru = await api('POST', '/api/v1/messages', { auth: 'citizen1', body });
  const en = await api('POST', '/api/v1/messages', { auth: 'citizen1', body, headers: { 'accept-language': 'en' } });
  assert.equal(ru.status, en.status);
  assert.ok(ru.status === 422 || ru.status === 400, ru.text);
  assert.deepEqual(ru.body.errors, en.body.errors);
  assert.notEqual(ru.body.detail, en.body.detail);
  assert.match(ru.body.detail, /[а-яё]/i);
});

test('nginx answers its own errors in the same language', async () => {
  const ru = await api('GET', '/no/such/page');
  assertProblem(ru, 404);
  assert.equal(ru.body.title, 'Не найдено');
  assert.equal(ru.body.detail, 'По этому адресу ничего нет.');
  for (const header of ['en', 'de-DE, en-GB;q=0.8', 'EN-us']) {
    const en = await api('GET', '/no/such/page', { headers: { 'accept-language': header } });
    assertProblem(en, 404);
    assert.equal(en.headers.get('content-language'), 'en', header);
    assert.equal(en.body.title, 'Not Found', header);
  }
  const russianFirst = await api('GET', '/no/such/page', { headers: { 'accept-language': 'ru, en' } });
  assert.equal(russianFirst.body.title, 'Не найдено');
  // a long hostile header costs nginx's match a linear scan, not a timeout
  const hostile = await api('GET', '/no/such/page', { headers: { 'accept-language': `${'x, '.repeat(2000)}en` } });
  assertProblem(hostile, 404);
  assert.equal(hostile.headers.get('content-language'), 'en');
});
