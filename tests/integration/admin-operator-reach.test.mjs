// admin-operator-reach.test.mjs - what an operator does in the organisations
// of its territory without holding a role there (core/ok_org.c with
// operator_covers): their widgets (create, read the settings, change) and
// their staff (list, grant, revoke), named in the admin audit; an auto-routed message tells its author
// what a moderator's registration tells; GET /api/v1/rubrics shows each
// rubric's accelerated flag.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, cleanText, count, rubricId, sql, userId } from './helpers.mjs';
import { otherRegion, person, tag } from './admin-fixtures.mjs';

let two;
before(async () => { two = await otherRegion(); });

describe("an operator in its territory's organisations", () => {
  test("creates and edits a widget of an organisation it holds no role in; another region's operator and the organisation's staff cannot", async () => {
    const widgets = count('widgets');
    let res = await api('POST', '/api/v1/widgets', { auth: 'operator1', body: { org: 'demo-roads', title: 'Виджет дорог', allowed_origins: ['https://roads.example.ru'] } });
    assert.equal(res.status, 201, res.text);
    const key = res.body.key;
    assert.match(res.body.embed_snippet, new RegExp(key));
    res = await api('GET', `/api/v1/widgets/${key}`, { auth: 'operator1' });
    assert.deepEqual(res.body.allowed_origins, ['https://roads.example.ru']);
    assert.ok(res.body.embed_snippet, 'the operator sees the settings');
    res = await api('PATCH', `/api/v1/widgets/${key}`, { auth: 'operator1', body: { allowed_origins: ['https://roads.example.ru', 'https://city.example.ru'] } });
    assert.equal(res.status, 200, res.text);
    res = await api('GET', '/api/v1/orgs/demo-roads/widgets', { auth: 'operator1' });
    assert.ok(res.body.items.some((w) => w.key === key), res.text);
    // another region's operator: the organisation and its widget do not exist for it
    assertProblem(await api('POST', '/api/v1/widgets', { auth: two.operator, body: { org: 'demo-roads', title: 'Чужой' } }), 404);
    assertProblem(await api('PATCH', `/api/v1/widgets/${key}`, { auth: two.operator, body: { title: 'Чужой' } }), 404);
    assert.equal((await api('GET', `/api/v1/widgets/${key}`, { auth: two.operator })).body.embed_snippet, undefined);
    // staff without the right stay refused; and operator1 does not reach region two
    assertProblem(await api('PATCH', `/api/v1/widgets/${key}`, { auth: 'executor2', body: { title: 'Исполнитель' } }), 403);
    assertProblem(await api('POST', '/api/v1/widgets', { auth: 'operator1', body: { org: two.org, title: 'Чужой' } }), 404);
    assert.equal(count('widgets'), widgets + 1);
    // the audit names the operator as who created and changed it
    const events = await api('GET', `/api/v1/admin/events?object_kind=widget&object_id=${key}`, { auth: 'operator1' });
    assert.deepEqual(events.body.items.map((e) => [e.action, e.actor?.esia_oid]), [['update', 'operator1'], ['create', 'operator1']]);
  });

  test("lists an organisation's staff, grants a role and revokes it; operator roles stay otklikctl's", async () => {
    const oid = person('curator', 'demo-cur');
    const user_id = userId(oid);
    let res = await api('POST', '/api/v1/orgs/demo-roads/staff', { auth: 'operator1', body: { user_id, role: 'executor' } });
    assert.equal(res.status, 201, res.text);
    res = await api('GET', '/api/v1/orgs/demo-roads/staff?limit=500', { auth: 'operator1' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.items.find((p) => p.user_id === user_id)?.roles, ['executor']);
    res = await api('POST', '/api/v1/orgs/demo-roads/staff', { auth: 'operator1', body: { user_id, role: 'operator' } });
    assertProblem(res, 422);
    assertProblem(await api('POST', '/api/v1/orgs/demo-roads/staff', { auth: two.operator, body: { user_id, role: 'manager' } }), 404);
    assertProblem(await api('GET', '/api/v1/orgs/demo-roads/staff', { auth: two.operator }), 404);
    assertProblem(await api('POST', `/api/v1/orgs/${two.org}/staff`, { auth: 'operator1', body: { user_id, role: 'manager' } }), 404);
    res = await api('DELETE', '/api/v1/orgs/demo-roads/staff', { auth: 'operator1', body: { user_id, role: 'executor' } });
    assert.ok([200, 204].includes(res.status), res.text);
    assert.equal(sql(`SELECT count(*) FROM staff_roles r JOIN organisations o ON o.id = r.organisation_id
      WHERE r.user_id = ${user_id} AND o.code = 'demo-roads'`)[0][0], '0');
    // the grant and the revocation are in the admin audit, by operator1
    const events = await api('GET', '/api/v1/admin/events?object_kind=staff_role&limit=20', { auth: 'operator1' });
    assert.equal(events.status, 200, events.text);
    const mine = events.body.items.filter((e) => JSON.stringify(e.before ?? e.after).includes(String(user_id)) && e.actor?.esia_oid === 'operator1');
    assert.ok(mine.length >= 2, events.text);
  });
});

describe('auto-routing tells the citizen', () => {
  test('an auto-routed message gets the notification a moderator registration gives', async () => {
    const rubric = rubricId('waste');
    const rule = await api('POST', '/api/v1/routing-rules', { auth: 'operator1', body: { rubric_id: rubric, territory: '99', org: 'demo-roads', auto_route: true } });
    assert.equal(rule.status, 201, rule.text);
    let auto;
    try {
      auto = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubric, text: cleanText(`Контейнеры переполнены ${tag()}`) } });
      assert.equal(auto.body.status, 'registered', auto.text);
    } finally {
      sql(`DELETE FROM routing_rules WHERE id = ${rule.body.id}`);
    }
    // the same message through a moderator, for comparison
    const manual = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubric, text: cleanText(`Мусор у подъезда ${tag()}`) } });
    assert.equal(manual.body.status, 'moderation', manual.text);
    const accepted = await api('POST', `/api/v1/messages/${manual.body.id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-roads' } });
    assert.equal(accepted.status, 200, accepted.text);
    const feed = (await api('GET', '/api/v1/my/notifications?limit=50', { auth: 'citizen2' })).body.items;
    const told = (id) => feed.filter((n) => n.message_id === id || n.message?.id === id).map((n) => [n.status, n.title.replace(String(id), 'N')]);
    assert.deepEqual(told(auto.body.id), told(manual.body.id));
    assert.deepEqual(told(auto.body.id), [['registered', 'Сообщение № N зарегистрировано и передано на рассмотрение']]);
    // the staff are told alike (none of the staff kinds is about registration) and see it to assign
    const staff = (id) => sql(`SELECT count(*) FROM staff_notifications WHERE message_id = ${id}`)[0][0];
    assert.equal(staff(auto.body.id), staff(manual.body.id));
  });
});

describe('the rubricator for everyone', () => {
  test('GET /api/v1/rubrics shows accelerated', async () => {
    const t = tag();
    const made = await api('POST', '/api/v1/rubrics', { auth: 'root', body: { code: `fast-${t}`, title: `Срочное ${t}`, deadline_days: 5, accelerated: true } });
    assert.equal(made.status, 201, made.text);
    const tree = (await api('GET', '/api/v1/rubrics')).body;
    const items = tree.items ?? tree;
    const flat = items.flatMap((r) => [r, ...r.children]);
    assert.ok(flat.every((r) => typeof r.accelerated === 'boolean'), JSON.stringify(flat[0]));
    // the rubric list is cached for 30 s per worker thread: the new one may not show yet
    const fast = flat.find((r) => r.id === made.body.id);
    if (fast) assert.equal(fast.accelerated, true);
  });
});
