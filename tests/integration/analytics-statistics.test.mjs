// analytics-statistics.test.mjs - GET /api/v1/analytics/summary, /series and
// /orgs (modules/analytics) against direct SQL over the messages: a generated
// data set with known answers in organisations of its own (so that other
// tests' messages never count), an empty period, a single message, ties for
// medians; who may read what; the aggregates kept by triggers equal to a
// rebuild from the messages; a real lifecycle through the API counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, sql } from './helpers.mjs';
import { fixture, scalar, num } from './analytics-fixture.mjs';

const f = fixture();
const P = { from: '2025-03-01', to: '2025-03-10' };
const q = (params) => '?' + new URLSearchParams(params).toString();
const summary = (who, params = P) => api('GET', `/api/v1/analytics/summary${q(params)}`, { auth: f.token(who) });

/* The direct computations: messages of the organisations (ids) or the
 * territory, sent / events happened between from and to (days, inclusive). */
function expected({ orgs, territory, from = P.from, to = P.to }) {
  const scope = orgs ? `m.organisation_id IN (${orgs.join(',')})` : `m.territory_id = ${territory}`;
  const sent = `${scope} AND m.created_at >= '${from}' AND m.created_at < '${to}'::date + 1`;
  const at = (t) => `${t} >= '${from}' AND ${t} < '${to}'::date + 1`;
  const answers = `SELECT e.*, m.due_at, m.created_at AS sent_at, row_number() OVER (PARTITION BY e.message_id ORDER BY e.id) AS round
    FROM message_events e JOIN messages m ON m.id = e.message_id WHERE ${scope} AND e.to_status = 'answered'`;
  const share = (a, b) => `CASE WHEN (${b}) > 0 THEN round((${a})::numeric / (${b}), 4) END`;
  const received = `(SELECT count(*) FROM messages m WHERE ${sent})`;
  const answered = `(SELECT count(*) FROM (${answers}) a WHERE ${at('a.created_at')})`;
  const onTime = `(SELECT count(*) FROM (${answers}) a WHERE ${at('a.created_at')} AND a.created_at <= a.due_at)`;
  const overdue = `(SELECT count(*) FROM messages m WHERE ${sent} AND m.status NOT IN ('moderation', 'answered', 'closed', 'rejected') AND m.due_at < now())`;
  const reworks = `(SELECT count(*) FROM message_events e JOIN messages m ON m.id = e.message_id WHERE ${scope} AND e.from_status = 'answered' AND e.to_status = 'returned' AND ${at('e.created_at')})`;
  const tta = (p) => `(SELECT percentile_cont(${p}) WITHIN GROUP (ORDER BY extract(epoch FROM a.created_at - a.sent_at) / 60) FROM (${answers}) a WHERE a.round = 1 AND ${at('a.created_at')})`;
  const ratings = `SELECT r.score FROM message_ratings r JOIN messages m ON m.id = r.message_id WHERE ${scope} AND ${at('r.created_at')}`;
  const row = sql(`SELECT ${received}, ${overdue}, ${share(overdue, received)}, ${answered}, ${onTime}, ${share(onTime, answered)},
      ${tta(0.5)}, ${tta(0.9)}, (SELECT count(*) FROM (${ratings}) r), (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY score) FROM (${ratings}) r),
      ${reworks}, ${share(reworks, answered)},
      (SELECT json_object_agg(status, n) FROM (SELECT m.status, count(*) AS n FROM messages m WHERE ${sent} GROUP BY 1) s),
      (SELECT json_object_agg(score, n) FROM (SELECT score, count(*) AS n FROM (${ratings}) r GROUP BY 1) s),
      (SELECT count(*) FROM (SELECT 1 FROM (${answers}) a WHERE a.round = 1 AND ${at('a.created_at')}) x)`)[0];
  const n = (v) => (v === '' ? null : Number(v));
  return {
    received: n(row[0]), overdue: { count: n(row[1]), share: n(row[2]) }, answered: n(row[3]), answered_on_time: n(row[4]),
    on_time_share: n(row[5]), median: n(row[6]), p90: n(row[7]), ratings: n(row[8]), rating_median: n(row[9]),
    reworks: n(row[10]), rework_rate: n(row[11]), by_status: JSON.parse(row[12] || '{}'), distribution: JSON.parse(row[13] || '{}'),
    answers: n(row[14]),
  };
}

