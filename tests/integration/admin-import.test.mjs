// admin-import.test.mjs - POST /api/v1/orgs/import: 10,000 organisations in
// one go (its time printed), a file with three bad rows (nothing written,
// three errors with line numbers), a repeated import (updates, no
// duplicates), the role matrix, malformed files.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, count, sql } from './helpers.mjs';
import { otherRegion, tag } from './admin-fixtures.mjs';

const upload = (auth, csv, type = 'text/csv') => api('POST', '/api/v1/orgs/import', { auth, raw: csv, headers: { 'content-type': type } });
const triples = (res) => res.body.errors.map((e) => `${e.line}:${e.field}:${e.code}`);

let two;
before(async () => { two = await otherRegion(); });

describe('importing organisations', () => {
  test('10,000 rows in one go, then the same file again: updates, no duplicates', async () => {
    const t = tag();
    const kinds = ['school', 'hospital', 'employment_centre', 'management_company', 'other'];
    const lines = ['code,name,kind,territory,is_moderation'];
    for (let i = 0; i < 10000; i++) lines.push(`imp-${t}-${i},"Организация ""№${i}"", г. Демоград",${kinds[i % 5]},${i % 2 ? '99' : '99-demograd'},false`);
    const csv = `${lines.join('\r\n')}\r\n`;
    const before = count('organisations');
    let started = Date.now();
    let res = await upload('operator1', csv);
    const first = Date.now() - started;
    assert.equal(res.status, 200, res.text.slice(0, 500));
    assert.deepEqual(res.body, { created: 10000, updated: 0 });
    console.log(`# import of 10,000 organisations: ${first} ms`);
    assert.equal(count('organisations'), before + 10000);
    assert.equal(sql(`SELECT name || '|' || kind FROM organisations WHERE code = 'imp-${t}-7'`)[0][0], 'Организация "№7", г. Демоград|employment_centre');
    started = Date.now();
    res = await upload('operator1', csv.replace(`"Организация ""№7"", г. Демоград"`, 'Переименованная'));
    console.log(`# the same import again: ${Date.now() - started} ms`);
    assert.equal(res.status, 200, res.text.slice(0, 500));
    assert.deepEqual(res.body, { created: 0, updated: 10000 });
    assert.equal(count('organisations'), before + 10000);
    assert.equal(sql(`SELECT name FROM organisations WHERE code = 'imp-${t}-7'`)[0][0], 'Переименованная');
    // the audit: 10,000 creations and the one real change
    assert.equal(sql(`SELECT count(*) FROM admin_events WHERE object_kind = 'organisation' AND object_id LIKE 'imp-${t}-%'`)[0][0], '10001');
  });

  test('three bad rows: 422 with their line numbers and fields, nothing written', async () => {
    const t = tag();
    const csv = [
      'name,code,territory,kind', // any column order
      `Хорошая,good-${t}-1,99,school`,
      `Плохой код,BAD CODE,99,school`, // line 3
      `Хорошая 2,good-${t}-2,99-demograd,hospital`,
      `Плохой вид,bad-${t}-kind,99,bank`, // line 5
      `Хорошая 3,good-${t}-3,99,other`,
      `Чужая территория,bad-${t}-terr,${two.region},other`, // line 7
    ].join('\n');
    const before = count('organisations');
    const events = count('admin_events');
    const res = await upload('operator1', csv);
    assertProblem(res, 422);
    assert.deepEqual(triples(res), ['3:code:invalid', '5:kind:invalid', '7:territory:unknown']);
    assert.equal(count('organisations'), before);
    assert.equal(count('admin_events'), events);
  });

  test('the header, duplicates within the file and another region organisations', async () => {
    const t = tag();
    assert.deepEqual(triples(await upload('operator1', 'code,name,type\nx-1,X,school\n')),
      ['1:type:unknown_field', '1:kind:required', '1:territory:required']);
    assert.deepEqual(triples(await upload('operator1', `code,name,kind,territory\nd-${t},A,school,99\nd-${t},B,school,99\nd2-${t},C,school\n`)),
      ['3:code:duplicate', '4:row:columns']);
    // an existing organisation of region two cannot be taken over by an import of region 99's operator
    assert.deepEqual(triples(await upload('operator1', `code,name,kind,territory\n${two.org},Захват,other,99\n`)), ['2:code:duplicate']);
    assert.equal(sql(`SELECT name LIKE 'ЦУР другой области%' FROM organisations WHERE code = '${two.org}'`)[0][0], 't');
    assert.deepEqual(triples(await upload('operator1', 'code,name,kind,territory\n')), ['1:file:empty']);
    assert.deepEqual(triples(await upload('operator1', 'code,name,kind,territory\n"x,1,2,3\n')), ['2:file:malformed']);
    assert.deepEqual(triples(await upload('operator1', Buffer.from('code,name,kind,territory\nx-1,\xff\xfe,school,99\n', 'latin1'))), ['2:file:not_text']);
    assertProblem(await upload('operator1', 'code,name\n', 'application/json'), 415);
  });

  test('the role matrix: region two operator imports into its own region; staff, org admin, citizen 403', async () => {
    const t = tag();
    const res = await upload(two.operator, `code,name,kind,territory,is_moderation\nr2-${t},Школа области два,school,${two.region},\n`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { created: 1, updated: 0 });
    for (const who of ['admin1', 'executor1', 'citizen1']) {
      assertProblem(await upload(who, `code,name,kind,territory\nno-${t},X,school,99\n`), 403);
    }
    assert.equal(sql(`SELECT count(*) FROM organisations WHERE code = 'no-${t}'`)[0][0], '0');
  });
});

