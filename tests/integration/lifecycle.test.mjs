// lifecycle.test.mjs - the message lifecycle through the HTTP API with the demo
// users: moderation, routing, execution, approval, answer, rework, rating,
// redirect, rejection; every wrong transition and every other role.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { api, assertProblem, freshToken, rubricId, sql, userId } from './helpers.mjs';
import { accept, act, answer, answered, approve, assign, ctl, ok, send } from './journeys.mjs';

describe('the whole story', () => {
  test('sent, accepted, assigned, answered, sent back, approved, reworked, answered again, rated 4, closed', async () => {
    const id = await send('citizen1');
    const seen = await api('GET', `/api/v1/staff/messages?status=moderation`, { auth: 'moderator1' });
    assert.ok(seen.body.items.some((m) => m.id === id), 'not in the moderation queue');
    const registered = await ok('moderator1', id, 'moderate', { decision: 'accept', org: 'demo-admin', rubric_id: rubricId('roads-snow') }, 'registered');
    assert.equal(registered.organisation, 'demo-admin');
    assert.equal(registered.rubric_id, rubricId('roads-snow'));
    const due = Date.parse(registered.due_at) - Date.parse(registered.events.at(-1).at);
    assert.ok(Math.abs(due - 10 * 86400e3) < 5000, `due_at is not 10 days after acceptance: ${registered.due_at}`);
    await assign(id);
    assert.ok((await api('GET', '/api/v1/staff/messages?assignee=me', { auth: 'executor1' })).body.items.some((m) => m.id === id));
    await answer(id, 'executor1', 'Черновик ответа');
    const back = await ok('manager1', id, 'approve', { approve: false, comment: 'Уточните сроки ремонта' }, 'in_progress');
    assert.equal(back.staff.answer_draft, 'Черновик ответа');
    await answer(id, 'executor1', 'Ремонт выполнят до 1 декабря.');
    const done = await ok('manager1', id, 'approve', { approve: true }, 'answered');
    assert.equal(done.answer, 'Ремонт выполнят до 1 декабря.');

    // the citizen sees the answer and the public history, not the internal comment
    const mine = await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen1' });
    assert.equal(mine.body.status, 'answered');
    assert.equal(mine.body.staff, null);
    assert.ok(!mine.text.includes('Уточните сроки'), 'internal comment leaked to the citizen');
    assert.ok(mine.body.events.every((e) => !e.internal));
    const staffView = await api('GET', `/api/v1/messages/${id}`, { auth: 'curator1' });
    assert.ok(staffView.text.includes('Уточните сроки'));

    const returned = await ok('citizen1', id, 'rework', { comment: 'Ремонт не сделан' }, 'returned');
    assert.ok(Date.parse(returned.due_at) > Date.parse(done.due_at) - 1000);
    await answer(id, 'executor1', 'Ремонт выполнен 25 ноября.');
    await approve(id);
    const closed = await ok('citizen1', id, 'rating', { score: 4, comment: 'Спасибо' }, 'closed');
    assert.equal(closed.rating, 4);
    assertProblem(await act('citizen1', id, 'rating', { score: 5 }), 409);
    assertProblem(await act('citizen1', id, 'rework', { comment: 'ещё раз' }), 409);

    const statuses = sql(`SELECT coalesce(from_status, '-') || '>' || to_status || ':' || actor_role FROM message_events WHERE message_id = ${id} ORDER BY id`).flat();
    assert.deepEqual(statuses, ['->moderation:citizen', 'moderation>registered:moderator', 'registered>in_progress:coordinator',
      'in_progress>approval:executor', 'approval>in_progress:manager', 'in_progress>approval:executor', 'approval>answered:manager',
      'answered>returned:citizen', 'returned>approval:executor', 'approval>answered:manager', 'answered>closed:citizen']);
    const notes = (await api('GET', '/api/v1/my/notifications?limit=100', { auth: 'citizen1' })).body.items.filter((n) => n.message_id === id);
    assert.deepEqual(notes.map((n) => n.status).reverse(), ['registered', 'in_progress', 'answered', 'answered']);
    assert.ok((await api('GET', '/api/v1/my/messages?status=closed', { auth: 'citizen1' })).body.items.some((m) => m.id === id));
  });

  test('a redirect from demo-admin to demo-roads approved by manager1', async () => {
    const id = await send('citizen2');
    await accept(id); await assign(id);
    const proposed = await ok('executor1', id, 'redirect', { org: 'demo-roads', comment: 'Это дорожное хозяйство' }, 'redirect_approval');
    assert.equal(proposed.staff.redirect_to, 'demo-roads');
    const moved = await ok('manager1', id, 'approve', { approve: true }, 'registered');
    assert.equal(moved.organisation, 'demo-roads');
    assertProblem(await api('GET', `/api/v1/messages/${id}`, { auth: 'coordinator1' }), 404);
    const roads = await api('GET', `/api/v1/messages/${id}`, { auth: 'executor2' });
    assert.equal(roads.status, 200);
    assert.equal(roads.body.staff.assignee_id, null);
    const notes = (await api('GET', '/api/v1/my/notifications', { auth: 'citizen2' })).body.items;
    assert.ok(notes.some((n) => n.message_id === id && /перенаправлено/.test(n.title)));
  });

  test('a redirect sent back returns to the status before', async () => {
    const id = await send('citizen2');
    await accept(id);
    await ok('coordinator1', id, 'redirect', { org: 'demo-roads', comment: 'не наше' }, 'redirect_approval');
    await ok('manager1', id, 'approve', { approve: false, comment: 'Наше' }, 'registered');
    const detail = await api('GET', `/api/v1/messages/${id}`, { auth: 'coordinator1' });
    assert.equal(detail.body.organisation, 'demo-admin');
  });

  test('a rejection with reason code 5', async () => {
    const id = await send('citizen3');
    const rejected = await ok('moderator1', id, 'moderate', { decision: 'reject', reason_code: 5, comment: 'Реклама' }, 'rejected');
    assert.equal(rejected.rejection_reason, 5);
    const mine = await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen3' });
    assert.equal(mine.body.rejection_reason, 5);
    assert.equal(mine.body.events.at(-1).comment, 'Реклама');
    for (const action of ['rework', 'rating']) assertProblem(await act('citizen3', id, action, action === 'rating' ? { score: 1 } : { comment: 'x' }), 409);
  });
});

