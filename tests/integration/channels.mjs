// channels.mjs - shared by the channels-*.test.mjs tests: an official account
// registered through the API with its secret and token files, the webhooks
// called as the networks call them, incidents worked on by the demo staff,
// and waiting for the outbox.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { SMTPServer } from 'smtp-server';
import { api, sleep, sql } from './helpers.mjs';
import { answer, approve, assign } from './journeys.mjs';

const DIR = process.env.OTKLIK_CHANNELS_SECRETS_DIR;

/** A new account of org on network, with its secret and token files; {id, group, secret, token}. */
export async function account(network, { org = 'demo-admin', confirmation = 'c0nf1rm' } = {}) {
  const group = String(network === 'vk' ? randomInt(1, 2 ** 31) : -randomInt(1e12, 2e12));
  const res = await api('POST', `/api/v1/orgs/${org}/accounts`, {
    auth: 'admin1', body: { network, address: `https://example.org/${group}`, external_id: group, verified: true, confirmation },
  });
  assert.equal(res.status, 201, res.text);
  const secret = randomBytes(16).toString('hex');
  const token = network === 'vk' ? `vk1.a.${randomBytes(24).toString('hex')}` : `${randomInt(1e8, 9e8)}:${randomBytes(16).toString('hex')}`;
  writeFileSync(`${DIR}/${network}-${res.body.id}.secret`, `${secret}\n`, { mode: 0o600 });
  writeFileSync(`${DIR}/${network}-${res.body.id}.token`, `${token}\n`, { mode: 0o600 });
  return { id: res.body.id, group: Number(group), secret, token };
}

/** POSTs a raw JSON text to a webhook; {status, text, body}. */
export async function hook(path, payload, headers = {}) {
  return api('POST', path, { raw: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });
}

/** The incident stored for (source, external id), or undefined. */
export function incidentOf(source, external) {
  const rows = sql(`SELECT id FROM incidents WHERE source = '${source}' AND external_id = '${external.replace(/'/g, "''")}'`);
  return rows.length ? Number(rows[0][0]) : undefined;
}

export const incidentCount = () => Number(sql('SELECT count(*) FROM incidents')[0][0]);

/** The incident as moderator1 sees it in the queue (status new by default). */
export async function inQueue(id, status = 'new') {
  for (let cursor = ''; ;) {
    const res = await api('GET', `/api/v1/incidents?status=${status}&limit=100${cursor}`, { auth: 'moderator1' });
    assert.equal(res.status, 200, res.text);
    const found = res.body.items.find((i) => i.id === id);
    if (found || res.body.next_cursor === null) return found;
    cursor = `&cursor=${res.body.next_cursor}`;
  }
}

/** Accepts incident id into demo-admin, then assign, answer, approve: the message's id. */
export async function acceptAndAnswer(id, text = 'Яму заделали, спасибо за сообщение.') {
  const res = await api('POST', `/api/v1/incidents/${id}/accept`, { auth: 'moderator1', body: { org: 'demo-admin' } });
  assert.equal(res.status, 200, res.text);
  const message = res.body.message_id;
  await assign(message); await answer(message, 'executor1', text); await approve(message);
  return message;
}

/** Waits until predicate() is true (or fails after timeoutMs). */
export async function until(predicate, what, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** A real SMTP server (npm smtp-server) at OTKLIK_SMTP_URL, without STARTTLS,
 * taking the notifier's login (OTKLIK_SMTP_AUTH_FILE); {mails, close}: each
 * mail {from, to, user, head, subject, text} decoded. */
export function startSmtp() {
  const mails = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, session, cb) {
      if (auth.username === 'otklik' && auth.password === 'smtp-test-password') cb(null, { user: 'otklik' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString();
        const [head, body] = raw.split('\r\n\r\n');
        const subject = /^Subject: =\?UTF-8\?B\?([^?]+)\?=/m.exec(head)?.[1];
        mails.push({
          from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), user: session.user, head,
          subject: subject && Buffer.from(subject, 'base64').toString(), text: Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString(),
        });
        cb();
      });
    },
  });
  return new Promise((resolve) => server.listen(Number(new URL(process.env.OTKLIK_SMTP_URL).port), '127.0.0.1',
    () => resolve({ mails, close: () => server.close() })));
}

/** Nothing of the files before pending by e-mail: executor1's next digest is
 * due now (the stack's scheduler, every minute, may have mailed him one
 * within the hour, to no server), every staff notification mailed, every
 * e-mail delivered. */
export function quietMail() {
  sql(`UPDATE staff_contacts SET last_digest_at = NULL WHERE user_id = (SELECT id FROM users WHERE esia_oid = 'executor1')`);
  sql('UPDATE staff_notifications SET mailed_at = otklik_now() WHERE mailed_at IS NULL');
  sql(`UPDATE deliveries SET delivered_at = otklik_now() WHERE delivered_at IS NULL AND channel = 'email'`);
}
