// faults.test.mjs - what happens when a worker dies or PostgreSQL goes away:
// nothing acknowledged is lost, the supervisor restarts the dead, and the
// workers come back by themselves.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { api, assertProblem, cleanText, rubricId, sql, sleep } from './helpers.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const supervisor = () => Number(readFileSync(`${process.env.OTKLIK_VAR}/run/widget.pid`));
const workers = () => {
  try {
    return execFileSync('pgrep', ['-P', String(supervisor())]).toString().trim().split('\n').map(Number);
  } catch { return []; }
};
const stack = (command) => execFileSync(`${ROOT}scripts/stack.sh`, [command], { stdio: 'ignore' });

/** Sends messages from `parallel` loops until stop() is called; collects every answer. */
function stream(parallel, tag) {
  let running = true;
  let serial = 0;
  const answers = [];
  const loops = Array.from({ length: parallel }, async () => {
    while (running) {
      const key = `${tag}-${serial++}`;
      const body = { rubric_id: rubricId(), text: cleanText() };
      try {
        const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body, headers: { 'idempotency-key': key } });
        answers.push({ key, body, status: res.status, id: res.body?.id, res });
      } catch (error) {
        answers.push({ key, body, status: 0, error });
      }
    }
  });
  return { answers, stop: async () => { running = false; await Promise.all(loops); return answers; } };
}

describe('faults', () => {
  test('kill -9 of a worker: it is back within a second and every 201 is stored', async () => {
    const expected = workers().length;
    assert.ok(expected >= 2, `expected several worker processes, got ${expected}`);
    const s = stream(8, `kill9-${Date.now()}`);
    await sleep(700);
    const victim = workers()[0];
    process.kill(victim, 'SIGKILL');
    const killedAt = Date.now();
    let back = false;
    while (Date.now() - killedAt < 1000) {
      const now = workers();
      if (now.length === expected && !now.includes(victim)) { back = true; break; }
      await sleep(20);
    }
    assert.ok(back, `worker not replaced within a second: ${workers()}`);
    await sleep(700);
    const answers = await s.stop();
    const created = answers.filter((a) => a.status === 201);
    assert.ok(created.length > 20, `too few messages got through: ${created.length}`);
    // the only other answer allowed is a clean 503 for the requests the dead process held
    for (const a of answers.filter((x) => x.status !== 201)) assertProblem(a.res, 503);
    const ids = created.map((a) => a.id).join(',');
    const [[stored]] = sql(`SELECT count(*) FROM messages WHERE id IN (${ids})`);
    assert.equal(Number(stored), created.length);
    // a client retrying the unanswered ones with their keys gets one message each
    for (const a of answers.filter((x) => x.status !== 201)) {
      const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: a.body, headers: { 'idempotency-key': a.key } });
      assert.equal(res.status, 201, res.text);
    }
    const keys = answers.map((a) => `'${a.key}'`).join(',');
    const [[distinct]] = sql(`SELECT count(*) FROM messages WHERE idempotency_key IN (${keys})`);
    assert.equal(Number(distinct), answers.length);
  });

  test('SIGTERM to a worker: requests in flight are answered, none fails', async () => {
    const expected = workers().length;
    const s = stream(8, `term-${Date.now()}`);
    await sleep(500);
    const victim = workers()[0];
    process.kill(victim, 'SIGTERM');
    await sleep(1000);
    const answers = await s.stop();
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [201]);
    // it serves its kept connections until nginx closes them (a second), then
    // exits, and the supervisor starts another
    const deadline = Date.now() + 6000;
    while ((workers().length !== expected || workers().includes(victim)) && Date.now() < deadline) await sleep(20);
    assert.ok(!workers().includes(victim), 'the stopped worker is still running');
    assert.equal(workers().length, expected);
  });

  test('PostgreSQL stopped: 503 with Retry-After; back by itself once it returns', async () => {
    const before = workers();
    stack('pg-stop');
    try {
      const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: 1, text: cleanText() } });
      assertProblem(res, 503);
      assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
      const health = await api('GET', '/healthz');
      assertProblem(health, 503);
      assert.ok(health.headers.get('retry-after'));
      const widget = await api('GET', '/api/v1/widgets/demo-widget');
      assertProblem(widget, 503);
      assertProblem(await api('GET', '/api/v1/my/messages', { auth: 'citizen1' }), 503);
    } finally {
      stack('pg-start');
    }
    // every thread finds its connection broken and reconnects on its own
    for (let i = 0; i < 20; i++) {
      const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText() } });
      assert.equal(res.status, 201, res.text);
      const list = await api('GET', '/api/v1/my/messages', { auth: 'citizen1' });
      assert.equal(list.status, 200, list.text);
    }
    assert.equal((await api('GET', '/healthz')).status, 200);
    assert.deepEqual(workers(), before, 'workers were restarted instead of reconnecting');
  });
});

describe('rate limits', () => {
  test('intake over the per-client rate answers 429 with Retry-After and writes nothing extra', async () => {
    const reload = (rate, burst) => execFileSync(`${ROOT}scripts/stack.sh`, ['nginx-reload'], {
      stdio: 'ignore', env: { ...process.env, OTKLIK_INTAKE_RATE: rate, OTKLIK_INTAKE_BURST: burst } });
    reload('1r/s', '2');
    await sleep(300); // the reloaded nginx workers take over
    try {
      const before = Number(sql('SELECT count(*) FROM messages')[0][0]);
      const answers = await Promise.all(Array.from({ length: 20 }, () =>
        api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubricId(), text: cleanText() } })));
      const limited = answers.filter((a) => a.status === 429);
      const created = answers.filter((a) => a.status === 201);
      assert.ok(limited.length >= 15, `only ${limited.length} of 20 limited`);
      for (const a of limited) {
        assertProblem(a, 429);
        assert.equal(a.headers.get('retry-after'), '1');
      }
      assert.equal(Number(sql('SELECT count(*) FROM messages')[0][0]) - before, created.length);
      // reading is not limited
      assert.equal((await api('GET', '/api/v1/rubrics')).status, 200);
    } finally {
      reload(process.env.OTKLIK_INTAKE_RATE, process.env.OTKLIK_INTAKE_BURST);
      await sleep(300);
    }
  });
});