function assertSummary(body, want) {
  assert.equal(body.received, want.received, 'received');
  for (const [status, n] of Object.entries(body.by_status)) assert.equal(n, want.by_status[status] ?? 0, `by_status.${status}`);
  assert.equal(Object.values(body.by_status).reduce((a, b) => a + b, 0), want.received);
  assert.deepEqual(body.overdue, want.overdue, 'overdue');
  assert.equal(body.answered, want.answered, 'answered');
  assert.equal(body.answered_on_time, want.answered_on_time, 'answered_on_time');
  assert.equal(body.on_time_share, want.on_time_share, 'on_time_share');
  assert.equal(body.time_to_answer.answers, want.answers, 'answers timed');
  assert.equal(body.time_to_answer.median_minutes, want.median, 'median');
  assert.equal(body.time_to_answer.p90_minutes, want.p90, 'p90');
  assert.equal(body.satisfaction.ratings, want.ratings, 'ratings');
  assert.equal(body.satisfaction.median, want.rating_median, 'rating median');
  for (let s = 1; s <= 5; s++) assert.equal(body.satisfaction.distribution[s], want.distribution[s] ?? 0, `rating ${s}`);
  assert.equal(body.reworks, want.reworks, 'reworks');
  assert.equal(body.rework_rate, want.rework_rate, 'rework_rate');
}

test('the summary of an organisation equals the direct computation over its messages', async () => {
  const res = await summary('curA');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.from, P.from);
  assert.equal(res.body.to, P.to);
  const want = expected({ orgs: [f.A] });
  assert.ok(want.received > 10 && want.answered > 3 && want.ratings > 3 && want.reworks > 0 && want.overdue.count > 0,
    'the data set exercises every figure');
  assertSummary(res.body, want);
  // the generated times to answer tie: the median falls on a repeated value
  assert.ok(Number.isFinite(res.body.time_to_answer.median_minutes));
});

test('whole months (monthly rows) and the days around them add up as the messages do', async () => {
  for (const period of [{ from: '2025-03-01', to: '2025-03-31' }, { from: '2025-02-15', to: '2025-04-10' },
    { from: '2025-01-01', to: '2025-12-31' }, { from: '2025-03-05', to: '2025-04-01' }]) {
    const res = await summary('curA', period);
    assert.equal(res.status, 200, res.text);
    assertSummary(res.body, expected({ orgs: [f.A], ...period }));
    const m = await summary('modM', period);
    assertSummary(m.body, expected({ territory: f.T, ...period }));
  }
});

test('a manager reads his organisation; a moderation organisation its territory and below', async () => {
  const b = await summary('manB');
  assert.equal(b.status, 200, b.text);
  assertSummary(b.body, expected({ orgs: [f.B] }));
  const m = await summary('modM');
  assert.equal(m.status, 200, m.text);
  assertSummary(m.body, expected({ territory: f.T }));
  assert.ok(m.body.by_status.moderation > 0, 'the moderation queue of the territory counts');
  const onlyA = await summary('modM', { ...P, org: f.codes.A });
  assertSummary(onlyA.body, expected({ orgs: [f.A] }));
});

test('another organisation is 404; no right to statistics is 403; no caller 401', async () => {
  assertProblem(await summary('curA', { ...P, org: f.codes.B }), 404);
  assertProblem(await summary('curA', { ...P, org: f.codes.C }), 404);
  assertProblem(await summary('modM', { ...P, org: f.codes.C }), 404);
  assertProblem(await summary('curA', { ...P, org: 'no-such-org' }), 404);
  assertProblem(await summary('curC', { ...P, org: f.codes.A }), 404);
  assertProblem(await summary('execA'), 403);
  assertProblem(await api('GET', '/api/v1/analytics/summary', { auth: 'citizen1' }), 403);
  assertProblem(await api('GET', '/api/v1/analytics/orgs'), 401);
  for (const path of ['summary', 'series', 'orgs']) assertProblem(await api('GET', `/api/v1/analytics/${path}`, { auth: f.token('execA') }), 403);
  // a territory outside the caller's counts nothing
  const outside = await summary('curA', { ...P, territory: f.codes.R2 });
  assert.equal(outside.status, 200);
  assert.equal(outside.body.received, 0);
  // C's curator sees C's messages only
  const c = await summary('curC');
  assertSummary(c.body, expected({ orgs: [f.C] }));
});

test('bad periods and slices are 422 with the field; channel is accepted (ignored)', async () => {
  for (const [params, field] of [[{ from: '2025-02-30' }, 'from'], [{ to: 'tomorrow' }, 'to'], [{ from: '2025-03-10', to: '2025-03-01' }, 'from'],
    [{ from: '2020-01-01', to: '2025-01-01' }, 'from'], [{ rubric: 'abc' }, 'rubric'], [{ territory: 'no-such-place' }, 'territory'],
    [{ rubric: '999999999' }, 'rubric'], [{ channel: 'Robert\'); DROP' }, 'channel']]) {
    const res = await summary('curA', params);
    assertProblem(res, 422);
    assert.equal(res.body.errors[0].field, field, JSON.stringify(params));
  }
  const res = await summary('curA', { ...P, channel: 'vk' });
  assertSummary(res.body, expected({ orgs: [f.A] }));
});

