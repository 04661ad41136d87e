// staff-counts.test.mjs - GET /api/v1/staff/counts?org=: each work queue's
// count equals what SQL counts, for an ordinary organisation (coordinator1,
// manager1, executor1) and a moderation one (moderator1), and moves with
// fresh messages; a queue over the cap says so; another organisation is 404,
// a citizen 403.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { api, assertProblem, freshToken, rubricId, sql } from './helpers.mjs';
import { accept, answer, assign, ok, send } from './journeys.mjs';

const CAP = 1000;
const QUEUES = ['moderation', 'to_assign', 'mine', 'approval', 'redirects', 'overdue'];

const counts = async (who, org) => {
  const res = await api('GET', `/api/v1/staff/counts?org=${org}`, { auth: who });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.org, org);
  assert.deepEqual(Object.keys(res.body.counts).sort(), [...QUEUES].sort());
  return res.body;
};

const OPEN = "m.status NOT IN ('answered', 'closed', 'rejected')";
/** The queues of org for the person oid, counted plainly in SQL. */
function truth(org, oid) {
  const [row] = sql(`WITH o AS (SELECT id, territory_id, is_moderation FROM organisations WHERE code = '${org}'),
      u AS (SELECT id FROM users WHERE esia_oid = '${oid}')
    SELECT
      (SELECT count(*) FROM messages m, o WHERE o.is_moderation AND m.status = 'moderation'
         AND territory_within(m.territory_id, o.territory_id)),
      (SELECT count(*) FROM messages m, o WHERE m.organisation_id = o.id AND m.status = 'registered'),
      (SELECT count(*) FROM messages m, o, u WHERE m.organisation_id = o.id AND m.assignee_id = u.id AND ${OPEN}),
      (SELECT count(*) FROM messages m, o WHERE m.organisation_id = o.id AND m.status = 'approval'),
      (SELECT count(*) FROM messages m, o WHERE m.organisation_id = o.id AND m.status = 'redirect_approval'),
      (SELECT count(*) FROM messages m, o WHERE m.organisation_id = o.id AND ${OPEN} AND m.due_at < otklik_now())`);
  const all = Object.fromEntries(QUEUES.map((q, i) => [q, Number(row[i])]));
  return {
    counts: Object.fromEntries(QUEUES.map((q) => [q, Math.min(all[q], CAP)])),
    capped: QUEUES.filter((q) => all[q] > CAP),
  };
}

const assertTruth = async (who, org) => {
  const body = await counts(who, org);
  const expected = truth(org, who);
  assert.deepEqual(body.counts, expected.counts, `${who} in ${org}`);
  assert.deepEqual([...body.capped].sort(), [...expected.capped].sort());
  assert.equal(body.cap, CAP);
  return body;
};

describe('queue counts equal the messages in each queue', () => {
  test('demo-admin for coordinator1, manager1 and executor1, after fresh messages in every queue', async () => {
    const before = await counts('executor1', 'demo-admin');
    const registered = await send('citizen1'); await accept(registered);
    const working = await send('citizen2'); await accept(working); await assign(working);
    const approving = await send('citizen3'); await accept(approving); await assign(approving); await answer(approving);
    const moving = await send('citizen1'); await accept(moving);
    await ok('coordinator1', moving, 'redirect', { org: 'demo-roads', comment: 'не наше' }, 'redirect_approval');
    sql(`UPDATE messages SET due_at = otklik_now() - interval '1 hour' WHERE id = ${working}`);
    await send('citizen2'); // in moderation: not demo-admin's queue

    for (const who of ['coordinator1', 'manager1', 'executor1']) await assertTruth(who, 'demo-admin');
    const after = await counts('executor1', 'demo-admin');
    const moved = { to_assign: 1, mine: 2, approval: 1, redirects: 1, overdue: 1, moderation: 0 };
    for (const [queue, by] of Object.entries(moved)) {
      if (after.capped.includes(queue)) continue;
      assert.equal(after.counts[queue], before.counts[queue] + by, queue);
    }
  });

  test('demo-cur for moderator1: the moderation queue of its territories', async () => {
    const before = await assertTruth('moderator1', 'demo-cur');
    await send('citizen1');
    const after = await assertTruth('moderator1', 'demo-cur');
    if (!after.capped.includes('moderation')) assert.equal(after.counts.moderation, before.counts.moderation + 1);
  });
});

describe('a queue over the cap', () => {
  test('counts stop at the cap and the queue is named in capped', async () => {
    const tag = `counts-${randomBytes(4).toString('hex')}`;
    sql(`INSERT INTO organisations (code, name, territory_id)
           SELECT '${tag}', 'Проверка счётчиков', id FROM territories WHERE code = '99-demograd';
         INSERT INTO users (esia_oid, name) VALUES ('${tag}', 'Счётчиков Пётр');
         INSERT INTO staff_roles (user_id, organisation_id, role)
           SELECT u.id, o.id, 'coordinator' FROM users u, organisations o WHERE u.esia_oid = '${tag}' AND o.code = '${tag}';
         INSERT INTO messages (author_id, rubric_id, text, status, territory_id, organisation_id, due_at)
           SELECT u.id, ${rubricId()}, 'Сообщение ' || g, CASE WHEN g <= ${CAP + 1} THEN 'registered' ELSE 'approval' END,
                  o.territory_id, o.id, otklik_now() + interval '1 day'
           FROM generate_series(1, ${CAP + 4}) g, users u, organisations o WHERE u.esia_oid = '${tag}' AND o.code = '${tag}';`);
    const body = await counts(freshToken(tag), tag);
    assert.deepEqual(body.counts, { moderation: 0, to_assign: CAP, mine: 0, approval: 3, redirects: 0, overdue: 0 });
    assert.deepEqual(body.capped, ['to_assign']);
    sql(`UPDATE messages SET due_at = otklik_now() - interval '1 day'
           WHERE organisation_id = (SELECT id FROM organisations WHERE code = '${tag}')`);
    const overdue = await counts(freshToken(tag), tag);
    assert.equal(overdue.counts.overdue, CAP);
    assert.deepEqual([...overdue.capped].sort(), ['overdue', 'to_assign']);
  });
});

describe('who may count', () => {
  test('another organisation and an unknown one are 404, a citizen 403, no one 401, no org 422', async () => {
    assertProblem(await api('GET', '/api/v1/staff/counts?org=demo-roads', { auth: 'coordinator1' }), 404);
    assertProblem(await api('GET', '/api/v1/staff/counts?org=demo-admin', { auth: 'moderator1' }), 404);
    assertProblem(await api('GET', '/api/v1/staff/counts?org=no-such-org', { auth: 'coordinator1' }), 404);
    assertProblem(await api('GET', '/api/v1/staff/counts?org=demo-admin', { auth: 'citizen1' }), 403);
    assertProblem(await api('GET', '/api/v1/staff/counts?org=demo-admin'), 401);
    const bare = await api('GET', '/api/v1/staff/counts', { auth: 'coordinator1' });
    assertProblem(bare, 422);
    assert.deepEqual(bare.body.errors, [{ field: 'org', code: 'required' }]);
  });
});
