// staff-notifications.test.mjs - what the staff are told (GET
// /api/v1/staff/notifications: assigned, waiting for approval, returned, due
// within 24 hours, overdue), marking read for the staff and the citizens, and
// what the citizen sees of an assignment and a rejection. Every test makes
// its own messages.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, freshToken, sql, userId } from './helpers.mjs';
import { accept, act, answer, answered, assign, ctl, ok, send } from './journeys.mjs';

const feed = async (who, path = '/api/v1/staff/notifications?limit=100') => {
  const res = await api('GET', path, { auth: who });
  assert.equal(res.status, 200, res.text);
  assert.equal(typeof res.body.unread, 'number', res.text);
  return res.body;
};
/** who's staff notifications about message id, oldest first. */
const about = async (who, id) => (await feed(who)).items.filter((n) => n.message_id === id).reverse();
const kinds = async (who, id) => (await about(who, id)).map((n) => n.kind);

describe('staff notifications come with the transitions', () => {
  test('executor1 is told of an assignment, the coordinator is not', async () => {
    const id = await send('citizen1'); await accept(id); await assign(id);
    const [note] = await about('executor1', id);
    assert.equal(note.kind, 'assigned');
    assert.equal(note.read, false);
    assert.match(note.title, new RegExp(`№ ${id}`));
    assert.ok(!Number.isNaN(Date.parse(note.created_at)));
    assert.deepEqual(await kinds('coordinator1', id), []);
  });

  test('manager1 is told of an answer and of a redirect waiting for approval; the proposer is not', async () => {
    const id = await send('citizen1'); await accept(id); await assign(id); await answer(id);
    assert.deepEqual(await kinds('manager1', id), ['approval']);
    assert.deepEqual(await kinds('executor1', id), ['assigned']);
    assert.deepEqual(await kinds('manager2', id), [], 'a manager of another organisation');
    const moved = await send('citizen1'); await accept(moved);
    await ok('coordinator1', moved, 'redirect', { org: 'demo-roads', comment: 'не наше' }, 'redirect_approval');
    assert.deepEqual(await kinds('manager1', moved), ['approval']);
  });

  test('executor1 is told when the citizen returns the answer for rework, and when the manager sends it back', async () => {
    const id = await answered('citizen1');
    await ok('citizen1', id, 'rework', { comment: 'Яма на месте' }, 'returned');
    assert.deepEqual(await kinds('executor1', id), ['assigned', 'returned']);
    await answer(id);
    await ok('manager1', id, 'approve', { approve: false, comment: 'Добавьте сроки' }, 'in_progress');
    assert.deepEqual(await kinds('executor1', id), ['assigned', 'returned', 'returned']);
  });

  test('due within 24 hours and overdue: told once each by the scheduler', async () => {
    const id = await send('citizen2'); await accept(id);
    const due = Date.parse((await assign(id)).due_at);
    const offset = (ms) => ({ OTKLIK_CLOCK_OFFSET_SECONDS: String(Math.round((due - Date.now() + ms) / 1000)) });
    ctl(['tick'], offset(-48 * 3600e3));
    assert.deepEqual(await kinds('executor1', id), ['assigned']);
    ctl(['tick'], offset(-12 * 3600e3));
    ctl(['tick'], offset(-11 * 3600e3));
    assert.deepEqual(await kinds('executor1', id), ['assigned', 'due_soon']);
    ctl(['tick'], offset(3600e3));
    ctl(['tick'], offset(2 * 3600e3));
    assert.deepEqual(await kinds('executor1', id), ['assigned', 'due_soon', 'overdue']);
    assert.deepEqual(await kinds('coordinator1', id), []);
  });
});

describe('reading staff notifications', () => {
  test('read and read-all change unread; another person\'s notification is 404', async () => {
    const token = freshToken('executor1');
    const id = await send('citizen3'); await accept(id); await assign(id);
    const before = await feed(token);
    assert.ok(before.unread >= 1);
    const note = before.items.find((n) => n.message_id === id);
    const read = await api('POST', `/api/v1/staff/notifications/${note.id}/read`, { auth: token });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.unread, before.unread - 1);
    const after = await feed(token);
    assert.equal(after.unread, before.unread - 1);
    assert.equal(after.items.find((n) => n.id === note.id).read, true);
    const again = await api('POST', `/api/v1/staff/notifications/${note.id}/read`, { auth: token });
    assert.equal(again.body.unread, after.unread, 'reading twice changes nothing');

    assertProblem(await api('POST', `/api/v1/staff/notifications/${note.id}/read`, { auth: 'manager1' }), 404);
    assertProblem(await api('POST', '/api/v1/staff/notifications/999999999999/read', { auth: token }), 404);
    const other = await send('citizen3'); await accept(other); await assign(other);
    assert.equal((await feed(token)).unread, after.unread + 1);
    const all = await api('POST', '/api/v1/staff/notifications/read-all', { auth: token });
    assert.equal(all.status, 200, all.text);
    assert.equal(all.body.unread, 0);
    const none = await feed(token);
    assert.equal(none.unread, 0);
    assert.ok(none.items.every((n) => n.read));
    assert.equal(sql(`SELECT count(*) FROM staff_notifications WHERE user_id = ${userId('executor1')} AND read_at IS NULL`)[0][0], '0');
  });

  test('pages newest first; citizens and strangers are turned away', async () => {
    const id = await send('citizen3'); await accept(id); await assign(id); await answer(id);
    const seen = [];
    let cursor = '';
    for (let page = 0; page < 50; page++) {
      const body = await feed('manager1', `/api/v1/staff/notifications?limit=2${cursor}`);
      assert.ok(body.items.length <= 2);
      seen.push(...body.items.map((n) => n.id));
      if (body.next_cursor === null) break;
      cursor = `&cursor=${body.next_cursor}`;
    }
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a));
    assert.equal(seen.length, Number(sql(`SELECT count(*) FROM staff_notifications WHERE user_id = ${userId('manager1')}`)[0][0]));
    assertProblem(await api('GET', '/api/v1/staff/notifications'), 401);
    assertProblem(await api('GET', '/api/v1/staff/notifications', { auth: 'citizen1' }), 403);
    assertProblem(await api('GET', '/api/v1/staff/notifications?limit=0', { auth: 'manager1' }), 400);
    assertProblem(await api('POST', '/api/v1/staff/notifications/read-all'), 401);
  });
});