test('an empty period: zeros, no medians, no shares; the series has every day', async () => {
  const empty = { from: '2024-01-01', to: '2024-01-05' };
  const res = await summary('curA', empty);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.received, 0);
  assert.equal(res.body.time_to_answer.median_minutes, null);
  assert.equal(res.body.satisfaction.median, null);
  assert.equal(res.body.on_time_share, null);
  assert.equal(res.body.overdue.share, null);
  assert.deepEqual(res.body.top_rubrics, []);
  const series = await api('GET', `/api/v1/analytics/series${q(empty)}`, { auth: f.token('curA') });
  assert.equal(series.body.days.length, 5);
  assert.ok(series.body.days.every((d) => d.received === 0 && d.answered === 0));
  const orgs = await api('GET', `/api/v1/analytics/orgs${q(empty)}`, { auth: f.token('curA') });
  assert.deepEqual(orgs.body.items, []);
});

test('a single message: its own time to answer is the median and the 90th percentile', async () => {
  const one = { from: '2025-04-01', to: '2025-04-01' };
  const res = await summary('curA', one);
  assert.equal(res.body.received, 1);
  assert.equal(res.body.time_to_answer.median_minutes, 35);
  assert.equal(res.body.time_to_answer.p90_minutes, 35);
  assert.equal(res.body.satisfaction.median, 5);
  assertSummary(res.body, expected({ orgs: [f.A], ...one }));
});

test('the series counts each day as the messages do', async () => {
  const res = await api('GET', `/api/v1/analytics/series${q(P)}`, { auth: f.token('curA') });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.days.length, 10);
  const perDay = new Map(sql(`SELECT to_char(d, 'YYYY-MM-DD'),
      (SELECT count(*) FROM messages m WHERE m.organisation_id = ${f.A} AND m.created_at >= d AND m.created_at < d + interval '1 day'),
      (SELECT count(*) FROM message_events e JOIN messages m ON m.id = e.message_id WHERE m.organisation_id = ${f.A}
        AND e.to_status = 'answered' AND e.created_at >= d AND e.created_at < d + interval '1 day'),
      (SELECT count(*) FROM message_ratings r JOIN messages m ON m.id = r.message_id WHERE m.organisation_id = ${f.A}
        AND r.created_at >= d AND r.created_at < d + interval '1 day')
    FROM generate_series('${P.from}'::timestamptz, '${P.to}', interval '1 day') d`).map((r) => [r[0], r.slice(1).map(Number)]));
  for (const day of res.body.days) {
    assert.deepEqual([day.received, day.answered, day.ratings], perDay.get(day.day), day.day);
  }
});

test('the organisations of a territory, each equal to its direct computation; top rubrics with their trend', async () => {
  const res = await api('GET', `/api/v1/analytics/orgs${q(P)}`, { auth: f.token('modM') });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.items.map((i) => i.org).sort(), [f.codes.A, f.codes.B].sort());
  for (const item of res.body.items) {
    const want = expected({ orgs: [item.org === f.codes.A ? f.A : f.B] });
    assert.equal(item.received, want.received);
    assert.equal(item.overdue, want.overdue.count);
    assert.equal(item.overdue_share, want.overdue.share);
    assert.equal(item.answered, want.answered);
    assert.equal(item.on_time_share, want.on_time_share);
    assert.equal(item.median_minutes, want.median);
    assert.equal(item.p90_minutes, want.p90);
    assert.equal(item.rating_median, want.rating_median);
    assert.equal(item.rework_rate, want.rework_rate);
  }
  // the most overdue first
  assert.ok(res.body.items[0].overdue >= res.body.items.at(-1).overdue);
  const s = await summary('curA');
  const trend = sql(`SELECT m.rubric_id, count(*) FILTER (WHERE m.created_at >= '${P.from}'),
      count(*) FILTER (WHERE m.created_at < '${P.from}')
    FROM messages m WHERE m.organisation_id = ${f.A} AND m.created_at >= '2025-02-19' AND m.created_at < '2025-03-11'
    GROUP BY 1 HAVING count(*) FILTER (WHERE m.created_at >= '${P.from}') > 0 ORDER BY 2 DESC, 1`).map((r) => r.map(Number));
  assert.deepEqual(s.body.top_rubrics.map((r) => [r.rubric_id, r.received, r.previous]), trend);
  assert.ok(s.body.top_rubrics.some((r) => r.previous > 0 && r.change_percent !== null), 'a rubric with a previous period');
});

