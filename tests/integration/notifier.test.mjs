// notifier.test.mjs - notifications reach the external webhook from the outbox:
// all of them, in order per message, signed, across a receiver that was down
// and a notifier killed mid-delivery (duplicates are allowed; the receiver
// drops them by id).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { api, cleanText, rubricId, sleep, sql, userId } from './helpers.mjs';

const url = new URL(process.env.OTKLIK_WEBHOOK_URL);
const received = [];
let delay = 0;
let server;

function startReceiver() {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      const expected = createHmac('sha256', process.env.OTKLIK_WEBHOOK_SECRET).update(body).digest('hex');
      if (req.headers['x-otklik-signature'] !== `sha256=${expected}`) { res.writeHead(401).end(); return; }
      if (delay) await sleep(delay);
      const note = JSON.parse(body);
      assert.equal(req.headers['x-otklik-delivery'], String(note.id));
      received.push(note);
      res.writeHead(204).end();
    });
  });
  return new Promise((r) => server.listen(Number(url.port), '127.0.0.1', r));
}
after(() => server?.close());

/** Sends, accepts and assigns n messages (two notifications each); returns their ids. */
async function story(n) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const sent = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText() } });
    await api('POST', `/api/v1/messages/${sent.body.id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-admin' } });
    await api('POST', `/api/v1/messages/${sent.body.id}/assign`, { auth: 'coordinator1', body: { executor_id: userId('executor1') } });
    ids.push(sent.body.id);
  }
  return ids.join(',');
}

// Only this test's messages: other tests move the clock of single processes.
async function allDelivered(messages, timeoutMs = 30000) {
  const pending = () => sql(`SELECT count(*) FROM notifications WHERE delivered_at IS NULL AND message_id IN (${messages})`)[0][0];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pending() === '0') return;
    await sleep(200);
  }
  assert.fail(`undelivered: ${pending()}`);
}

function assertComplete(messages) {
  const ids = new Set(received.map((n) => n.id));
  const stored = sql(`SELECT id FROM notifications WHERE message_id IN (${messages})`).flat().map(Number);
  assert.equal(stored.length, messages.split(',').length * 2);
  assert.deepEqual(stored.filter((id) => !ids.has(id)), [], 'notifications never received');
  // in order per message: the first arrival of each id follows id order
  const firsts = new Map();
  for (const n of received) {
    if (!firsts.has(n.id)) firsts.set(n.id, n);
  }
  const byMessage = new Map();
  for (const n of firsts.values()) byMessage.set(n.message_id, [...(byMessage.get(n.message_id) ?? []), n.id]);
  for (const [message, order] of byMessage) assert.deepEqual(order, [...order].sort((a, b) => a - b), `message ${message} out of order`);
}

describe('the webhook notifier', () => {
  // The files before this one leave thousands of notifications undelivered (no
  // receiver listened then), retried every second (OTKLIK_NOTIFIER_MAX_BACKOFF_SECONDS=1)
  // oldest first: this test's would wait behind them. They are set aside as
  // delivered; what is checked here is this test's own.
  before(() => sql('UPDATE notifications SET delivered_at = otklik_now() WHERE delivered_at IS NULL'));

  test('the receiver down for a while, then up: every notification arrives, in order per message', async () => {
    const messages = await story(3);
    // wait (bounded) for a failed attempt: a loaded machine may take longer than a second
    const failed = () => Number(sql(`SELECT count(*) FROM notifications WHERE delivered_at IS NULL AND attempts > 0 AND message_id IN (${messages})`)[0][0]);
    const deadline = Date.now() + 20000;
    while (failed() === 0 && Date.now() < deadline) await sleep(200);
    assert.ok(failed() > 0, 'the notifier did not try while the receiver was down');
    await startReceiver();
    await allDelivered(messages);
    assertComplete(messages);
    const one = received.find((n) => n.status === 'registered');
    assert.deepEqual(Object.keys(one).sort(), ['created_at', 'id', 'message_id', 'status', 'title', 'user_id']);
  });

  test('the notifier killed mid-delivery: none lost', async () => {
    delay = 150;
    const messages = await story(5);
    await sleep(300);
    const supervisor = readFileSync(`${process.env.OTKLIK_VAR}/run/notifier.pid`, 'utf8').trim();
    const [child] = execFileSync('pgrep', ['-P', supervisor]).toString().trim().split('\n');
    process.kill(Number(child), 'SIGKILL');
    await allDelivered(messages);
    delay = 0;
    assertComplete(messages);
    const after = execFileSync('pgrep', ['-P', supervisor]).toString().trim().split('\n');
    assert.notEqual(after[0], child, 'the notifier was not restarted');
  });
});
