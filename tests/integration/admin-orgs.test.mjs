// admin-orgs.test.mjs - organisations in modules/admin: the staff's search
// (moved from the cabinet: active ones only), the operator's list, create,
// read, edit and deactivate (409 while messages are open; then no routing
// rule answers with it), with the role matrix and the audit.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, count, sql } from './helpers.mjs';
import { otherRegion, tag } from './admin-fixtures.mjs';

const create = (auth, body) => api('POST', '/api/v1/orgs', { auth, body });
const patch = (auth, code, body) => api('PATCH', `/api/v1/orgs/${code}`, { auth, body });
const fields = (res) => res.body.errors.map((e) => `${e.field}:${e.code}`).sort();

let two;
before(async () => { two = await otherRegion(); });

describe('the staff search (the cabinet redirect form)', () => {
  test('any staff member finds organisations by name or code; citizens 403; q checked', async () => {
    const res = await api('GET', `/api/v1/orgs?q=${encodeURIComponent('дорожного')}`, { auth: 'executor1' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.items.map((o) => [o.code, o.name]), [['demo-roads', 'Управление дорожного хозяйства г. Демоград']]);
    assert.ok((await api('GET', '/api/v1/orgs?q=demo-c', { auth: 'operator1' })).body.items.some((o) => o.code === 'demo-cur'));
    assertProblem(await api('GET', '/api/v1/orgs?q=demo', { auth: 'citizen1' }), 403);
    assertProblem(await api('GET', '/api/v1/orgs?q=d', { auth: 'executor1' }), 422);
    assertProblem(await api('GET', '/api/v1/orgs', { auth: 'executor1' }), 422);
  });
});

describe('organisations by operators', () => {
  test('operator1 creates a school in its region, reads, edits it; the audit records it', async () => {
    const code = `school-${tag()}`;
    let res = await create('operator1', { code, name: 'Школа № 1', kind: 'school', territory: '99-demograd' });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body, { code, name: 'Школа № 1', kind: 'school', territory: '99-demograd', is_moderation: false, is_active: true, open_messages: 0 });
    assert.equal(res.headers.get('location'), `/api/v1/orgs/${code}`);
    res = await patch('operator1', code, { name: 'Школа № 1 им. Пушкина', kind: 'other', territory: '99' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, 'Школа № 1 им. Пушкина');
    assert.equal(res.body.territory, '99');
    assert.equal((await api('GET', `/api/v1/orgs/${code}`, { auth: 'operator1' })).body.kind, 'other');
    const list = await api('GET', '/api/v1/orgs?territory=99&limit=200', { auth: 'operator1' });
    assert.equal(list.status, 200, list.text);
    assert.ok(list.body.items.some((o) => o.code === code));
    // page by page, the operator reaches the demo organisations; another region's never
    let cursor = list.body.next_cursor;
    const seen = new Set(list.body.items.map((o) => o.code));
    while (cursor && !seen.has('demo-roads')) {
      const page = await api('GET', `/api/v1/orgs?territory=99&limit=200&cursor=${cursor}`, { auth: 'operator1' });
      page.body.items.forEach((o) => seen.add(o.code));
      cursor = page.body.next_cursor;
    }
    assert.ok(seen.has('demo-roads') && !seen.has(two.org));
    const events = await api('GET', `/api/v1/admin/events?object_kind=organisation&object_id=${code}`, { auth: 'operator1' });
    assert.deepEqual(events.body.items.map((e) => e.action), ['update', 'create']);
    assert.equal(events.body.items[0].before.name, 'Школа № 1');
    assert.equal(events.body.items[0].after.name, 'Школа № 1 им. Пушкина');
    assert.equal(events.body.items[0].actor.esia_oid, 'operator1');
  });

  test('the role matrix: another region operator 404, org admin / staff / citizen 403', async () => {
    const code = `hosp-${tag()}`;
    assert.equal((await create('operator1', { code, name: 'Больница', kind: 'hospital', territory: '99' })).status, 201);
    assertProblem(await api('GET', `/api/v1/orgs/${code}`, { auth: two.operator }), 404);
    assertProblem(await patch(two.operator, code, { name: 'Чужая' }), 404);
    assertProblem(await patch(two.operator, 'demo-roads', { is_active: false }), 404);
    const foreign = await create(two.operator, { code: `x-${tag()}`, name: 'X', kind: 'other', territory: '99' });
    assert.deepEqual(fields(foreign), ['territory:unknown']);
    assert.ok(!(await api('GET', '/api/v1/orgs?limit=200', { auth: two.operator })).body.items.some((o) => o.code === code));
    for (const who of ['admin1', 'executor1', 'citizen1']) {
      assertProblem(await create(who, { code: `x-${tag()}`, name: 'X', kind: 'other', territory: '99' }), 403);
      assertProblem(await patch(who, code, { name: 'X' }), 403);
    }
    // an organisation's own staff read it; other staff do not see it; citizens 403
    assert.equal((await api('GET', '/api/v1/orgs/demo-admin', { auth: 'admin1' })).status, 200);
    assertProblem(await api('GET', '/api/v1/orgs/demo-health', { auth: 'admin1' }), 404);
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin', { auth: 'citizen1' }), 403);
    assert.equal(sql(`SELECT name FROM organisations WHERE code = '${code}'`)[0][0], 'Больница');
    // root reads both regions' organisations
    assert.equal((await api('GET', `/api/v1/orgs/${two.org}`, { auth: 'root' })).status, 200);
    assert.equal((await api('GET', `/api/v1/orgs/${code}`, { auth: 'root' })).status, 200);
  });

  test('bad input: 422 errors[] per field, duplicate code, nothing written', async () => {
    const before = count('organisations');
    let res = await create('operator1', { code: 'BAD CODE', name: '', kind: 'bank', territory: 'nowhere', is_moderation: 'yes' });
    assertProblem(res, 422);
    assert.deepEqual(fields(res), ['is_moderation:type', 'name:too_short']);
    res = await create('operator1', { code: 'BAD CODE', kind: 'bank', territory: 'nowhere' });
    assert.deepEqual(fields(res), ['code:invalid', 'kind:invalid', 'name:required', 'territory:unknown']);
    res = await create('operator1', { code: 'demo-roads', name: 'Дубль', kind: 'other', territory: '99' });
    assert.deepEqual(fields(res), ['code:duplicate']);
    res = await patch('operator1', 'demo-roads', { code: 'new', kind: 'bank' });
    assert.deepEqual(fields(res), ['code:unknown_field']);
    res = await patch('operator1', 'demo-roads', { kind: 'bank', territory: two.region });
    assert.deepEqual(fields(res), ['kind:invalid', 'territory:unknown']);
    assert.equal(count('organisations'), before);
    assert.equal(sql("SELECT kind FROM organisations WHERE code = 'demo-roads'")[0][0], 'authority');
  });

  test('deactivation: 409 while a message is open; then gone from the search and from routing', async () => {
    const code = `mc-${tag()}`;
    assert.equal((await create('operator1', { code, name: `Управляющая компания ${code}`, kind: 'management_company', territory: '99-demograd' })).status, 201);
    const [rubric] = sql("SELECT id FROM rubrics WHERE code = 'roads-potholes'")[0];
    sql(`INSERT INTO messages (author_id, rubric_id, text, territory_id, organisation_id, status)
         SELECT u.id, ${rubric}, 'Открытое сообщение', o.territory_id, o.id, 'registered'
         FROM users u, organisations o WHERE u.esia_oid = 'citizen3' AND o.code = '${code}'`);
    const territory = sql("SELECT id FROM territories WHERE code = '99-demograd'")[0][0];
    sql(`INSERT INTO routing_rules (rubric_id, territory_id, organisation_id)
         SELECT ${rubric}, ${territory}, id FROM organisations WHERE code = '${code}'
         ON CONFLICT (rubric_id, territory_id) DO UPDATE SET organisation_id = EXCLUDED.organisation_id`);
    assert.equal(sql(`SELECT (routing_rule_for(${rubric}, ${territory})).organisation_id = (SELECT id FROM organisations WHERE code = '${code}')`)[0][0], 't');
    assertProblem(await patch('operator1', code, { is_active: false }), 409);
    assert.equal(sql(`SELECT is_active FROM organisations WHERE code = '${code}'`)[0][0], 't');
    sql(`UPDATE messages SET status = 'closed' WHERE organisation_id = (SELECT id FROM organisations WHERE code = '${code}')`);
    const res = await patch('operator1', code, { is_active: false });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.is_active, false);
    assert.deepEqual((await api('GET', `/api/v1/orgs?q=${code}`, { auth: 'executor1' })).body.items, []);
    // nor is it a moderator's choice any more
    const [waiting] = sql(`INSERT INTO messages (author_id, rubric_id, text, territory_id)
      SELECT u.id, ${rubric}, 'Ждёт модерации', ${territory} FROM users u WHERE u.esia_oid = 'citizen3' RETURNING id`)[0];
    const accept = await api('POST', `/api/v1/messages/${waiting}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: code } });
    assertProblem(accept, 422);
    assert.equal(accept.body.errors[0].field, 'org');
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${waiting}`)[0][0], 'moderation');
    assert.equal(sql(`SELECT (routing_rule_for(${rubric}, ${territory})).organisation_id IS DISTINCT FROM (SELECT id FROM organisations WHERE code = '${code}')`)[0][0], 't');
    sql(`DELETE FROM routing_rules WHERE organisation_id = (SELECT id FROM organisations WHERE code = '${code}')`);
  });
});

describe('the admin audit', () => {
  test('is append-only, and readable by operators only', async () => {
    assert.throws(() => sql('UPDATE admin_events SET action = action'), /append-only/);
    assert.throws(() => sql('DELETE FROM admin_events'), /append-only/);
    for (const who of ['admin1', 'executor1', 'citizen1']) assertProblem(await api('GET', '/api/v1/admin/events', { auth: who }), 403);
    const page = await api('GET', '/api/v1/admin/events?limit=2', { auth: 'root' });
    assert.equal(page.status, 200, page.text);
    assert.equal(page.body.items.length, 2);
    const next = await api('GET', `/api/v1/admin/events?limit=2&cursor=${page.body.next_cursor}`, { auth: 'root' });
    assert.ok(next.body.items[0].id < page.body.items[1].id);
    assertProblem(await api('GET', '/api/v1/admin/events?limit=0', { auth: 'root' }), 400);
  });
});
