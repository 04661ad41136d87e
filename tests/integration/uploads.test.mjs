// uploads.test.mjs - files waiting for their message (POST /api/v1/attachments):
// the per-citizen quota and rate, refused with 429 and nothing stored, and the
// scheduler (otklikctl tick) removing the ones never sent. The limits are
// per person, so each test has citizens of its own.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { api, assertProblem, cleanText, freshToken, rubricId, snapshot, sql, sleep, userId, PNG } from './helpers.mjs';

const QUOTA_FILES = Number(process.env.OTKLIK_UPLOAD_QUOTA_FILES ?? 20);
const QUOTA_BYTES = Number(process.env.OTKLIK_UPLOAD_QUOTA_BYTES ?? 50 << 20);
const RATE = Number(process.env.OTKLIK_UPLOAD_RATE_PER_MINUTE ?? 30);
const TTL = Number(process.env.OTKLIK_UPLOAD_TTL_SECONDS ?? 86400);

const run = `${process.pid}-${Date.now()}`;
/** A new citizen with a token of his own. */
function citizen(name) {
  const oid = `uploads-${run}-${name}`;
  sql(`INSERT INTO users (esia_oid, name) VALUES ('${oid}', 'Житель')`);
  return { oid, id: userId(oid), token: freshToken(oid) };
}

const upload = (who, data = PNG) =>
  api('POST', '/api/v1/attachments', { auth: who.token, raw: data, headers: { 'content-type': 'image/png' } });

async function uploaded(who, data = PNG) {
  const res = await upload(who, data);
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

async function send(who, ids) {
  const body = { rubric_id: rubricId(), text: cleanText() };
  if (ids) body.attachment_ids = ids;
  const res = await api('POST', '/api/v1/messages', { auth: who.token, body });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

/** [files, bytes] of the citizen's uploads not attached to a message. */
const unattached = (who) => sql(`SELECT count(*), coalesce(sum(size_bytes), 0) FROM attachments
  WHERE owner_id = ${who.id} AND message_id IS NULL`)[0].map(Number);

/** A 429 problem with a Retry-After of whole seconds within max. */
function assertLimited(res, max) {
  assertProblem(res, 429);
  const after = res.headers.get('retry-after');
  assert.match(after ?? '', /^\d+$/);
  assert.ok(Number(after) >= 1 && Number(after) <= max, `Retry-After ${after}`);
}

describe('the quota of files waiting to be sent', () => {
  test('the file past the count is refused with 429 and not stored; sending some frees the quota', async () => {
    const a = citizen('files');
    const ids = [];
    for (let i = 0; i < QUOTA_FILES; i++) ids.push(await uploaded(a));
    const before = snapshot();
    const refused = await upload(a);
    assertLimited(refused, TTL);
    assert.match(refused.body.detail, new RegExp(`${QUOTA_FILES} файлов`));
    assert.deepEqual(snapshot(), before);
    assert.deepEqual(unattached(a), [QUOTA_FILES, QUOTA_FILES * PNG.length]);
    // another citizen is not held back by the first one's files
    const b = citizen('other');
    await uploaded(b);
    assert.deepEqual(unattached(b), [1, PNG.length]);
    // once files go with a message, there is room again
    await send(a, ids.slice(0, 10));
    await uploaded(a);
    assert.deepEqual(unattached(a), [QUOTA_FILES - 9, (QUOTA_FILES - 9) * PNG.length]);
  });

  test('the file past the bytes is refused with 429 and not stored', async () => {
    const a = citizen('bytes');
    const big = Buffer.concat([PNG, Buffer.alloc((5 << 20) - PNG.length)]);
    const fit = Math.floor(QUOTA_BYTES / big.length);
    assert.ok(fit < QUOTA_FILES, 'the bytes quota is reached before the count');
    for (let i = 0; i < fit; i++) await uploaded(a, big);
    const before = snapshot();
    assertLimited(await upload(a, Buffer.concat([PNG, Buffer.alloc(QUOTA_BYTES - fit * big.length)])), TTL);
    assert.deepEqual(snapshot(), before);
    assert.deepEqual(unattached(a), [fit, fit * big.length]);
  });

  test('a burst of parallel uploads by one citizen stops exactly at the quota', async () => {
    const a = citizen('burst');
    const answers = await Promise.all(Array.from({ length: 2 * QUOTA_FILES }, () => upload(a)));
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 201 || s === 429), statuses.join());
    assert.equal(statuses.filter((s) => s === 201).length, QUOTA_FILES);
    assert.deepEqual(unattached(a), [QUOTA_FILES, QUOTA_FILES * PNG.length]);
    assert.equal(sql(`SELECT count(*) FROM attachments WHERE owner_id = ${a.id}`)[0][0], String(QUOTA_FILES));
  });
});