test('a rubric slice takes the rubric and its descendants', async () => {
  const parent = scalar(`SELECT parent_id FROM rubrics WHERE id = ${f.rubrics[0]}`);
  const res = await summary('curA', { ...P, rubric: parent });
  const want = num(`SELECT count(*) FROM messages m JOIN rubrics r ON r.id = m.rubric_id WHERE m.organisation_id = ${f.A}
    AND (r.id = ${parent} OR r.parent_id = ${parent}) AND m.created_at >= '${P.from}' AND m.created_at < '2025-03-11'`);
  assert.equal(res.body.received, want);
  assert.ok(want > 0 && want < res.body.received + 1000);
});

test('a lifecycle through the API is counted as it happens (in the transition\'s transaction)', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const period = { from: today, to: today };
  const before = (await summary('curA', period)).body;
  const sent = await api('POST', '/api/v1/messages', { auth: f.token('citizen'), body: { rubric_id: f.rubrics[0], text: 'Просим разобраться с ямой у дома номер пять, она опасна' } });
  assert.equal(sent.status, 201, sent.text);
  const id = sent.body.id;
  const step = async (who, action, body) => {
    const r = await api('POST', `/api/v1/messages/${id}/${action}`, { auth: f.token(who), body });
    assert.equal(r.status, 200, `${action}: ${r.text}`);
  };
  await step('modM', 'moderate', { decision: 'accept', org: f.codes.A });
  await step('coordA', 'assign', { executor_id: f.users.execA });
  await step('execA', 'answer', { text: 'Яму заделали, спасибо за сообщение.' });
  await step('manA', 'approve', { approve: true });
  await step('citizen', 'rating', { score: 4 });
  const after = (await summary('curA', period)).body;
  assert.equal(after.received, before.received + 1);
  assert.equal(after.accepted, before.accepted + 1);
  assert.equal(after.answered, before.answered + 1);
  assert.equal(after.answered_on_time, before.answered_on_time + 1);
  assert.equal(after.satisfaction.distribution[4], before.satisfaction.distribution[4] + 1);
  assert.equal(after.by_status.closed, before.by_status.closed + 1);
  assert.equal(after.time_to_answer.answers, before.time_to_answer.answers + 1);
});

test('the aggregates kept by the triggers equal a rebuild from the messages, before and after the tick folds them', () => {
  const facts = () => sql(`SELECT day, organisation_id, territory_id, rubric_id, measure, value, sum(count)
    FROM analytics_current WHERE territory_id IN (${f.T}, ${f.R2}) GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`)
    .map((r) => r.join(' '));
  // sql/047's areas: T's and R2's facts under each of them and each territory above
  const areas = () => sql(`SELECT day, territory_id, rubric_id, measure, value, sum(count)
    FROM analytics_area_current WHERE territory_id IN (${f.T}, ${f.R2}) GROUP BY 1, 2, 3, 4, 5 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4, 5`)
    .map((r) => r.join(' '));
  const summed = () => sql(`SELECT f.day, t.id, f.rubric_id, f.measure, f.value, sum(f.count)
    FROM analytics_current f JOIN territories t ON t.id IN (${f.T}, ${f.R2}) AND territory_within(f.territory_id, t.id)
    GROUP BY 1, 2, 3, 4, 5 HAVING sum(f.count) <> 0 ORDER BY 1, 2, 3, 4, 5`).map((r) => r.join(' '));
  f.ctl(['tick']); // closes the answers older than 30 days: the state is then still
  const kept = facts();
  assert.deepEqual(areas(), summed(), 'the areas sum the facts');
  assert.ok(kept.length > 50);
  sql(`INSERT INTO analytics_deltas (day, organisation_id, territory_id, rubric_id, measure, value, count)
    VALUES ('2025-03-01', ${f.A}, ${f.T}, ${f.rubrics[0]}, 'received', 0, 0)`);
  f.ctl(['tick']);
  assert.equal(num('SELECT count(*) FROM analytics_deltas WHERE territory_id = ' + f.T), 0, 'the tick folded the deltas');
  assert.deepEqual(facts(), kept, 'folding changes nothing');
  sql('SELECT analytics_rebuild()');
  assert.deepEqual(facts(), kept, 'the triggers kept what a rebuild computes');
  assert.deepEqual(areas(), summed(), 'and the areas after a rebuild');
});
