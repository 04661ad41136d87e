// channels-fairness.test.mjs - the outbox is fair: a dead receiver's backlog
// does not starve the others. The webhook receiver and the SMTP server both
// hang (they accept the connection and never answer, so every attempt costs
// the notifier its whole timeout) with twenty undelivered rows each; a
// content-plan post approved just now still reaches VK (the stand-in) within
// a few seconds, not after the backlog has been tried.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { api, sql } from './helpers.mjs';
import { NetworksStandIn } from './networks-standin.mjs';
import { account, until } from './channels.mjs';

const T = `fair-${Date.now()}`;
let vk, standin;
const dead = [];

/** A TCP server on url's port that takes connections and never says a word. */
function hanging(url) {
  const sockets = new Set();
  const server = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); });
  dead.push({ server, sockets });
  return new Promise((resolve) => server.listen(Number(new URL(url).port), '127.0.0.1', resolve));
}

before(async () => {
  vk = await account('vk');
  standin = await new NetworksStandIn({ vkTokens: new Set([vk.token]) }).start();
  await hanging(process.env.OTKLIK_WEBHOOK_URL);
  await hanging(process.env.OTKLIK_SMTP_URL);
  // the backlogs: notifications of twenty messages, twenty e-mails
  sql(`INSERT INTO notifications (user_id, message_id, event_id, status, title)
    SELECT m.author_id, m.id, (SELECT max(id) FROM message_events WHERE message_id = m.id), m.status, '${T}'
    FROM messages m WHERE EXISTS (SELECT 1 FROM message_events WHERE message_id = m.id) ORDER BY m.id LIMIT 20`);
  sql(`INSERT INTO deliveries (channel, ordering_key, method, params)
    SELECT 'email', '${T}:' || g, 'send', jsonb_build_object('to', 'nobody@demo.example', 'subject', '${T}', 'text', 'backlog')
    FROM generate_series(1, 20) g`);
  // the notifier is at it: the dead receivers have been tried
  await until(() => Number(sql(`SELECT count(*) FROM deliveries WHERE ordering_key LIKE '${T}:%' AND attempts > 0`)[0][0]) > 0, 'a first attempt');
});

after(() => {
  sql(`UPDATE notifications SET delivered_at = otklik_now() WHERE title = '${T}' AND delivered_at IS NULL`);
  sql(`UPDATE deliveries SET delivered_at = otklik_now() WHERE ordering_key LIKE '${T}:%' AND delivered_at IS NULL`);
  for (const { server, sockets } of dead) { for (const s of sockets) s.destroy(); server.close(); }
  standin?.stop();
});

test('a fresh post reaches a live network while the webhook and the SMTP server hang with a backlog', async () => {
  const text = `Новости района ${T}`;
  const at = new Date(Date.now() - 1000).toISOString();
  const created = await api('POST', `/api/v1/accounts/${vk.id}/posts`, { auth: 'executor1', body: { text, publish_at: at } });
  assert.equal(created.status, 201, created.text);
  const started = Date.now();
  const approved = await api('POST', `/api/v1/posts/${created.body.id}/approve`, { auth: 'manager1' });
  assert.equal(approved.status, 200, approved.text);
  await until(() => standin.done('vk', 'wall.post').some((c) => c.params.message === text), 'the post', 60000);
  const took = Date.now() - started;
  console.log(`the post took ${took} ms`);
  // one hanging attempt per dead receiver and round (1 s each here), not the backlog's forty
  assert.ok(took < 5000, `the post waited ${took} ms behind the dead receivers' backlog`);
  // and the backlog is still being worked on, not dropped
  assert.ok(Number(sql(`SELECT count(*) FROM deliveries WHERE ordering_key LIKE '${T}:%' AND delivered_at IS NULL`)[0][0]) === 20);
});
