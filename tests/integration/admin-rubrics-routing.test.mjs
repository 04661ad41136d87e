// admin-rubrics-routing.test.mjs - the rubricator (POST /api/v1/rubrics,
// PATCH /api/v1/rubrics/{id}: deactivated, never deleted) and routing rules
// (GET/POST /api/v1/routing-rules, PATCH/DELETE /{id}) with the role matrix;
// auto_route registers a clean message in the rule's organisation at once.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, cleanText, count, rubricId, sql } from './helpers.mjs';
import { otherRegion, tag } from './admin-fixtures.mjs';

const fields = (res) => res.body.errors.map((e) => `${e.field}:${e.code}`).sort();

let two;
before(async () => { two = await otherRegion(); });

describe('the rubricator', () => {
  test('an operator creates a rubric and a child, edits its deadline and flags, deactivates it', async () => {
    const t = tag();
    let res = await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: `parks-${t}`, title: `Парки ${t}`, deadline_days: 30 } });
    assert.equal(res.status, 201, res.text);
    const parent = res.body;
    assert.equal(parent.accelerated, false);
    assert.equal(parent.is_active, true);
    res = await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: `parks-${t}-trees`, title: 'Деревья', deadline_days: 10, parent_id: parent.id, accelerated: true } });
    assert.equal(res.status, 201, res.text);
    const child = res.body;
    assert.equal(res.headers.get('location'), `/api/v1/rubrics/${child.id}`);
    assert.deepEqual([child.parent_id, child.accelerated, child.deadline_days], [parent.id, true, 10]);
    // citizens can send under it at once (GET /api/v1/rubrics shows it within its cache time)
    const sent = await api('POST', '/api/v1/messages', { auth: 'citizen3', body: { rubric_id: child.id, text: cleanText('Упало дерево в парке') } });
    assert.equal(sent.status, 201, sent.text);
    res = await api('PATCH', `/api/v1/rubrics/${child.id}`, { auth: 'operator1', body: { deadline_days: 30, is_active: false } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.body.deadline_days, res.body.is_active], [30, false]);
    assert.equal(sql(`SELECT count(*) FROM rubrics WHERE id = ${child.id}`)[0][0], '1');
    // deactivated: intake refuses it, the message sent under it keeps it
    const refused = await api('POST', '/api/v1/messages', { auth: 'citizen3', body: { rubric_id: child.id, text: cleanText('Ещё одно дерево') } });
    assertProblem(refused, 422);
    assert.equal(sql(`SELECT rubric_id FROM messages WHERE id = ${sent.body.id}`)[0][0], String(child.id));
    const events = await api('GET', `/api/v1/admin/events?object_kind=rubric&object_id=${child.code}`, { auth: 'root' });
    assert.deepEqual(events.body.items.map((e) => e.action), ['update', 'create']);
  });

  test('GET /api/v1/rubrics?all=true: operators see a new rubric at once and a deactivated one, which they reactivate', async () => {
    const t = tag();
    const find = (items, code) => items.flatMap((r) => [r, ...r.children]).find((r) => r.code === code);
    const parent = (await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: `all-${t}`, title: `Все ${t}`, deadline_days: 30 } })).body;
    const child = (await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: `all-${t}-c`, title: 'Дочерняя', deadline_days: 10, parent_id: parent.id } })).body;
    let res = await api('GET', '/api/v1/rubrics?all=true', { auth: 'operator1' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
    assert.equal(res.body.next_cursor, null);
    assert.deepEqual({ ...find(res.body.items, child.code), children: undefined }, { ...child, children: undefined });
    assert.equal(find(res.body.items, parent.code).children.length, 1);
    assert.equal((await api('PATCH', `/api/v1/rubrics/${parent.id}`, { auth: 'operator1', body: { is_active: false } })).status, 200);
    res = await api('GET', '/api/v1/rubrics?all=true', { auth: 'operator1' });
    // the inactive parent is listed with its child, so it can be found and reactivated
    assert.deepEqual([find(res.body.items, parent.code)?.is_active, find(res.body.items, child.code)?.is_active], [false, true]);
    res = await api('GET', '/api/v1/rubrics?all=false', { auth: 'root' });
    assert.equal(res.status, 200, res.text);
    assert.equal(find(res.body.items, parent.code), undefined);
    assert.ok(find(res.body.items, 'roads-potholes'));
    assert.equal((await api('PATCH', `/api/v1/rubrics/${parent.id}`, { auth: 'operator1', body: { is_active: true } })).body.is_active, true);
    assert.equal(find((await api('GET', '/api/v1/rubrics?all=true', { auth: 'operator1' })).body.items, parent.code).is_active, true);
    // the public tree stays the widget's, without codes or inactive rubrics
    res = await api('GET', '/api/v1/rubrics');
    assert.equal(res.headers.get('cache-control'), 'public, max-age=30');
    assert.equal(res.body.items[0].code, undefined);
    // operators only; all must be true or false
    for (const who of ['admin1', 'moderator1', 'citizen1']) assertProblem(await api('GET', '/api/v1/rubrics?all=true', { auth: who }), 403);
    assertProblem(await api('GET', '/api/v1/rubrics?all=true'), 401);
    res = await api('GET', '/api/v1/rubrics?all=yes', { auth: 'operator1' });
    assertProblem(res, 422);
    assert.deepEqual(fields(res), ['all:invalid']);
  });

  test('bad input and the role matrix', async () => {
    const before = count('rubrics');
    let res = await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: 'X Y', deadline_days: 400 } });
    assertProblem(res, 422);
    assert.deepEqual(fields(res), ['deadline_days:out_of_range']);
    res = await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: 'X Y' } });
    assert.deepEqual(fields(res), ['code:invalid', 'deadline_days:required', 'title:required']);
    res = await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: 'roads', title: 'Дубль', deadline_days: 30 } });
    assert.deepEqual(fields(res), ['code:duplicate']);
    res = await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: `d-${tag()}`, title: 'Внук', deadline_days: 30, parent_id: rubricId() } });
    assert.deepEqual(fields(res), ['parent_id:depth']);
    res = await api('POST', '/api/v1/rubrics', { auth: 'operator1', body: { code: `d-${tag()}`, title: 'Сирота', deadline_days: 30, parent_id: 999999999 } });
    assert.deepEqual(fields(res), ['parent_id:unknown']);
    assertProblem(await api('PATCH', '/api/v1/rubrics/999999999', { auth: 'operator1', body: { title: 'Нет' } }), 404);
    for (const who of ['admin1', 'executor1', 'citizen1']) {
      assertProblem(await api('POST', '/api/v1/rubrics', { auth: who, body: { code: `z-${tag()}`, title: 'Z', deadline_days: 30 } }), 403);
      assertProblem(await api('PATCH', `/api/v1/rubrics/${rubricId()}`, { auth: who, body: { is_active: false } }), 403);
    }
    assert.equal(count('rubrics'), before);
    assert.equal(sql(`SELECT is_active FROM rubrics WHERE id = ${rubricId()}`)[0][0], 't');
  });
});