describe('the rate of uploads', () => {
  test('uploads past the rate in a minute are refused with 429, even when each was sent', async () => {
    const a = citizen('rate');
    const batch = Math.min(10, QUOTA_FILES);
    for (let done = 0; done < RATE;) {
      const ids = [];
      for (let i = 0; i < batch && done < RATE; i++, done++) ids.push(await uploaded(a));
      await send(a, ids);
    }
    const before = snapshot();
    const refused = await upload(a);
    assertLimited(refused, 60);
    assert.match(refused.body.detail, new RegExp(`${RATE} файлов в минуту`));
    assert.deepEqual(snapshot(), before);
    assert.deepEqual(unattached(a), [0, 0]);
  });
});

describe('the scheduler removes files never sent', () => {
  const BIN = process.env.OTKLIK_BIN;
  const tick = (env = {}) => execFileSync(`${BIN}/otklikctl`, ['tick'], { env: { ...process.env, ...env } });
  const exists = (id) => sql(`SELECT count(*) FROM attachments WHERE id = ${id}`)[0][0] === '1';
  const age = (id, interval) => sql(`UPDATE attachments SET created_at = created_at - interval '${interval}' WHERE id = ${id}`);

  test('a 2-day-old unattached file goes; attached, fresh and day-old ones stay', async () => {
    const a = citizen('tick');
    const stale = await uploaded(a);
    const sent = await uploaded(a);
    await send(a, [sent]);
    const dayOld = await uploaded(a);
    const fresh = await uploaded(a);
    age(stale, '2 days'); age(sent, '2 days'); age(dayOld, '23 hours');
    tick();
    assert.equal(exists(stale), false);
    assert.ok(exists(sent) && exists(dayOld) && exists(fresh));
    assert.deepEqual(unattached(a), [2, 2 * PNG.length]);
    // a message cannot take a removed file
    const late = await api('POST', '/api/v1/messages', { auth: a.token,
      body: { rubric_id: rubricId(), text: cleanText(), attachment_ids: [stale] } });
    assertProblem(late, 422);
    // two hours later the day-old one is past the day too
    tick({ OTKLIK_CLOCK_OFFSET_SECONDS: String(2 * 3600) });
    assert.equal(exists(dayOld), false);
    assert.ok(exists(sent) && exists(fresh));
  });

  test('a file a message is taking while the scheduler runs is kept', async () => {
    const a = citizen('race');
    const file = await uploaded(a);
    const message = await send(a);
    age(file, '2 days');
    // a transaction attaches the file and holds it uncommitted...
    const psql = spawn('/usr/lib/postgresql/15/bin/psql',
      [process.env.OTKLIK_DATABASE_URL, '-XAtq', '-v', 'ON_ERROR_STOP=1'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const attached = new Promise((resolve) => psql.stdout.once('data', resolve));
    const psqlDone = new Promise((resolve) => psql.on('exit', resolve));
    psql.stdin.write(`BEGIN;\nUPDATE attachments SET message_id = ${message} WHERE id = ${file} RETURNING id;\n`);
    await attached;
    // ...while the scheduler runs: it skips the file or waits for it
    const scheduler = spawn(`${BIN}/otklikctl`, ['tick'], { stdio: 'ignore' });
    let tickDone = false;
    const tickExit = new Promise((resolve) => scheduler.on('exit', (code) => { tickDone = true; resolve(code); }));
    const waiting = () => sql(`SELECT count(*) FROM pg_stat_activity
      WHERE application_name = 'otklikctl' AND wait_event_type = 'Lock'`)[0][0] !== '0';
    for (let i = 0; i < 200 && !tickDone && !waiting(); i++) await sleep(50);
    psql.stdin.end('COMMIT;\n');
    assert.equal(await psqlDone, 0);
    assert.equal(await tickExit, 0);
    assert.deepEqual(sql(`SELECT message_id FROM attachments WHERE id = ${file}`), [[String(message)]]);
  });
});