describe('who may do what', () => {
  test('every wrong transition answers 409 and changes nothing', async () => {
    const id = await send('citizen1');
    assertProblem(await act('citizen1', id, 'rating', { score: 3 }), 409);
    assertProblem(await act('citizen1', id, 'rework', { comment: 'x' }), 409);
    await accept(id);
    assertProblem(await act('moderator1', id, 'moderate', { decision: 'accept', org: 'demo-admin' }), 409);
    assertProblem(await act('executor1', id, 'answer', { text: 'x' }), 409); // nobody is assigned yet
    assertProblem(await act('manager1', id, 'approve', { approve: true }), 409);
    await assign(id);
    assertProblem(await act('manager1', id, 'approve', { approve: true }), 409);
    assertProblem(await act('citizen1', id, 'rating', { score: 3 }), 409);
    await answer(id);
    assertProblem(await act('executor1', id, 'answer', { text: 'again' }), 409);
    assertProblem(await act('coordinator1', id, 'assign', { executor_id: userId('executor1') }), 409);
    assertProblem(await act('coordinator1', id, 'redirect', { org: 'demo-roads', comment: 'x' }), 409);
    const before = sql(`SELECT count(*) FROM message_events WHERE message_id = ${id}`)[0][0];
    assertProblem(await act('citizen1', id, 'rework', { comment: 'x' }), 409);
    assert.equal(sql(`SELECT count(*) FROM message_events WHERE message_id = ${id}`)[0][0], before);
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], 'approval');
  });

  test('every action by another role answers 403, or 404 across organisations', async () => {
    const moderation = await send('citizen1');
    const registered = await send('citizen1'); await accept(registered);
    const inProgress = await send('citizen1'); await accept(inProgress); await assign(inProgress);
    const approval = await send('citizen1'); await accept(approval); await assign(approval); await answer(approval);
    const done = await answered('citizen1');
    const cases = [
      // [message, action, body, who may (200), {who: expected status}]
      [moderation, 'moderate', { decision: 'accept', org: 'demo-admin' }, { citizen1: 403, citizen2: 404, coordinator1: 404, curator1: 404, executor2: 404, admin1: 404 }],
      [registered, 'assign', { executor_id: userId('executor1') }, { citizen1: 403, citizen2: 404, executor1: 403, manager1: 403, curator1: 403, admin1: 403, moderator1: 403, executor2: 404, manager2: 404 }],
      [inProgress, 'answer', { text: 'ответ' }, { citizen1: 403, coordinator1: 403, manager1: 403, curator1: 403, moderator1: 403, executor2: 404 }],
      [inProgress, 'redirect', { org: 'demo-roads', comment: 'x' }, { citizen1: 403, manager1: 403, curator1: 403, admin1: 403, executor2: 404, manager2: 404 }],
      [approval, 'approve', { approve: true }, { citizen1: 403, coordinator1: 403, executor1: 403, curator1: 403, admin1: 403, moderator1: 403, manager2: 404 }],
      [done, 'rework', { comment: 'почему' }, { citizen2: 404, manager1: 403, curator1: 403, executor2: 404 }],
      [done, 'rating', { score: 5 }, { citizen2: 404, coordinator1: 403, curator1: 403, executor2: 404 }],
    ];
    for (const [id, action, body, expected] of cases) {
      for (const [who, status] of Object.entries(expected)) {
        const res = await act(who, id, action, body);
        assert.equal(res.status, status, `${who} ${action} on ${id}: ${res.text}`);
        assertProblem(res, status);
      }
    }
    assert.deepEqual(sql(`SELECT status FROM messages WHERE id IN (${moderation},${registered},${inProgress},${approval},${done}) ORDER BY id`).flat(),
      ['moderation', 'registered', 'in_progress', 'approval', 'answered']);
    assertProblem(await act(null, registered, 'assign', { executor_id: 1 }), 401);
  });

  test('a citizen cannot read another\'s message; curator1 reads all of demo-admin', async () => {
    const id = await answered('citizen1');
    assertProblem(await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen2' }), 404);
    assertProblem(await api('GET', `/api/v1/messages/${id}`, { auth: 'executor2' }), 404);
    assertProblem(await api('GET', '/api/v1/messages/999999999', { auth: 'citizen1' }), 404);
    assertProblem(await api('GET', '/api/v1/messages/99999999999999999999', { auth: 'citizen1' }), 404);
    const curator = await api('GET', `/api/v1/messages/${id}`, { auth: 'curator1' });
    assert.equal(curator.status, 200);
    const list = await api('GET', '/api/v1/staff/messages?org=demo-admin&limit=200', { auth: 'curator1' });
    assert.ok(list.body.items.some((m) => m.id === id));
    assert.ok(list.body.items.every((m) => m.organisation === 'demo-admin'));
    assertProblem(await api('GET', '/api/v1/staff/messages?org=demo-roads', { auth: 'curator1' }), 404);
    assertProblem(await api('GET', '/api/v1/staff/messages', { auth: 'citizen1' }), 403);
    assert.ok(!(await api('GET', '/api/v1/my/messages?limit=100', { auth: 'citizen2' })).body.items.some((m) => m.id === id));
  });

  const bad = [
    ['malformed JSON', 'assign', 400, { raw: '{', headers: { 'content-type': 'application/json' } }, 'coordinator1'],
    ['an unknown executor', 'assign', 422, { body: { executor_id: 999999999 } }, 'coordinator1'],
    ['a citizen as executor', 'assign', 422, { body: { executor_id: 1 } }, 'coordinator1'],
    ['a missing executor', 'assign', 422, { body: {} }, 'coordinator1'],
    ['a wrong content type', 'assign', 415, { raw: 'executor_id=1', headers: { 'content-type': 'text/plain' } }, 'coordinator1'],
    ['an unknown organisation', 'redirect', 422, { body: { org: 'no-such-org', comment: 'x' } }, 'coordinator1'],
    ['the same organisation', 'redirect', 422, { body: { org: 'demo-admin', comment: 'x' } }, 'coordinator1'],
    ['a redirect without comment', 'redirect', 422, { body: { org: 'demo-roads' } }, 'coordinator1'],
  ];
  for (const [what, action, status, options, who] of bad) {
    test(`${action} with ${what} answers ${status} and changes nothing`, async () => {
      const id = await send('citizen1'); await accept(id);
      const res = await api('POST', `/api/v1/messages/${id}/${action}`, { auth: who, ...options });
      assertProblem(res, status);
      assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], 'registered');
      assert.equal(sql(`SELECT count(*) FROM message_events WHERE message_id = ${id}`)[0][0], '2');
    });
  }

  test('bad moderation and rating bodies answer 422', async () => {
    const id = await send('citizen1');
    for (const body of [{ decision: 'maybe' }, { decision: 'accept' }, { decision: 'reject', reason_code: 11, comment: 'x' },
      { decision: 'reject', reason_code: 5 }, { decision: 'accept', org: 'no-such-org' }, { decision: 'accept', org: 'demo-admin', rubric_id: 999999 }]) {
      assertProblem(await act('moderator1', id, 'moderate', body), 422);
    }
    const done = await answered('citizen1');
    for (const body of [{ score: 0 }, { score: 6 }, { score: 4.5 }, { score: '4' }, {}]) assertProblem(await act('citizen1', done, 'rating', body), 422);
    assertProblem(await act('citizen1', done, 'rework', {}), 422);
    assertProblem(await act('manager1', done, 'approve', { approve: false }), 422);
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${done}`)[0][0], 'answered');
  });
});

describe('concurrency', () => {
  test('two managers approving and sending back the same answer at once: one wins, one 409', async () => {
    ctl(['grant', '--esia-oid', 'admin1', '--org', 'demo-admin', '--role', 'manager']);
    try {
      for (let round = 0; round < 5; round++) {
        const id = await send('citizen2'); await accept(id); await assign(id); await answer(id);
        const [a, b] = await Promise.all([
          act('manager1', id, 'approve', { approve: true }),
          act('admin1', id, 'approve', { approve: false, comment: 'Переделать' })]);
        assert.deepEqual([a.status, b.status].sort(), [200, 409], `${a.text} ${b.text}`);
        const winner = a.status === 200 ? 'answered' : 'in_progress';
        assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], winner);
        assert.equal(sql(`SELECT count(*) FROM message_events WHERE message_id = ${id} AND from_status = 'approval'`)[0][0], '1');
      }
    } finally {
      ctl(['grant', '--esia-oid', 'admin1', '--org', 'demo-admin', '--role', 'manager', '--revoke']);
    }
  });

  test('50 parallel assigns: all answered, one consistent state, one event each', async () => {
    const id = await send('citizen3'); await accept(id);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      act('coordinator1', id, 'assign', { executor_id: userId(i % 2 ? 'executor1' : 'coordinator1') })));
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.every((s) => s === 200 || s === 422), statuses.join());
    const succeeded = statuses.filter((s) => s === 200).length;
    assert.equal(succeeded, 25);
    assert.deepEqual(sql(`SELECT status, assignee_id FROM messages WHERE id = ${id}`), [['in_progress', String(userId('executor1'))]]);
    assert.equal(sql(`SELECT count(*) FROM message_events WHERE message_id = ${id} AND to_status = 'in_progress'`)[0][0], String(succeeded));
  });
});

describe('deadlines with a controllable clock', () => {
  test('the scheduler closes an answer left 30 days without rework, not before', async () => {
    const id = await answered('citizen1');
    const returned = await answered('citizen1');
    await ok('citizen1', returned, 'rework', { comment: 'не сделано' }, 'returned');
    ctl(['tick'], { OTKLIK_CLOCK_OFFSET_SECONDS: String(29 * 86400) });
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], 'answered');
    ctl(['tick'], { OTKLIK_CLOCK_OFFSET_SECONDS: String(30 * 86400 + 60) });
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], 'closed');
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${returned}`)[0][0], 'returned');
    assert.deepEqual(sql(`SELECT actor_role, to_status FROM message_events WHERE message_id = ${id} ORDER BY id DESC LIMIT 1`), [['system', 'closed']]);
    const notes = (await api('GET', '/api/v1/my/notifications', { auth: 'citizen1' })).body.items;
    assert.ok(notes.some((n) => n.message_id === id && n.status === 'closed'));
    // the answer can still be rated once after closing
    assert.equal((await act('citizen1', id, 'rating', { score: 2 })).status, 200);
  });

  test('overdue: a worker whose clock runs 11 days ahead lists the 10-day message as overdue', async () => {
    const id = await send('citizen2'); await accept(id); await assign(id);
    const here = await api('GET', `/api/v1/staff/messages?org=demo-admin&overdue=true&limit=200`, { auth: 'coordinator1' });
    assert.ok(!here.body.items.some((m) => m.id === id));
    // a cabinet worker started by hand with the clock moved, spoken to over FastCGI
    const socket = `${process.env.OTKLIK_VAR}/run/cabinet-clock.sock`;
    const { spawn } = await import('node:child_process');
    const worker = spawn(`${process.env.OTKLIK_BIN}/otklik-cabinet`, [], { stdio: 'ignore', env: { ...process.env,
      OTKLIK_LISTEN: socket, OTKLIK_THREADS: '1', OTKLIK_CLOCK_OFFSET_SECONDS: String(11 * 86400) } });
    try {
      const { existsSync } = await import('node:fs');
      for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
      const token = ctl(['token', '--esia-oid', 'coordinator1'], { OTKLIK_CLOCK_OFFSET_SECONDS: String(11 * 86400) }).trim();
      const out = spawnSync('cgi-fcgi', ['-bind', '-connect', socket], { encoding: 'utf8', env: {
        REQUEST_METHOD: 'GET', DOCUMENT_URI: '/api/v1/staff/messages', QUERY_STRING: 'org=demo-admin&overdue=true&limit=200',
        HTTP_AUTHORIZATION: `Bearer ${token}` } });
      const body = JSON.parse(out.stdout.split('\r\n\r\n')[1]);
      const item = body.items.find((m) => m.id === id);
      assert.ok(item, 'the message is not listed as overdue');
      assert.equal(item.overdue, true);
      assert.ok(body.items.every((m) => m.overdue));
    } finally { worker.kill('SIGTERM'); }
  });
});

