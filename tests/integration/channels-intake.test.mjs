// channels-intake.test.mjs - every message carries its channel: widget when sent
// through a widget, portal with the platform's session cookie, api with a
// bearer token; staff see it in their list and on the card.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { api, cleanText, rubricId, sql, token, BASE } from './helpers.mjs';

async function listed(id) {
  const res = await api('GET', '/api/v1/staff/messages?status=moderation&limit=100', { auth: 'moderator1' });
  assert.equal(res.status, 200, res.text);
  return res.body.items.find((m) => m.id === id);
}

describe('the channel of a message', () => {
  test('api with a bearer token, widget with a widget key, portal with the session cookie', async () => {
    const byApi = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText() } });
    assert.equal(byApi.status, 201, byApi.text);
    const byWidget = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText(), widget_key: 'demo-widget' } });
    assert.equal(byWidget.status, 201, byWidget.text);
    const res = await fetch(`${BASE}/api/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `otklik_session=${token('citizen2')}`, origin: new URL(BASE).origin },
      body: JSON.stringify({ rubric_id: rubricId(), text: cleanText() }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const byPortal = await res.json();
    const channels = Object.fromEntries(sql(`SELECT id, channel FROM messages WHERE id IN (${byApi.body.id}, ${byWidget.body.id}, ${byPortal.id})`));
    assert.deepEqual([channels[byApi.body.id], channels[byWidget.body.id], channels[byPortal.id]], ['api', 'widget', 'portal']);
    assert.equal((await listed(byWidget.body.id)).channel, 'widget');
    const card = await api('GET', `/api/v1/messages/${byPortal.id}`, { auth: 'moderator1' });
    assert.equal(card.body.channel, 'portal');
  });

  test('the column refuses a channel not in the list', () => {
    assert.throws(() => sql("UPDATE messages SET channel = 'fax' WHERE id = (SELECT min(id) FROM messages)"), /check constraint/);
  });
});
