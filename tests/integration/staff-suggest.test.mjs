// staff-suggest.test.mjs - what the staff list and the card add for the
// moderator and the coordinator: a message in moderation carries
// suggested_org, the routing rule's organisation (sql/014, the nearest rule up
// the rubric and territory trees), else the organisation of the widget it was
// written through unless that one moderates, else null; and the list filters
// by assignee (a person's id) besides assignee=me.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { api, assertProblem, cleanText, rubricId, sql, userId } from './helpers.mjs';
import { accept, assign } from './journeys.mjs';

const LIST = '/api/v1/staff/messages';
const NONCE = randomBytes(4).toString('hex');
// territories of this run below the demo city, so that no other rule applies
const RULED = `t-${NONCE}-ruled`;
const BARE = `t-${NONCE}-bare`;

async function send(rubric, territory) {
  const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(rubric), text: cleanText() } });
  assert.equal(res.status, 201, res.text);
  sql(`UPDATE messages SET territory_id = (SELECT id FROM territories WHERE code = '${territory}') WHERE id = ${res.body.id}`);
  return res.body.id;
}

/** The item of message id in who's list (the newest 200). */
async function item(who, id, query = '') {
  const res = await api('GET', `${LIST}?limit=200${query}`, { auth: who });
  assert.equal(res.status, 200, res.text);
  return res.body.items.find((m) => m.id === id);
}

const ids = {};
before(async () => {
  for (const code of [RULED, BARE]) {
    sql(`INSERT INTO territories (code, name, kind, parent_id) SELECT '${code}', 'Тестовый квартал ${code}', 'municipality', id
      FROM territories WHERE code = '99-demograd'`);
  }
  // a rule for the parent rubric: roads-potholes finds it one step up its tree
  sql(`INSERT INTO routing_rules (rubric_id, territory_id, organisation_id)
    SELECT ${rubricId('roads')}, t.id, o.id FROM territories t, organisations o WHERE t.code = '${RULED}' AND o.code = 'demo-roads'`);
  ids.ruled = await send('roads-potholes', RULED);
  ids.widget = await send('roads-potholes', BARE);
  sql(`UPDATE messages SET widget_key = 'demo-widget' WHERE id = ${ids.widget}`);
  ids.bare = await send('roads-potholes', BARE);
  ids.moderationWidget = await send('roads-potholes', BARE);
  sql(`INSERT INTO widgets (key, organisation_id, title) SELECT 'w-${NONCE}', id, 'ЦУР' FROM organisations WHERE code = 'demo-cur'`);
  sql(`UPDATE messages SET widget_key = 'w-${NONCE}' WHERE id = ${ids.moderationWidget}`);
});

after(() => {
  sql(`DELETE FROM routing_rules WHERE territory_id IN (SELECT id FROM territories WHERE code IN ('${RULED}', '${BARE}'))`);
});

test('a message in moderation suggests the routing rule\'s organisation, in the list and on the card', async () => {
  const listed = await item('moderator1', ids.ruled);
  assert.deepEqual(listed.suggested_org, { code: 'demo-roads', name: 'Управление дорожного хозяйства г. Демоград' });
  assert.deepEqual(listed.territory, { code: RULED, name: `Тестовый квартал ${RULED}` });
  const card = await api('GET', `/api/v1/messages/${ids.ruled}`, { auth: 'moderator1' });
  assert.equal(card.status, 200, card.text);
  assert.deepEqual(card.body.suggested_org, listed.suggested_org);
});

test('without a rule, the widget\'s organisation; a moderation organisation\'s widget or none: null', async () => {
  assert.equal((await item('moderator1', ids.widget)).suggested_org.code, 'demo-admin');
  assert.equal((await item('moderator1', ids.bare)).suggested_org, null);
  assert.equal((await item('moderator1', ids.moderationWidget)).suggested_org, null);
  assert.equal((await api('GET', `/api/v1/messages/${ids.bare}`, { auth: 'moderator1' })).body.suggested_org, null);
});

test('once accepted, a message suggests nothing; the citizen never sees a suggestion', async () => {
  const mine = await api('GET', `/api/v1/messages/${ids.ruled}`, { auth: 'citizen1' });
  assert.equal(mine.body.suggested_org, null);
  await accept(ids.widget);
  assert.equal((await item('coordinator1', ids.widget)).suggested_org, null);
});

test('the list filters by assignee: a person\'s id, checked', async () => {
  await accept(ids.bare);
  await assign(ids.bare, 'executor1');
  const executor = userId('executor1');
  const res = await api('GET', `${LIST}?org=demo-admin&assignee=${executor}&limit=200`, { auth: 'coordinator1' });
  assert.equal(res.status, 200, res.text);
  assert.ok(res.body.items.some((m) => m.id === ids.bare));
  assert.ok(!res.body.items.some((m) => m.id === ids.widget), 'an unassigned message is left out');
  assert.ok(res.body.items.every((m) => m.assignee_id === executor));
  const other = await api('GET', `${LIST}?org=demo-admin&assignee=${userId('coordinator1')}`, { auth: 'coordinator1' });
  assert.ok(!other.body.items.some((m) => m.id === ids.bare));
  const zero = await api('GET', `${LIST}?assignee=0`, { auth: 'coordinator1' });
  assertProblem(zero, 422);
  assert.deepEqual(zero.body.errors, [{ field: 'assignee', code: 'out_of_range' }]);
  assertProblem(await api('GET', `${LIST}?assignee=someone`, { auth: 'coordinator1' }), 400);
});
