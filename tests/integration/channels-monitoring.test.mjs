// channels-monitoring.test.mjs - the generic monitoring webhook: a body signed
// with HMAC-SHA256 (X-Otklik-Signature: sha256=<hex>) under the key file
// OTKLIK_MONITORING_SECRET_FILE; forged, missing or stale signatures store
// nothing; replays make one incident; bad fields are 422; accepted, it is a
// message of channel monitoring.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { api, assertProblem } from './helpers.mjs';
import { acceptAndAnswer, hook, incidentCount, incidentOf, inQueue } from './channels.mjs';

const key = readFileSync(process.env.OTKLIK_MONITORING_SECRET_FILE, 'utf8').trim();
const sign = (body, k = key) => `sha256=${createHmac('sha256', k).update(body).digest('hex')}`;
function found(extra = {}) {
  return {
    source: 'ok.ru', external_id: randomBytes(8).toString('hex'), url: 'https://ok.ru/group/1/topic/2',
    author: 'Мария С.', text: 'Огромная свалка мусора за гаражами на улице Садовой',
    published_at: '2026-11-20T10:00:00Z', location: { lat: 55.75, lon: 37.61 }, ...extra,
  };
}
const post = (body, signature) => hook('/hooks/monitoring', body, signature === undefined ? {} : { 'x-otklik-signature': signature });

describe('the monitoring webhook', () => {
  test('missing, forged and other-key signatures: 401/403, nothing stored', async () => {
    const before = incidentCount();
    const body = JSON.stringify(found());
    assertProblem(await post(body), 401);
    assertProblem(await post(body, sign(body, 'another key')), 403);
    assertProblem(await post(body, sign(`${body} `)), 403);
    assertProblem(await post(body, 'sha256=zz'), 403);
    assert.equal(incidentCount(), before);
  });

  test('a signed post is one incident, however often it is sent; fields checked after the signature', async () => {
    const item = found();
    const body = JSON.stringify(item);
    for (let i = 0; i < 3; i++) assert.equal((await post(body, sign(body))).status, 202);
    const id = incidentOf('ok.ru', item.external_id);
    const seen = await inQueue(id);
    assert.equal(seen.channel, 'monitoring');
    assert.equal(seen.source, 'ok.ru');
    assert.deepEqual(seen.location, { lat: 55.75, lon: 37.61 });
    assert.equal(seen.published_at, '2026-11-20T10:00:00Z');
    assert.equal(seen.account, null);
    const bad = JSON.stringify(found({ source: 'Bad Source!', text: '' }));
    const res = await post(bad, sign(bad));
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['text']);
  });

  test('accepted: a message of channel monitoring with the rubric\'s due date', async () => {
    const item = found({ author: undefined });
    const body = JSON.stringify(item);
    await post(body, sign(body));
    const message = await acceptAndAnswer(incidentOf('ok.ru', item.external_id));
    const card = await api('GET', `/api/v1/messages/${message}`, { auth: 'coordinator1' });
    assert.equal(card.body.channel, 'monitoring');
    assert.equal(card.body.status, 'answered');
  });
});