describe('routing rules', () => {
  test('operator1 creates, lists, changes and deletes a rule; another region sees none of it', async () => {
    const rubric = rubricId('lighting');
    let res = await api('POST', '/api/v1/routing-rules', { auth: 'operator1', body: { rubric_id: rubric, territory: '99-demograd', org: 'demo-admin' } });
    assert.equal(res.status, 201, res.text);
    const rule = res.body;
    assert.deepEqual({ ...rule, id: 0 }, { id: 0, rubric_id: rubric, rubric: 'Уличное освещение', territory: '99-demograd', org: 'demo-admin', auto_route: false });
    const dup = await api('POST', '/api/v1/routing-rules', { auth: 'operator1', body: { rubric_id: rubric, territory: '99-demograd', org: 'demo-roads' } });
    assert.deepEqual(fields(dup), ['territory:duplicate']);
    const list = await api('GET', `/api/v1/routing-rules?rubric_id=${rubric}`, { auth: 'operator1' });
    assert.ok(list.body.items.some((r) => r.id === rule.id));
    assert.deepEqual((await api('GET', '/api/v1/routing-rules', { auth: two.operator })).body.items, []);
    assertProblem(await api('PATCH', `/api/v1/routing-rules/${rule.id}`, { auth: two.operator, body: { auto_route: true } }), 404);
    assertProblem(await api('DELETE', `/api/v1/routing-rules/${rule.id}`, { auth: two.operator }), 404);
    const foreign = await api('POST', '/api/v1/routing-rules', { auth: two.operator, body: { rubric_id: rubric, territory: '99', org: 'demo-roads' } });
    assert.deepEqual(fields(foreign), ['org:unknown', 'territory:unknown']);
    for (const who of ['admin1', 'moderator1', 'citizen1']) {
      assertProblem(await api('GET', '/api/v1/routing-rules', { auth: who }), 403);
      assertProblem(await api('PATCH', `/api/v1/routing-rules/${rule.id}`, { auth: who, body: { auto_route: true } }), 403);
    }
    res = await api('PATCH', `/api/v1/routing-rules/${rule.id}`, { auth: 'operator1', body: { org: 'demo-roads', auto_route: true } });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual([res.body.org, res.body.auto_route], ['demo-roads', true]);
    const bad = await api('PATCH', `/api/v1/routing-rules/${rule.id}`, { auth: 'operator1', body: { org: two.org, auto_route: 'yes' } });
    assert.deepEqual(fields(bad), ['auto_route:type']);
    assert.equal((await api('DELETE', `/api/v1/routing-rules/${rule.id}`, { auth: 'operator1' })).status, 204);
    assert.equal(sql(`SELECT count(*) FROM routing_rules WHERE id = ${rule.id}`)[0][0], '0');
    const events = await api('GET', `/api/v1/admin/events?object_kind=routing_rule&object_id=${rule.id}`, { auth: 'operator1' });
    assert.deepEqual(events.body.items.map((e) => e.action), ['delete', 'update', 'create']);
  });

  test('auto_route: a clean message is registered in the rule organisation at once, with its due date; a flagged one waits for the moderator', async () => {
    const rubric = rubricId('waste');
    const res = await api('POST', '/api/v1/routing-rules', { auth: 'operator1', body: { rubric_id: rubric, territory: '99', org: 'demo-roads', auto_route: true } });
    assert.equal(res.status, 201, res.text);
    try {
      const sent = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubric, text: cleanText('Не вывозят мусор') } });
      assert.equal(sent.status, 201, sent.text);
      assert.equal(sent.body.status, 'registered');
      const [org, due, events] = sql(`SELECT o.code, round(extract(epoch FROM m.due_at - m.created_at) / 86400),
        (SELECT string_agg(coalesce(from_status, '-') || '>' || to_status || ':' || actor_role, ',' ORDER BY id) FROM message_events WHERE message_id = m.id)
        FROM messages m JOIN organisations o ON o.id = m.organisation_id WHERE m.id = ${sent.body.id}`)[0];
      assert.deepEqual([org, due, events], ['demo-roads', '10', '->moderation:citizen,moderation>registered:system']);
      const flagged = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubric, text: cleanText('Мусор не вывозят, фото на http://example.com/photo') } });
      assert.equal(flagged.status, 201, flagged.text);
      assert.equal(flagged.body.status, 'moderation', flagged.text);
      assert.ok(flagged.body.flags.length > 0);
    } finally {
      sql(`DELETE FROM routing_rules WHERE id = ${res.body.id}`);
    }
  });
});