describe("a citizen's own messages (GET /api/v1/my/messages)", () => {
  test('newest first, page by page, only the caller’s own', async () => {
    const t = freshToken('citizen3');
    const mine = [await send('citizen3'), await send('citizen3'), await send('citizen3')];
    await send('citizen2');
    const seen = [];
    let cursor = '';
    for (let page = 0; page < 100; page++) {
      const res = await api('GET', `/api/v1/my/messages?limit=2${cursor}`, { auth: t });
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map((m) => m.id));
      if (res.body.next_cursor === null) break;
      cursor = `&cursor=${res.body.next_cursor}`;
    }
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first');
    const own = sql(`SELECT id FROM messages WHERE author_id = ${userId('citizen3')} ORDER BY id DESC`).flat().map(Number);
    assert.deepEqual(seen, own);
    assert.ok(mine.every((id) => seen.includes(id)));
  });

  test('no token, a foreign or revoked session: 401, and a bad query is 401 too until the caller is known', async () => {
    assertProblem(await api('GET', '/api/v1/my/messages'), 401);
    assertProblem(await api('GET', '/api/v1/my/messages?limit=abc'), 401);
    assertProblem(await api('GET', '/api/v1/my/messages', { auth: 'not.a.token' }), 401);
    const t = freshToken('citizen3');
    assertProblem(await api('GET', '/api/v1/my/messages?limit=abc', { auth: t }), 400);
    assertProblem(await api('GET', '/api/v1/my/messages?limit=100000', { auth: t }), 400);
    assertProblem(await api('GET', '/api/v1/my/messages?status=nonsense', { auth: t }), 400);
    const jti = JSON.parse(Buffer.from(t.split('.')[1], 'base64url')).jti;
    sql(`UPDATE sessions SET revoked_at = now() WHERE id = '${jti}'`);
    const revoked = await api('GET', '/api/v1/my/messages', { auth: t });
    assertProblem(revoked, 401);
    assert.equal(revoked.body.items, undefined, 'no list with a refusal');
  });
});

