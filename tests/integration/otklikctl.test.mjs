// otklikctl.test.mjs - the operator's commands against the test stack's database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { api, sql } from './helpers.mjs';

const ctl = (...args) => spawnSync(`${process.env.OTKLIK_BIN}/otklikctl`, args, { encoding: 'utf8' });
const counts = () => sql(`SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM rubrics),
  (SELECT count(*) FROM organisations), (SELECT count(*) FROM staff_roles),
  (SELECT count(*) FROM schema_migrations)`)[0];

test('migrate and seed-demo can run again and change nothing', () => {
  const before = counts();
  const migrate = ctl('migrate');
  assert.equal(migrate.status, 0, migrate.stderr);
  assert.doesNotMatch(migrate.stdout, /applied/);
  assert.equal(ctl('seed-demo').status, 0);
  assert.deepEqual(counts(), before);
});

test('the demo data is the SPEC\'s', () => {
  assert.deepEqual(sql('SELECT code FROM organisations ORDER BY code').flat(),
    ['demo-admin', 'demo-cur', 'demo-health', 'demo-roads']);
  const roles = sql(`SELECT u.esia_oid, o.code, s.role FROM staff_roles s JOIN users u ON u.id = s.user_id
    JOIN organisations o ON o.id = s.organisation_id ORDER BY 1`);
  assert.deepEqual(roles, [
    ['admin1', 'demo-admin', 'admin'], ['callcenter1', 'demo-cur', 'intake_operator'],
    ['coordinator1', 'demo-admin', 'coordinator'],
    ['curator1', 'demo-admin', 'curator'], ['executor1', 'demo-admin', 'executor'],
    ['executor2', 'demo-roads', 'executor'], ['manager1', 'demo-admin', 'manager'],
    ['manager2', 'demo-roads', 'manager'], ['moderator1', 'demo-cur', 'moderator']]);
  assert.deepEqual(sql("SELECT t.code, t.name FROM territories t WHERE parent_id IS NULL"), [['99', 'Демо-область']]);
  assert.deepEqual(sql("SELECT count(*) FROM users WHERE esia_oid LIKE 'citizen%'"), [['3']]);
  assert.deepEqual(sql("SELECT allowed_origins FROM widgets WHERE key = 'demo-widget'"), [['{http://127.0.0.1:8081}']]);
  const days = new Set(sql('SELECT deadline_days FROM rubrics').flat());
  assert.deepEqual([...days].sort(), ['10', '30']);
});

test('token prints a bearer token the workers accept; unknown users get none', async () => {
  const out = ctl('token', '--esia-oid', 'citizen2');
  assert.equal(out.status, 0);
  const token = out.stdout.trim();
  assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const res = await api('POST', '/api/v1/attachments', { auth: token, raw: Buffer.from('%PDF-1.4 x'), headers: { 'content-type': 'application/pdf' } });
  assert.equal(res.status, 201);
  const none = ctl('token', '--esia-oid', 'nobody');
  assert.notEqual(none.status, 0);
  assert.equal(none.stdout, '');
  const expired = ctl('token', '--esia-oid', 'citizen2', '--ttl', '0');
  assert.notEqual(expired.status, 0);
});

test('grant and revoke a role', () => {
  const held = () => sql(`SELECT count(*) FROM staff_roles s JOIN users u ON u.id = s.user_id
    JOIN organisations o ON o.id = s.organisation_id
    WHERE u.esia_oid = 'executor2' AND o.code = 'demo-health' AND s.role = 'curator'`)[0][0];
  assert.equal(ctl('grant', '--esia-oid', 'executor2', '--org', 'demo-health', '--role', 'curator').status, 0);
  assert.equal(held(), '1');
  assert.equal(ctl('grant', '--esia-oid', 'executor2', '--org', 'demo-health', '--role', 'curator', '--revoke').status, 0);
  assert.equal(held(), '0');
  assert.notEqual(ctl('grant', '--esia-oid', 'executor2', '--org', 'demo-health', '--role', 'emperor').status, 0);
  assert.notEqual(ctl('grant', '--esia-oid', 'nobody', '--org', 'demo-health', '--role', 'curator').status, 0);
  assert.notEqual(ctl('grant', '--esia-oid', 'executor2', '--org', 'no-org', '--role', 'curator').status, 0);
  assert.equal(ctl('frobnicate').status, 2);
});
