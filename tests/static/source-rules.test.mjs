// source-rules.test.mjs - rules of the code base that a compiler does not check
// but the architecture depends on: each concern in its one place in core/, and
// the wrong use of a core mechanism made visible. Runs without a stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../..', import.meta.url).pathname;
const sources = execFileSync('git', ['ls-files', 'core/*.[ch]', 'modules/*.[ch]', 'tools/*.c'], { cwd: ROOT })
  .toString().split('\n').filter((f) => /\.[ch]$/.test(f));
const text = new Map(sources.map((f) => [f, readFileSync(ROOT + f, 'utf8')]));

/** The places (file:line) where pattern occurs outside the allowed files. */
function offenders(pattern, allowed = []) {
  const found = [];
  for (const [file, body] of text) {
    if (allowed.includes(file)) continue;
    body.split('\n').forEach((line, i) => { if (pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`); });
  }
  return found;
}

const rules = [
  ['modules include only core/ (areas meet in core and SQL)', /#include "\.\.\//, []],
  ['a handler sets its status through ok_http_respond or ok_problem, never by hand (a nested call\'s 503 or 404 was overwritten with 201)',
    /req->status\s*=[^=]/, ['core/ok_http.c']],
  ['random bytes come from ok_crypto (RAND_bytes results checked in one place)', /\bRAND_bytes\b/, ['core/ok_crypto.c', 'core/ok_crypto.h']],
  ['hex is written by ok_crypto_hex', /%02x/, ['core/ok_crypto.c']],
  ['outgoing HTTP is set up by ok_curl (protocols, timeouts, no redirects)', /CURLOPT_(PROTOCOLS|FOLLOWLOCATION|TIMEOUT|SSL_VERIFY)/, ['core/ok_curl.c']],
  ['database connections are opened by ok_db_connect', /\bPQconnect(db|dbParams|Start)\b/, ['core/ok_db.c']],
  ['settings are read through ok_config', /\bgetenv\s*\(/, ['core/ok_config.c']],
  ['UUIDs come from ok_crypto_uuid', /0x0F\) \| 0x40/, ['core/ok_crypto.c']],
];
for (const [rule, pattern, allowed] of rules) {
  test(rule, () => assert.deepEqual(offenders(pattern, allowed), []));
}

// ok_db_query and ok_db_query_batch run a statement again after a reconnect:
// only reads may go through them (the connection is read-only there, too).
test('statements run through the retrying read path are reads', () => {
  const sql = new Map();
  for (const [file, body] of text) {
    if (!/statements\.c$|ok_db\.c$/.test(file)) continue;
    const entries = body.split(/\{\s*"(?=\w+",)/).slice(1);
    for (const entry of entries) {
      const name = entry.slice(0, entry.indexOf('"'));
      const rest = entry.slice(entry.indexOf('"') + 1);
      const end = rest.search(/\n\s*\{\s*"\w+",|\};/);
      sql.set(name, (rest.slice(0, end < 0 ? undefined : end).match(/"(?:[^"\\]|\\.)*"/g) ?? []).join(' '));
    }
  }
  const writes = [];
  for (const [file, body] of text) {
    for (const m of body.matchAll(/ok_db_query\(req, "(\w+)"|\{\s*"(\w+)",\s*\d+,\s*\w+/g)) {
      const name = m[1] ?? m[2];
      if (m[2] && !/ok_db_call/.test(body)) continue;
      const statement = sql.get(name);
      if (statement !== undefined && /\b(INSERT|UPDATE|DELETE)\b/i.test(statement)) writes.push(`${file}: ${name}`);
    }
  }
  assert.ok(sql.size > 50, `statement tables not found (${sql.size})`);
  assert.deepEqual(writes, []);
});