describe("a citizen's notifications: read and read-all", () => {
  test('read, unread and another person\'s notification', async () => {
    const token = freshToken('citizen3');
    const id = await send('citizen3'); await accept(id); await assign(id);
    const before = await feed(token, '/api/v1/my/notifications?limit=100');
    const mine = before.items.filter((n) => n.message_id === id);
    assert.equal(mine.length, 2);
    assert.ok(mine.every((n) => n.read === false));
    assert.ok(before.unread >= 2);
    const read = await api('POST', `/api/v1/my/notifications/${mine[0].id}/read`, { auth: token });
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.unread, before.unread - 1);
    const after = await feed(token, '/api/v1/my/notifications?limit=100');
    assert.equal(after.unread, before.unread - 1);
    assert.equal(after.items.find((n) => n.id === mine[0].id).read, true);
    assertProblem(await api('POST', `/api/v1/my/notifications/${mine[1].id}/read`, { auth: 'citizen2' }), 404);
    assertProblem(await api('POST', `/api/v1/staff/notifications/${mine[1].id}/read`, { auth: 'citizen3' }), 404);
    const all = await api('POST', '/api/v1/my/notifications/read-all', { auth: token });
    assert.equal(all.status, 200, all.text);
    assert.equal(all.body.unread, 0);
    assert.equal((await feed(token, '/api/v1/my/notifications')).unread, 0);
    assertProblem(await api('POST', '/api/v1/my/notifications/read-all'), 401);
  });
});

describe('what the citizen sees', () => {
  test("the coordinator's assignment comment is internal: not shown to the citizen", async () => {
    const id = await send('citizen1'); await accept(id);
    await assign(id, 'executor1', 'coordinator1', 'Срочно: выезд бригады до пятницы');
    const mine = await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen1' });
    assert.equal(mine.status, 200);
    assert.ok(!mine.text.includes('выезд бригады'), 'the assignment comment leaked to the citizen');
    assert.ok(mine.body.events.some((e) => e.to === 'in_progress'), 'the citizen still sees the message went to work');
    const staff = await api('GET', `/api/v1/messages/${id}`, { auth: 'executor1' });
    assert.equal(staff.body.events.find((e) => e.to === 'in_progress').comment, 'Срочно: выезд бригады до пятницы');
  });

  test("the citizen sees the rejection reason's title and the moderator's public comment", async () => {
    const id = await send('citizen3');
    await ok('moderator1', id, 'moderate', { decision: 'reject', reason_code: 5, comment: 'Ссылка на магазин' }, 'rejected');
    const mine = await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen3' });
    assert.equal(mine.body.rejection_reason, 5);
    assert.deepEqual(mine.body.rejection, { reason_code: 5, reason_title: 'Реклама, спам, ссылки, не по теме', comment: 'Ссылка на магазин' });
    const event = mine.body.events.at(-1);
    assert.equal(event.reason_title, 'Реклама, спам, ссылки, не по теме');
    assert.equal(event.comment, 'Ссылка на магазин');
    const note = (await feed('citizen3', '/api/v1/my/notifications?limit=100')).items.find((n) => n.message_id === id);
    assert.match(note.title, /Реклама, спам, ссылки, не по теме/);
    const accepted = await send('citizen3'); await accept(accepted);
    assert.equal((await api('GET', `/api/v1/messages/${accepted}`, { auth: 'citizen3' })).body.rejection, null);
  });

  test('every reason code has its title', async () => {
    const titles = sql('SELECT code, title FROM rejection_reasons ORDER BY code');
    assert.equal(titles.length, 10);
    const id = await send('citizen2');
    await ok('moderator1', id, 'moderate', { decision: 'reject', reason_code: 10, comment: 'Напишите в поддержку' }, 'rejected');
    assert.equal((await act('citizen2', id, 'rework', { comment: 'x' })).status, 409);
    assert.equal((await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen2' })).body.rejection.reason_title, 'Техническая поддержка портала');
  });
});