describe("the staff's lists (GET /api/v1/staff/messages)", () => {
  test('overdue across the caller’s organisations, newest first, page by page', async () => {
    const late = [];
    for (let i = 0; i < 3; i++) {
      const id = await send('citizen2'); await accept(id); await assign(id);
      late.push(id);
    }
    const onTime = await send('citizen2'); await accept(onTime); await assign(onTime);
    sql(`UPDATE messages SET due_at = now() - interval '1 day' WHERE id IN (${late.join(',')})`);
    const seen = [];
    let cursor = '';
    for (let page = 0; page < 1000; page++) {
      const res = await api('GET', `/api/v1/staff/messages?overdue=true&limit=2${cursor}`, { auth: 'coordinator1' });
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.items.every((m) => m.overdue === true && m.organisation === 'demo-admin'));
      seen.push(...res.body.items.map((m) => m.id));
      if (res.body.next_cursor === null) break;
      cursor = `&cursor=${res.body.next_cursor}`;
    }
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first');
    assert.equal(new Set(seen).size, seen.length, 'no message twice');
    assert.ok(late.every((id) => seen.includes(id)));
    assert.ok(!seen.includes(onTime));
    const expected = sql(`SELECT id FROM messages WHERE organisation_id = (SELECT id FROM organisations WHERE code = 'demo-admin')
      AND status NOT IN ('answered', 'closed', 'rejected') AND due_at < now() ORDER BY id DESC`).flat().map(Number);
    assert.deepEqual(seen, expected);
  });

  test('the full list: the own organisations’ messages and the moderation queue, merged, page by page', async () => {
    const waiting = [await send('citizen2'), await send('citizen2')];
    const registered = await send('citizen2'); await accept(registered, 'demo-cur');
    const moderator = userId('moderator1');
    const truth = (status) => sql(`SELECT m.id FROM messages m WHERE ${status ? `m.status = '${status}' AND ` : ''}(
        m.organisation_id IN (SELECT organisation_id FROM staff_roles WHERE user_id = ${moderator})
        OR (m.status = 'moderation' AND EXISTS (SELECT 1 FROM organisations o JOIN staff_roles s ON s.organisation_id = o.id
          WHERE s.user_id = ${moderator} AND o.is_moderation AND territory_within(m.territory_id, o.territory_id))))
      ORDER BY m.id DESC`).flat().map(Number);
    for (const status of ['', 'moderation', 'registered']) {
      const seen = [];
      let cursor = '';
      for (let page = 0; page < 1000; page++) {
        const res = await api('GET', `/api/v1/staff/messages?limit=3${status && `&status=${status}`}${cursor}`, { auth: 'moderator1' });
        assert.equal(res.status, 200, res.text);
        assert.ok(res.body.items.length <= 3);
        seen.push(...res.body.items.map((m) => m.id));
        if (res.body.next_cursor === null) break;
        cursor = `&cursor=${res.body.next_cursor}`;
      }
      assert.deepEqual(seen, truth(status), `status ${status || 'any'}: every message once, newest first`);
    }
    assert.ok(waiting.every((id) => truth('moderation').includes(id)), 'the queue is in the list');
    assert.ok(truth('registered').includes(registered), "the organisation's own message is in the list");
    const coordinator = await api('GET', '/api/v1/staff/messages?status=moderation&limit=200', { auth: 'coordinator1' });
    assert.deepEqual(coordinator.body.items, [], 'no moderation queue for an organisation that does not moderate');
  });

  test('assignee=me: only the caller’s; the coordinator sees the executor’s message in the full list', async () => {
    const id = await send('citizen2'); await accept(id); await assign(id);
    const executor = await api('GET', '/api/v1/staff/messages?assignee=me&limit=200', { auth: 'executor1' });
    assert.ok(executor.body.items.some((m) => m.id === id));
    assert.ok(executor.body.items.every((m) => m.assignee_id === userId('executor1')));
    const coordinator = await api('GET', '/api/v1/staff/messages?assignee=me&limit=200', { auth: 'coordinator1' });
    assert.ok(!coordinator.body.items.some((m) => m.id === id));
    assert.ok((await api('GET', '/api/v1/staff/messages?limit=200', { auth: 'coordinator1' })).body.items.some((m) => m.id === id));
  });

  test('bad queries: 400 to staff, 401 to whoever is unknown; 403 to a citizen', async () => {
    assertProblem(await api('GET', '/api/v1/staff/messages'), 401);
    assertProblem(await api('GET', '/api/v1/staff/messages?overdue=maybe'), 401);
    assertProblem(await api('GET', '/api/v1/staff/messages?overdue=maybe', { auth: 'coordinator1' }), 400);
    assertProblem(await api('GET', '/api/v1/staff/messages?assignee=someone', { auth: 'coordinator1' }), 400);
    assertProblem(await api('GET', '/api/v1/staff/messages?limit=-1', { auth: 'coordinator1' }), 400);
    assertProblem(await api('GET', '/api/v1/staff/messages?org=no-such-org', { auth: 'coordinator1' }), 404);
    assertProblem(await api('GET', '/api/v1/staff/messages?overdue=true', { auth: 'citizen1' }), 403);
    assertProblem(await api('GET', '/api/v1/staff/messages?org=demo-admin', { auth: 'citizen1' }), 403);
  });
});
