// participation-files.test.mjs - the files a voting project or a discussion
// shows (sql/031): only the creator's own uploads (photos: images only), read
// by anyone - the portal shows them to visitors who are not logged in - and
// kept by the scheduler, which before removed them a day after upload as
// unsent files (and before that only their uploader could read them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { api, assertProblem, sql } from './helpers.mjs';
import { uploaded } from './journeys.mjs';

const PHOTO = readFileSync(new URL('./fixtures/photo-640x480.jpg', import.meta.url));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const iso = (offsetSeconds) => new Date(Date.now() + offsetSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const tick = () => execFileSync(`${process.env.OTKLIK_BIN}/otklikctl`, ['tick'], { env: process.env });
const exists = (id) => sql(`SELECT count(*) FROM attachments WHERE id = ${id}`)[0][0] === '1';
const age = (id) => sql(`UPDATE attachments SET created_at = created_at - interval '3 days' WHERE id = ${id}`);

const voting = (photoIds) => api('POST', '/api/v1/votings', { auth: 'admin1', body: {
  org: 'demo-admin', title: `Фото ${Date.now()}`, opens_at: iso(3600), closes_at: iso(86400), max_choices: 1, results: 'live',
  projects: [{ title: 'Сквер', cost: 100000, description: 'Сквер у школы', address: 'г. Демоград', photo_ids: photoIds }] } });

test('a project photo: the creator\'s own image only; then anyone reads it and the scheduler keeps it', async () => {
  const photo = await uploaded('admin1', PHOTO, 'image/jpeg');
  const others = await uploaded('citizen1', PHOTO, 'image/jpeg');
  const pdf = await uploaded('admin1', PDF, 'application/pdf');
  for (const ids of [[others], [pdf], [photo, photo], [987654321]]) {
    const refused = await voting(ids);
    assertProblem(refused, 422);
    assert.equal(refused.body.errors[0].field, 'photo_ids', JSON.stringify(ids));
  }
  const created = await voting([photo]);
  assert.equal(created.status, 201, created.text);
  assert.deepEqual(created.body.projects[0].photo_ids, [photo]);

  const anonymous = await api('GET', `/api/v1/attachments/${photo}`);
  assert.equal(anonymous.status, 200, anonymous.text);
  assert.equal(anonymous.headers.get('content-type'), 'image/jpeg');
  assert.equal((await api('GET', `/api/v1/attachments/${photo}/thumbnail`)).status, 200);
  assert.equal((await api('GET', `/api/v1/attachments/${photo}`, { auth: 'citizen2' })).status, 200);

  // another upload of the same age that nothing shows goes; the photo stays
  const stray = await uploaded('admin1', PHOTO, 'image/jpeg');
  age(photo); age(stray);
  tick();
  assert.equal(exists(stray), false);
  assert.equal(exists(photo), true);
  assert.equal((await api('GET', `/api/v1/attachments/${photo}`)).status, 200);
});

test('a private file stays private: 401 without a login, 404 to another person', async () => {
  const own = await uploaded('citizen1', PHOTO, 'image/jpeg');
  assertProblem(await api('GET', `/api/v1/attachments/${own}`), 401);
  assertProblem(await api('GET', `/api/v1/attachments/${own}/thumbnail`), 401);
  assertProblem(await api('GET', `/api/v1/attachments/${own}`, { auth: 'citizen2' }), 404);
  assert.equal((await api('GET', `/api/v1/attachments/${own}`, { auth: 'citizen1' })).status, 200);
});

test('a discussion\'s document is public and kept too', async () => {
  const doc = await uploaded('admin1', PDF, 'application/pdf');
  const res = await api('POST', '/api/v1/discussions', { auth: 'admin1', body: {
    org: 'demo-admin', title: `Документ ${Date.now()}`, document: 'Проект правил благоустройства.',
    opens_at: iso(3600), closes_at: iso(86400), attachment_ids: [doc] } });
  assert.equal(res.status, 201, res.text);
  assert.equal((await api('GET', `/api/v1/attachments/${doc}`)).status, 200);
  age(doc);
  tick();
  assert.equal(exists(doc), true);
});
