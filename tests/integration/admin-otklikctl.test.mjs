// admin-otklikctl.test.mjs - otklikctl's setting-up commands (tools/otklikctl/
// setup.c): a person who never logged in gets a token and a role; a
// territory, an organisation, a rubric and a widget from a script, usable at
// once through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { BASE, api, sql } from './helpers.mjs';
import { tag } from './admin-fixtures.mjs';

const ctl = (...args) => spawnSync(`${process.env.OTKLIK_BIN}/otklikctl`, args,
  { encoding: 'utf8', env: { ...process.env, OTKLIK_PUBLIC_ORIGIN: BASE } });

test('user create, then token and grant serve a person who has not logged in', async () => {
  const oid = `adm-ctl-${tag()}`; // adm-: not a demo person (otklikctl.test.mjs)
  let out = ctl('user', 'create', '--esia-oid', oid, '--name', 'Скриптов Сергей', '--territory', '99-demograd');
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, new RegExp(`created user ${oid}`));
  assert.match(ctl('user', 'create', '--esia-oid', oid, '--name', 'Другое имя').stdout, /exists/);
  assert.equal(ctl('grant', '--esia-oid', oid, '--org', 'demo-cur', '--role', 'operator').status, 0);
  const token = ctl('token', '--esia-oid', oid).stdout.trim();
  const me = await api('GET', '/api/v1/me', { auth: token });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.name, 'Скриптов Сергей');
  assert.equal((await api('GET', '/api/v1/territories', { auth: token })).status, 200);
});

test('territory, org, rubric and widget create; bad values are refused with exit 1', async () => {
  const t = tag();
  const boundary = JSON.stringify({ type: 'Polygon', coordinates: [[[37.5, 55.7], [37.6, 55.7], [37.6, 55.8], [37.5, 55.7]]] });
  let out = ctl('territory', 'create', '--code', `ctl-${t}`, '--name', 'Скриптовый посёлок', '--kind', 'settlement', '--parent', '99-demograd', '--boundary', boundary);
  assert.equal(out.status, 0, out.stderr);
  out = ctl('org', 'create', '--code', `ctl-org-${t}`, '--name', 'Скриптовая школа', '--territory', `ctl-${t}`, '--kind', 'school');
  assert.equal(out.status, 0, out.stderr);
  const org = await api('GET', `/api/v1/orgs/ctl-org-${t}`, { auth: 'operator1' });
  assert.deepEqual([org.status, org.body.kind, org.body.territory], [200, 'school', `ctl-${t}`]);
  out = ctl('rubric', 'create', '--code', `ctl-r-${t}`, '--title', 'Скриптовая рубрика', '--deadline-days', '10', '--parent', 'roads', '--accelerated');
  assert.equal(out.status, 0, out.stderr);
  assert.equal(sql(`SELECT is_accelerated AND deadline_days = 10 FROM rubrics WHERE code = 'ctl-r-${t}'`)[0][0], 't');
  out = ctl('widget', 'create', '--org', `ctl-org-${t}`, '--origins', 'https://school.example,https://school2.example');
  assert.equal(out.status, 0, out.stderr);
  const key = out.stdout.trim().split(' ').pop();
  const widget = await api('GET', `/api/v1/widgets/${key}`);
  assert.equal(widget.status, 200, widget.text);
  assert.equal(sql(`SELECT allowed_origins FROM widgets WHERE key = '${key}'`)[0][0], '{https://school.example,https://school2.example}');
  // refused: a duplicate code, an unknown parent, a bad kind, missing options
  assert.equal(ctl('org', 'create', '--code', `ctl-org-${t}`, '--name', 'Дубль', '--territory', '99').status, 1);
  assert.equal(ctl('territory', 'create', '--code', `ctl2-${t}`, '--name', 'X', '--kind', 'settlement', '--parent', 'nowhere').status, 1);
  assert.equal(ctl('org', 'create', '--code', `ctl3-${t}`, '--name', 'X', '--territory', '99', '--kind', 'bank').status, 1);
  assert.equal(ctl('rubric', 'create', '--code', `ctl4-${t}`).status, 2);
  assert.equal(sql(`SELECT count(*) FROM organisations WHERE code IN ('ctl3-${t}')`)[0][0], '0');
  // the console's changes are in the audit, without an actor
  assert.equal(sql(`SELECT actor_id IS NULL FROM admin_events WHERE object_kind = 'organisation' AND object_id = 'ctl-org-${t}'`)[0][0], 't');
});

test('org import FILE --as OID: the platform import, as that operator', () => {
  const t = tag();
  const file = `${mkdtempSync('/tmp/otklik-import-')}/orgs.csv`;
  writeFileSync(file, `code,name,kind,territory\nctl-i-${t}-1,Школа 1,school,99\nctl-i-${t}-2,Школа 2,school,99-demograd\n`);
  let out = ctl('org', 'import', file, '--as', 'operator1');
  assert.equal(out.status, 0, out.stderr + out.stdout);
  assert.deepEqual(JSON.parse(out.stdout), { created: 2, updated: 0 });
  assert.equal(sql(`SELECT u.esia_oid FROM admin_events e JOIN users u ON u.id = e.actor_id WHERE e.object_id = 'ctl-i-${t}-1'`)[0][0], 'operator1');
  writeFileSync(file, `code,name,kind,territory\nctl-i-${t}-3,Школа 3,bank,99\n`);
  out = ctl('org', 'import', file, '--as', 'operator1');
  assert.equal(out.status, 1);
  assert.deepEqual(JSON.parse(out.stdout).errors, [{ line: 2, field: 'kind', code: 'invalid' }]);
  assert.equal(ctl('org', 'import', file, '--as', 'citizen1').status, 1);
  assert.equal(ctl('org', 'import', file).status, 2);
});
