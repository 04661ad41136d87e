// metrics.test.mjs - GET /metrics (core/ok_metrics.h): Prometheus' text format
// as promtool checks it, one scrape covering every worker and the notifier,
// counters shared by a worker's processes, and refused outside the allowed
// networks. Also every program's --version and /healthz's version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { api } from './helpers.mjs';

const WORKERS = ['widget', 'esia', 'cabinet', 'voting'];

async function scrape(headers = {}) {
  const res = await api('GET', '/metrics', { headers });
  assert.equal(res.status, 200, res.text);
  return res;
}

/** The value of one sample, by name and exact labels; undefined if absent. */
function sample(text, name, labels = {}) {
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)]
      .map((l) => [l[1], l[2]]));
    if (Object.keys(labels).length === Object.keys(found).length &&
        Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

test('GET /metrics is in the text format 0.0.4 that promtool accepts', async () => {
  const res = await scrape();
  assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
  const check = spawnSync('promtool', ['check', 'metrics'], { input: res.text, encoding: 'utf8' });
  assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
  for (const family of ['otklik_http_requests_total', 'otklik_http_request_duration_seconds',
    'otklik_http_requests_in_flight', 'otklik_db_reconnects_total', 'otklik_db_errors_total',
    'otklik_db_transaction_retries_total', 'otklik_outbox_depth', 'otklik_outbox_oldest_age_seconds',
    'otklik_notifications_delivered_total', 'otklik_notifications_failed_total',
    'otklik_ballots_cast_total', 'process_resident_memory_bytes', 'process_open_fds',
    'process_cpu_seconds_total', 'process_start_time_seconds']) {
    assert.match(res.text, new RegExp(`^# HELP ${family} .+\\n# TYPE ${family} \\w+$`, 'm'), family);
  }
});

test('one scrape covers every worker and the notifier, with their processes from /proc', async () => {
  const { text } = await scrape();
  for (const worker of [...WORKERS, 'notifier']) {
    const processes = sample(text, 'otklik_worker_processes', { worker });
    assert.equal(processes, worker === 'notifier' ? 1 : Number(process.env.OTKLIK_PROCESSES ?? 2), worker);
    assert.ok(sample(text, 'process_resident_memory_bytes', { worker }) > 1e6, worker);
    assert.ok(sample(text, 'process_open_fds', { worker }) >= 3, worker);
    const started = sample(text, 'process_start_time_seconds', { worker });
    assert.ok(started > Date.now() / 1000 - 3600 && started <= Date.now() / 1000 + 1, worker);
  }
  assert.ok(sample(text, 'otklik_outbox_depth') >= 0);
  assert.ok(sample(text, 'otklik_outbox_oldest_age_seconds') >= 0);
});

test('request counters and histograms move, counted by all processes of a worker together', async () => {
  const labels = { worker: 'widget', method: 'GET', route: '/api/v1/rubrics' };
  const before = await scrape();
  const n = 24;
  for (let i = 0; i < n; i++) assert.equal((await api('GET', '/api/v1/rubrics')).status, 200);
  assert.equal((await api('GET', '/api/v1/me')).status, 401);
  // each scrape reaches one of the two processes: both must see every request
  for (let i = 0; i < 4; i++) {
    const after = await scrape();
    const moved = (name, extra = {}) => sample(after.text, name, { ...labels, ...extra }) -
      (sample(before.text, name, { ...labels, ...extra }) ?? 0);
    assert.ok(moved('otklik_http_requests_total', { status: '200' }) >= n);
    assert.ok(moved('otklik_http_request_duration_seconds_count') >= n);
    assert.ok(moved('otklik_http_request_duration_seconds_bucket', { le: '+Inf' }) >= n);
    assert.ok(sample(after.text, 'otklik_http_requests_total',
      { worker: 'esia', method: 'GET', route: '/api/v1/me', status: '401' }) >= 1);
    // the scrape itself is in flight while it renders
    assert.ok(sample(after.text, 'otklik_http_requests_in_flight', { worker: 'widget' }) >= 1);
  }
});

test('GET /metrics is refused to an address outside OTKLIK_METRICS_ALLOW', async () => {
  // a proxy on this machine relaying a request from elsewhere says so
  const relayed = await api('GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.7' } });
  assert.equal(relayed.status, 403);
  assert.doesNotMatch(relayed.text, /otklik_/);
  const local = await api('GET', '/metrics', { headers: { 'x-forwarded-for': '127.0.0.1' } });
  assert.equal(local.status, 200);
});

test('every program answers --version with the build\'s git describe, as /healthz does', async () => {
  const health = await api('GET', '/healthz');
  assert.equal(health.status, 200);
  const version = health.body.version;
  // git describe --always --dirty: [tag-N-g]<commit>[-dirty] (a commit of this
  // repository), or a tag alone
  const commit = version.match(/(?:^|-g)([0-9a-f]{7,40})(?:-dirty)?$/)?.[1];
  assert.match(version, /^\S+$/);
  if (commit) execFileSync('git', ['cat-file', '-e', `${commit}^{commit}`]);
  for (const program of [...WORKERS.map((w) => `otklik-${w}`), 'otklikctl', 'otklik-notifier']) {
    const run = spawnSync(`${process.env.OTKLIK_BIN}/${program}`, ['--version'], { encoding: 'utf8' });
    assert.equal(run.status, 0, program);
    assert.equal(run.stdout, `${program} ${version}\n`);
  }
  const { text } = await scrape();
  assert.equal(sample(text, 'otklik_build_info', { version }), 1);
});

test('GET /api/v1/openapi.json serves docs/openapi.yaml as JSON, to anyone', async () => {
  const res = await api('GET', '/api/v1/openapi.json', { headers: { origin: 'https://elsewhere.example' } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.equal(res.body.openapi, '3.1.0');
  assert.ok(res.body.paths['/api/v1/messages'].post);
  assert.ok(res.body.paths['/metrics'].get);
});
