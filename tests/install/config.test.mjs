// config.test.mjs - the one configuration reader (core/ok_config.c) as an
// operator meets it: `otklikctl config check` prints the effective
// configuration with secrets masked, and a bad value stops every program
// with a message naming the variable instead of being clamped. Needs `make all`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = new URL('../../bin/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'otklik-config.'));
const key = join(dir, 'token.key');
writeFileSync(key, 'k'.repeat(48), { mode: 0o600 });
test.after(() => rmSync(dir, { recursive: true, force: true }));

function run(program, args, env) {
  return spawnSync(BIN + program, args, {
    encoding: 'utf8', timeout: 10000,
    env: { PATH: process.env.PATH, OTKLIK_TOKEN_KEY_FILE: key, ...env },
  });
}

test('config check prints every variable, where its value comes from, secrets masked', () => {
  const r = run('otklikctl', ['config', 'check'], {
    OTKLIK_DATABASE_URL: 'postgresql://otklik:hunter2-db@db.example.org:5433/otklik',
    OTKLIK_WEBHOOK_SECRET: 'hunter2-hook',
    OTKLIK_ESIA_CLIENT_SECRET: 'hunter2-esia',
    OTKLIK_THREADS: '8',
    OTKLIK_PUBLIC_ORIGIN: 'https://otklik.example.org',
    OTKLIK_THREAD: '16',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /hunter2/, 'no secret printed');
  assert.match(r.stdout, /^OTKLIK_DATABASE_URL=.*password=\*{8}.*host=db\.example\.org.* {2}# environment$/m);
  assert.match(r.stdout, /^OTKLIK_WEBHOOK_SECRET=\*{8} {2}# environment$/m);
  assert.match(r.stdout, /^OTKLIK_ESIA_CLIENT_SECRET=\*{8} {2}# environment$/m);
  assert.match(r.stdout, /^OTKLIK_THREADS=8 {2}# environment$/m);
  assert.match(r.stdout, /^OTKLIK_MAX_JSON_BYTES=262144 {2}# default$/m);
  assert.match(r.stdout, /^OTKLIK_ESIA_REDIRECT_URI=https:\/\/otklik\.example\.org\/auth\/esia\/callback {2}# default$/m);
  assert.match(r.stdout, /^OTKLIK_WEBHOOK_URL= {2}# unset$/m);
  assert.match(r.stdout, /^# not read by the programs: OTKLIK_THREAD$/m, 'a misspelt name shown');
  assert.match(r.stdout, /^# the configuration is valid$/m);
});

test('a bad value is refused with its name, by config check and by every program', () => {
  const bad = {
    OTKLIK_THREADS: '1000',
    OTKLIK_PUBLIC_ORIGIN: 'https://otklik.example.org/',
    OTKLIK_LOG_LEVEL: 'loud',
    OTKLIK_WEBHOOK_URL: 'ftp://example.org/hook',
    OTKLIK_DATABASE_URL: 'host=/run/postgresql dbname',
  };
  const r = run('otklikctl', ['config', 'check'], bad);
  assert.equal(r.status, 1);
  assert.doesNotMatch(r.stdout, /is valid/);
  for (const name of Object.keys(bad)) assert.match(r.stderr, new RegExp(`"bad configuration".*${name} `), name);
  assert.match(r.stderr, /OTKLIK_THREADS must be an integer in \[1, 256\]/);
  // a worker, the notifier and otklikctl's other commands stop at start
  for (const [program, args] of [['otklik-widget', []], ['otklik-notifier', []], ['otklikctl', ['migrate']]]) {
    const p = run(program, args, { OTKLIK_LISTEN: join(dir, 'w.sock'), OTKLIK_WEBHOOK_URL: 'http://127.0.0.1:9/', OTKLIK_THREADS: '0' });
    assert.equal(p.status, 1, program);
    assert.match(p.stderr, /OTKLIK_THREADS must be an integer in \[1, 256\]/, program);
  }
});

test('config check refuses a token key too short to sign with', () => {
  const short = join(dir, 'short.key');
  writeFileSync(short, 'short', { mode: 0o600 });
  const r = run('otklikctl', ['config', 'check'], { OTKLIK_TOKEN_KEY_FILE: short });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /OTKLIK_TOKEN_KEY_FILE must hold at least 32 bytes/);
});