describe('importing staff', () => {
  const staff = (auth, csv) => api('POST', '/api/v1/admin/staff/import', { auth, raw: csv, headers: { 'content-type': 'text/csv' } });

  test('new people and roles, known people keep their names; again: nothing new', async () => {
    const t = tag();
    const csv = `esia_oid,name,org,role\nadm-imp-${t}-1,Новый Исполнитель,demo-roads,executor\nadm-imp-${t}-1,,demo-roads,coordinator\nexecutor1,Другое Имя,demo-roads,curator\nadm-imp-${t}-2,Оператор Звонков,demo-cur,intake_operator\n`;
    let res = await staff('operator1', csv);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { users_created: 2, roles_granted: 4 });
    assert.equal(sql("SELECT name FROM users WHERE esia_oid = 'executor1'")[0][0], 'Смирнов Дмитрий Андреевич');
    const roles = await api('GET', '/api/v1/orgs/demo-roads/staff', { auth: 'admin2' });
    assert.equal(roles.status, 200, roles.text);
    assert.ok(JSON.stringify(roles.body).includes('Новый Исполнитель'));
    res = await staff('operator1', csv);
    assert.deepEqual(res.body, { users_created: 0, roles_granted: 0 });
    sql("DELETE FROM staff_roles WHERE role = 'curator' AND organisation_id = (SELECT id FROM organisations WHERE code = 'demo-roads') AND user_id = (SELECT id FROM users WHERE esia_oid = 'executor1')");
  });

  test('bad rows: an operator role, an unknown or foreign organisation, a new person without a name; nothing written', async () => {
    const t = tag();
    const before = [count('users'), count('staff_roles')];
    const res = await staff('operator1', [
      'esia_oid,name,org,role',
      `adm-imp-${t}-1,Имя,demo-cur,operator`,
      `adm-imp-${t}-2,Имя,nowhere,executor`,
      `adm-imp-${t}-3,,demo-roads,executor`,
      `adm-imp-${t}-4,Имя,${two.org},executor`,
      `adm-imp-${t}-5,Имя,demo-roads,executor`,
    ].join('\n'));
    assertProblem(res, 422);
    assert.deepEqual(triples(res), ['2:role:invalid', '3:org:unknown', '4:name:required', '5:org:unknown']);
    assert.deepEqual([count('users'), count('staff_roles')], before);
    for (const who of ['admin1', 'executor1', 'citizen1']) assertProblem(await staff(who, 'esia_oid,name,org,role\nx,X,demo-admin,executor\n'), 403);
  });
});
