// failover.test.mjs - the multi-host deployment (scripts/cluster.sh) under a
// steady load of message sends (each with its Idempotency-Key) and ballots
// through the load balancer, while its parts fail: (a) the PostgreSQL primary
// is killed (-9), (b) the primary is cut off the network, (c) a worker host is
// killed, (d) everything comes back. After each: every message and ballot that
// got a 201 is stored, no message twice, no citizen with two ballots, and the
// old primary rejoins as a standby. Prints the pause and the failed requests
// of each case. Run as root by `make test-cluster` (a cluster of its own in
// /tmp/otklik-cluster.*); every wait is bounded.
import { describe, test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';

const ROOT = new URL('../..', import.meta.url).pathname;
const PSQL = '/usr/lib/postgresql/15/bin/psql';
const STATE = mkdtempSync('/tmp/otklik-cluster.');
chmodSync(STATE, 0o755);
const RUN = randomBytes(4).toString('hex');
const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let env = {};

function cluster(...args) {
  return execFileSync(`${ROOT}scripts/cluster.sh`, args, {
    env: { ...process.env, OTKLIK_CLUSTER_DIR: STATE }, timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

/** The variables `cluster.sh env` prints, read by bash itself. */
function clusterEnv() {
  const out = execFileSync('bash', ['-c', `eval "$(${ROOT}scripts/cluster.sh env)" && env -0`], {
    env: { ...process.env, OTKLIK_CLUSTER_DIR: STATE },
  }).toString();
  return Object.fromEntries(out.split('\0').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

/** SQL on the primary (libpq picks it from the two nodes); rows of strings. */
function sql(query) {
  const out = execFileSync(PSQL, [env.OTKLIK_DATABASE_URL, '-XAtq', '-F', '\t', '-c', query],
    { timeout: 60_000, maxBuffer: 1 << 28 });
  return out.toString().split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

/** { pg1: 'primary', pg2: 'secondary' } per the monitor (asked without stopping the load): the
 * state a node reported, when it is also the one assigned to it ('?' while it changes). */
async function states() {
  try {
    const { stdout } = await run(`${ROOT}scripts/cluster.sh`, ['states'],
      { env: { ...process.env, OTKLIK_CLUSTER_DIR: STATE }, timeout: 10_000 });
    return Object.fromEntries(stdout.trim().split('\n').map((l) => l.split(' '))
      .map(([name, reported, goal]) => [name, reported === goal ? reported : '?']));
  } catch { return {}; }
}

async function waitFor(what, seconds, check) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) assert.fail(`${what}: not within ${seconds} s (nodes: ${JSON.stringify(await states())})`);
    await sleep(500);
  }
}

const ns = (name) => `${env.OTKLIK_CLUSTER_PREFIX}-${name}`;
const pids = (name) => execFileSync('ip', ['netns', 'pids', ns(name)]).toString().split('\n').filter(Boolean).map(Number);
const killAll = (name) => { for (const pid of pids(name)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } } };
const link = (name, state) => execFileSync('ip', ['netns', 'exec', ns(name), 'ip', 'link', 'set', 'eth0', state]);

/** Whether node NAME's PostgreSQL takes writes, asked on its own socket (inside its namespace). */
async function takesWrites(name) {
  try {
    const { stdout } = await run('ip', ['netns', 'exec', ns(name), 'runuser', '-u', 'postgres', '--', PSQL,
      '-h', `${STATE}/${name}/sock`, '-p', '5432', '-d', 'postgres', '-XAtqc', 'SELECT pg_is_in_recovery()'],
    { timeout: 5000, cwd: '/' });
    return stdout.trim() === 'f';
  } catch { return false; }
}

// ---- citizens with live sessions, their tokens signed like the server's (bench/tokens.mjs)

let voting, projects, rubric, key;
const citizens = [];
function makeCitizens(count) {
  const territory = sql(`SELECT territory_id FROM votings WHERE id = ${voting}`)[0][0];
  const ids = sql(`WITH u AS (INSERT INTO users (esia_oid, name, territory_id)
      SELECT 'ha-${RUN}-' || g, 'Житель ' || g, ${territory} FROM generate_series(1, ${count}) g RETURNING id)
    INSERT INTO sessions (id, user_id, kind, expires_at)
      SELECT md5('ha${RUN}' || id), id, 'operator', otklik_now() + interval '1 day' FROM u RETURNING user_id`).map((r) => r[0]);
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const header = b64({ alg: 'HS256', typ: 'JWT' });
  const now = Math.floor(Date.now() / 1000);
  for (const id of ids) {
    const jti = createHash('md5').update(`ha${RUN}${id}`).digest('hex');
    const body = `${header}.${b64({ iss: 'otklik', sub: id, jti, iat: now, exp: now + 86400 })}`;
    citizens.push({ id, token: `${body}.${createHmac('sha256', key).update(body).digest('base64url')}` });
  }
}

// ---- the load: message senders and voters, through the load balancer

async function call(method, path, token, body, headers = {}) {
  const started = Date.now();
  try {
    const res = await fetch(env.OTKLIK_BASE_URL + path, {
      method, body: JSON.stringify(body), signal: AbortSignal.timeout(45_000),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* nginx's own page */ }
    return { status: res.status, json, replayed: res.headers.get('idempotent-replayed') === 'true', started, ended: Date.now() };
  } catch (error) {
    return { status: 0, error: String(error), started, ended: Date.now() };
  }
}

const acked = { messages: new Map(), ballots: new Set(), votedBefore: new Set() }; // all cases together
let nextVoter = 0;
let serial = 0; // of the Idempotency-Keys: one key, one message, across every load
const MESSAGE_AUTHORS = 60;
const loads = new Set(); // the stop of every load running (a failed test leaves none behind)

/** Runs SENDERS message loops and VOTERS ballot loops until stop(); every answer kept with its times. */
function load(senders = 6, voters = 2) {
  let running = true;
  const stopper = () => { running = false; };
  const answers = [];
  const retry = (a) => a.status === 0 || a.status >= 500 || a.status === 429;
  const sendLoop = async (n) => {
    while (running) {
      const author = citizens[(n * 7 + serial) % MESSAGE_AUTHORS];
      const idem = `${RUN}-${n}-${serial++}`;
      const body = { rubric_id: rubric, text: `Просим разобраться с ямой во дворе, обращение ${idem} проверки отказоустойчивости.` };
      // the same key and body again until a definite answer (bounded): the client of an unknown outcome
      for (let attempt = 0; attempt < 30; attempt++) {
        const a = await call('POST', '/api/v1/messages', author.token, body, { 'idempotency-key': idem });
        answers.push({ kind: 'message', ...a });
        if (a.status === 201) {
          const earlier = acked.messages.get(idem);
          assert.ok(earlier === undefined || earlier.id === a.json.id, `key ${idem} answered two ids`);
          acked.messages.set(idem, { id: a.json.id, text: body.text, author: author.id });
          await sleep(20); // a steady load, not the most the machine takes
          break;
        }
        if (!retry(a)) { answers.at(-1).unexpected = true; break; }
        await sleep(a.status === 429 ? 1000 : 300);
      }
    }
  };
  const voteLoop = async () => {
    while (running && nextVoter < citizens.length - MESSAGE_AUTHORS) {
      const voter = citizens[MESSAGE_AUTHORS + nextVoter++];
      const body = { project_ids: [projects[voter.id % projects.length]] };
      let unknown = false;
      for (let attempt = 0; attempt < 30; attempt++) {
        const a = await call('POST', `/api/v1/votings/${voting}/ballots`, voter.token, body);
        answers.push({ kind: 'ballot', ...a });
        if (a.status === 201) { acked.ballots.add(voter.id); break; }
        // the ballot's primary key decides a retry whose first attempt's outcome was unknown
        if (a.status === 409 && unknown) { acked.votedBefore.add(voter.id); break; }
        if (!retry(a)) { answers.at(-1).unexpected = true; break; }
        unknown = true;
        await sleep(300);
      }
      await sleep(100);
    }
  };
  loads.add(stopper);
  const loops = [...Array.from({ length: senders }, (_, n) => sendLoop(n)), ...Array.from({ length: voters }, voteLoop)];
  return { answers, stop: async () => { running = false; loads.delete(stopper); await Promise.all(loops); return answers; } };
}

/** The longest time without a stored write around the fault at `at`, and the failed requests. */
function figures(answers, at) {
  const oks = answers.filter((a) => a.status === 201).map((a) => a.ended).sort((x, y) => x - y);
  const before = oks.filter((t) => t <= at).at(-1) ?? at;
  const after = oks.find((t) => t > at && answers.some((a) => a.status === 201 && a.ended === t && a.started > at));
  const failed = answers.filter((a) => a.status !== 201 && a.status !== 409 && a.status !== 429);
  return {
    pause_ms: after ? after - before : null,
    requests: answers.length,
    created: oks.length,
    failed: failed.length,
    failed_5xx: failed.filter((a) => a.status >= 500).length,
    failed_network: failed.filter((a) => a.status === 0).length,
    // retries after an unknown outcome that found the first attempt stored
    replayed: answers.filter((a) => a.replayed).length,
    unexpected: answers.filter((a) => a.unexpected).map((a) => `${a.kind} ${a.status} ${JSON.stringify(a.json ?? a.error)}`),
  };
}

/** Every acknowledged message and ballot is stored, once; no citizen voted twice. */
function checkStored() {
  const keys = [...acked.messages.keys()];
  const stored = new Map(sql(`SELECT idempotency_key, id FROM messages WHERE idempotency_key LIKE '${RUN}-%'`)
    .map(([k, id]) => [k, Number(id)]));
  const lost = keys.filter((k) => stored.get(k) !== acked.messages.get(k).id);
  assert.deepEqual(lost, [], 'messages answered 201 but not stored (or stored under another id)');
  const twice = sql(`SELECT text, count(*) FROM messages WHERE text LIKE '%обращение ${RUN}-%' GROUP BY text HAVING count(*) > 1`);
  assert.deepEqual(twice, [], 'a message stored twice');
  const voted = new Set(sql(`SELECT user_id FROM ballots WHERE voting_id = ${voting} AND user_id IN
    (SELECT id FROM users WHERE esia_oid LIKE 'ha-${RUN}-%')`).map((r) => r[0]));
  const lostBallots = [...acked.ballots, ...acked.votedBefore].filter((id) => !voted.has(id));
  assert.deepEqual(lostBallots, [], 'ballots answered 201 (or 409 on a retry) but not stored');
  const double = sql(`SELECT user_id FROM ballots WHERE voting_id = ${voting} GROUP BY user_id HAVING count(*) > 1`);
  assert.deepEqual(double, [], 'a citizen with two ballots');
  return { messages: keys.length, ballots: acked.ballots.size + acked.votedBefore.size };
}

const primaryName = async () => Object.entries(await states()).find(([, s]) => s === 'primary' || s === 'wait_primary')?.[0];
const other = (name) => (name === 'pg1' ? 'pg2' : 'pg1');
const report = {};
function print(name, figs, t) {
  report[name] = figs;
  const line = `${name}: pause ${figs.pause_ms} ms, ${figs.requests} requests, ${figs.created} created, ` +
    `${figs.failed} failed (${figs.failed_5xx} 5xx, ${figs.failed_network} without answer), ` +
    `${figs.replayed} retries answered with the message stored before`;
  t.diagnostic(line);
  console.log(`cluster: ${line}`);
}

/** Both data nodes up again: one primary, one secondary. */
async function healthy(seconds = 120) {
  await waitFor('a primary and a synchronous standby', seconds, async () => {
    const s = Object.values(await states()).sort().join(' ');
    return s === 'primary secondary';
  });
}

describe('the cluster under failures', { timeout: 900_000 }, () => {
  before(() => {
    cluster('start');
    env = clusterEnv();
    key = readFileSync(env.OTKLIK_TOKEN_KEY_FILE, 'utf8').trim();
    [voting] = sql("SELECT id FROM votings WHERE title = 'Народный бюджет г. Демоград'")[0];
    projects = sql(`SELECT id FROM voting_projects WHERE voting_id = ${voting} ORDER BY id`).map((r) => Number(r[0]));
    rubric = Number(sql("SELECT id FROM rubrics WHERE code = 'roads-potholes'")[0][0]);
    makeCitizens(4000);
  });

  beforeEach(() => { for (const stop of loads) stop(); }); // a failed case's load
  after(() => {
    for (const stop of loads) stop();
    try { cluster('stop'); } finally { rmSync(STATE, { recursive: true, force: true }); }
    console.log(`cluster: figures ${JSON.stringify(report)}`);
  });

  test('(a) the primary\'s PostgreSQL killed (-9): the standby takes over, nothing acknowledged is lost', async (t) => {
    await healthy(60);
    const victim = await primaryName();
    const l = load();
    await sleep(3000);
    const at = Date.now();
    const postmaster = Number(readFileSync(`${STATE}/${victim}/data/postmaster.pid`, 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    await waitFor('the standby promoted', 60, async () => (await primaryName()) === other(victim));
    await sleep(5000);
    const figs = figures(await l.stop(), at);
    print('kill -9 postgres', figs, t);
    assert.deepEqual(figs.unexpected, []);
    assert.ok(figs.pause_ms !== null && figs.pause_ms < 45_000, `writes resumed after ${figs.pause_ms} ms`);
    checkStored();
    // (d) its keeper brings the old primary back as the standby of the new one
    await healthy();
    assert.equal((await states())[victim], 'secondary');
    checkStored();
  });

  test('(a) the primary\'s machine dies (keeper and PostgreSQL killed -9): the same', async (t) => {
    await healthy(60);
    const victim = await primaryName();
    const l = load();
    await sleep(3000);
    const at = Date.now();
    killAll(victim);
    await waitFor('the standby promoted', 90, async () => (await primaryName()) === other(victim));
    await sleep(5000);
    const figs = figures(await l.stop(), at);
    print('primary node killed', figs, t);
    assert.deepEqual(figs.unexpected, []);
    assert.ok(figs.pause_ms !== null && figs.pause_ms < 60_000, `writes resumed after ${figs.pause_ms} ms`);
    checkStored();
    // (d) started again, it rewinds and rejoins as the standby
    cluster('node-start', victim);
    await healthy();
    assert.equal((await states())[victim], 'secondary');
    checkStored();
  });

  test('(b) the primary cut off the network: one primary only, nothing acknowledged is lost', async (t) => {
    await healthy(60);
    const victim = await primaryName();
    const l = load();
    await sleep(3000);
    const at = Date.now();
    link(victim, 'down');
    try {
      await waitFor('the standby promoted', 90, async () => (await primaryName()) === other(victim));
      // the isolated node stops taking writes by itself (pg_autoctl's
      // network_partition_timeout): no second primary
      await waitFor('the isolated primary demoted', 60, async () => !(await takesWrites(victim)));
      await sleep(3000);
    } finally {
      link(victim, 'up');
    }
    const figs = figures(await l.stop(), at);
    print('primary cut off', figs, t);
    assert.deepEqual(figs.unexpected, []);
    assert.ok(figs.pause_ms !== null && figs.pause_ms < 75_000, `writes resumed after ${figs.pause_ms} ms`);
    checkStored();
    await healthy();
    assert.equal((await states())[victim], 'secondary');
    assert.equal(await takesWrites(victim), false);
    checkStored();
  });

  test('(c) worker host A killed: the load balancer sends everything to B', async (t) => {
    const l = load();
    await sleep(3000);
    const at = Date.now();
    killAll('web-a'); // its nginx, supervisors and workers
    await sleep(8000);
    const figs = figures(await l.stop(), at);
    print('worker host killed', figs, t);
    assert.deepEqual(figs.unexpected, []);
    // only the requests in flight on A when it died (one per loop at most)
    assert.ok(figs.failed <= 8, `${figs.failed} failed requests`);
    checkStored();
    cluster('host-start', 'a');
    const healthz = await fetch(`http://${env.OTKLIK_CLUSTER_ADDR_web_a}/healthz`);
    assert.equal(healthz.status, 200);
  });

  test('(d) everything back: both hosts serve, both nodes replicate', async () => {
    await healthy();
    const logFile = `${STATE}/lb/log/access.log`;
    const logStart = readFileSync(logFile, 'utf8').length;
    await sleep(5000); // host A's fail_timeout is over
    const l = load(4, 1);
    await sleep(3000);
    const figs = figures(await l.stop(), Date.now());
    assert.equal(figs.failed, 0);
    const counts = checkStored();
    assert.ok(counts.messages > 50 && counts.ballots > 20, JSON.stringify(counts));
    await sleep(1500); // the access log's buffer
    const log = readFileSync(logFile, 'utf8').slice(logStart);
    for (const host of [env.OTKLIK_CLUSTER_ADDR_web_a, env.OTKLIK_CLUSTER_ADDR_web_b]) {
      assert.ok(log.includes(`upstream=${host}:80:201`), `no write served by ${host}`);
    }
  });
});
