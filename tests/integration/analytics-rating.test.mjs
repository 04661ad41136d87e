// analytics-rating.test.mjs - the region rating (sql/045, modules/analytics/rating.c):
// a region of its own with four municipalities and a generated month of
// messages, votings, polls, discussions, widgets and official accounts with
// known answers; each indicator against a direct SQL computation over the
// messages and their events (not the facts), the scores, ranks and ties,
// the change against the month before, an empty period, the scheduler and
// who may set a population.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { api, assertProblem, sql } from './helpers.mjs';

const ctl = (args) => execFileSync(`${process.env.OTKLIK_BIN}/otklikctl`, args).toString().trim();
const num = (q) => { const v = sql(q)[0]?.[0]; return v === '' || v === undefined ? null : Number(v); }; // psql's NULL: no line
const S = randomBytes(4).toString('hex');
const code = (k) => `rt${k}-${S}`;
const MIN = 60000, HOUR = 3600000, DAY = 86400000;
const at = (t) => `'${new Date(t).toISOString()}'`;
const W = {};

/* A message straight into the tables (the triggers of sql/040 keep the facts). */
function message({ m, org, sent, status, due, events, ratings = [] }) {
  const id = num(`INSERT INTO messages (author_id, rubric_id, text, territory_id, organisation_id, status, created_at, due_at, answer_round, idempotency_key)
    VALUES (${W.citizen}, ${W.rubric}, 'Рейтинг ${S}', ${W[m]}, ${org ? W[org] : 'NULL'}, '${status}', ${at(sent)}, ${due ? at(due) : 'NULL'}, 0, '${S}-${randomBytes(4).toString('hex')}') RETURNING id`);
  // event by event, as the transitions write them: an answer raises the round first
  for (const [from, to, dt] of [[null, 'moderation', 0], ...events]) {
    sql(`${to === 'answered' ? `UPDATE messages SET answer_round = answer_round + 1 WHERE id = ${id};` : ''}
      INSERT INTO message_events (message_id, actor_role, from_status, to_status, created_at)
      VALUES (${id}, 'system', ${from ? `'${from}'` : 'NULL'}, '${to}', ${at(sent + dt)})`);
  }
  ratings.forEach(([score, dt], i) => sql(`INSERT INTO message_ratings (message_id, answer_round, author_id, score, created_at)
    VALUES (${id}, ${i + 1}, ${W.citizen}, ${score}, ${at(sent + dt)})`));
  return id;
}

before(() => {
  W.Q = num(`INSERT INTO territories (code, name, kind, population) VALUES ('${code('q')}', 'Рейтинговая область ${S}', 'region', 100000) RETURNING id`);
  for (const [k, pop] of [['M1', 20000], ['M2', 1000], ['M3', null], ['M4', null]])
    W[k] = num(`INSERT INTO territories (code, name, kind, parent_id, population) VALUES ('${code(k.toLowerCase())}', 'Муниципалитет ${k} ${S}', 'municipality', ${W.Q}, ${pop ?? 'NULL'}) RETURNING id`);
  W.S1 = num(`INSERT INTO territories (code, name, kind, parent_id) VALUES ('${code('s1')}', 'Посёлок ${S}', 'settlement', ${W.M1}) RETURNING id`);
  for (const [k, m] of [['O1', 'M1'], ['O2', 'M2'], ['O1b', 'S1']])
    W[k] = num(`INSERT INTO organisations (code, name, territory_id) VALUES ('${code(k.toLowerCase())}', 'Организация ${k} ${S}', ${W[m]}) RETURNING id`);
  W.citizen = num(`INSERT INTO users (esia_oid, name) VALUES ('rt-cit-${S}', 'Житель ${S}') RETURNING id`);
  W.staff = num(`INSERT INTO users (esia_oid, name) VALUES ('rt-staff-${S}', 'Сотрудник ${S}') RETURNING id`);
  sql(`INSERT INTO staff_roles (user_id, organisation_id, role) VALUES (${W.staff}, ${W.O1}, 'executor')`);
  sql(`INSERT INTO widgets (key, organisation_id, allowed_origins, title) VALUES ('rt-${S}', ${W.O1}, '{https://site.example}', 'Виджет')`);
  W.rubric = num(`SELECT id FROM rubrics WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1`);
  const may = (d, h = 8) => Date.parse(`2024-05-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`);
  // M1, May 2024: six messages (one in its settlement); M2 a single one; M3 and M4 none (a tie)
  message({ m: 'M1', org: 'O1', sent: may(2), status: 'closed', due: may(12), ratings: [[5, DAY]],
    events: [['moderation', 'registered', 5 * MIN], ['approval', 'answered', 10 * MIN], ['answered', 'closed', DAY]] });
  message({ m: 'M1', org: 'O1', sent: may(3), status: 'returned', due: may(13),
    events: [['moderation', 'registered', 5 * MIN], ['approval', 'answered', 10 * MIN], ['answered', 'returned', HOUR],
      ['approval', 'answered', 2 * HOUR], ['answered', 'returned', 3 * HOUR]] });
  message({ m: 'S1', org: 'O1b', sent: may(4), status: 'answered', due: may(5), ratings: [[3, 31 * HOUR]],
    events: [['moderation', 'registered', 25 * HOUR], ['approval', 'answered', 30 * HOUR]] });
  message({ m: 'M1', sent: may(5), status: 'rejected', events: [['moderation', 'rejected', HOUR]] });
  message({ m: 'M1', org: 'O1', sent: may(6), status: 'registered', due: may(16), events: [['moderation', 'registered', 5 * MIN]] });
  message({ m: 'M1', org: 'O1', sent: may(7), status: 'in_progress', due: may(17),
    events: [['moderation', 'registered', 5 * MIN], ['redirect_approval', 'registered', HOUR], ['registered', 'in_progress', 2 * HOUR]] });
  message({ m: 'M2', org: 'O2', sent: may(10), status: 'closed', due: may(20), ratings: [[4, HOUR]],
    events: [['moderation', 'registered', 5 * MIN], ['approval', 'answered', 45 * MIN], ['answered', 'closed', HOUR]] });
  // April: one message in M1 (the previous period)
  message({ m: 'M1', org: 'O1', sent: Date.parse('2024-04-20T08:00:00Z'), status: 'closed', due: Date.parse('2024-04-30T08:00:00Z'),
    events: [['moderation', 'registered', 5 * MIN], ['approval', 'answered', 20 * MIN], ['answered', 'closed', HOUR]] });
  // participation: a voting with 50 voters and a discussion in M1 (2 published comments of 3), a poll in M2 (7 responses)
  const v = num(`INSERT INTO votings (organisation_id, territory_id, title, opens_at, closes_at, max_choices)
    VALUES (${W.O1}, ${W.M1}, 'Голосование ${S}', '2024-05-01Z', '2024-05-20Z', 1) RETURNING id`);
  sql(`INSERT INTO voting_tallies (voting_id, project_id, slot, votes) VALUES (${v}, 0, 0, 30), (${v}, 0, 1, 20)`);
  sql(`INSERT INTO votings (organisation_id, territory_id, title, opens_at, closes_at, max_choices)
    VALUES (${W.O1}, ${W.M1}, 'Прошлое ${S}', '2024-01-01Z', '2024-02-01Z', 1)`);
  const poll = num(`INSERT INTO polls (organisation_id, territory_id, title, opens_at, closes_at)
    VALUES (${W.O2}, ${W.M2}, 'Опрос ${S}', '2024-04-25Z', '2024-05-05Z') RETURNING id`);
  sql(`INSERT INTO poll_tallies (poll_id, option_id, slot, votes) VALUES (${poll}, 0, 3, 4), (${poll}, 0, 40, 3)`);
  const d = num(`INSERT INTO discussions (organisation_id, territory_id, title, document, opens_at, closes_at)
    VALUES (${W.O1}, ${W.M1}, 'Обсуждение ${S}', 'Проект', '2024-05-10Z', '2024-06-10Z') RETURNING id`);
  sql(`INSERT INTO discussion_comments (discussion_id, author_id, text, status) VALUES
    (${d}, ${W.citizen}, 'За', 'published'), (${d}, ${W.citizen}, 'Против', 'published'), (${d}, ${W.citizen}, 'Спам', 'rejected')`);
  // official accounts: O1's verified with a post published in May (and a draft), O2's not verified
  const a = num(`INSERT INTO social_accounts (organisation_id, network, address, external_id, verified)
    VALUES (${W.O1}, 'vk', 'https://vk.com/rt${S}', '${parseInt(S, 16)}', true) RETURNING id`);
  sql(`INSERT INTO social_accounts (organisation_id, network, address, external_id) VALUES (${W.O2}, 'telegram', 'https://t.me/rt${S}', '-${parseInt(S, 16)}')`);
  sql(`INSERT INTO account_posts (account_id, text, publish_at, status, created_by, published_at) VALUES
    (${a}, 'Пост', '2024-05-10Z', 'published', ${W.staff}, '2024-05-10Z'), (${a}, 'Черновик', '2024-05-11Z', 'draft', ${W.staff}, NULL)`);
  sql(`SELECT rating_compute('2024-04-01'), rating_compute('2024-05-01')`);
});

const get = async (path) => { const res = await api('GET', path); assert.equal(res.status, 200, res.text); return res.body; };
const indicators = (body) => Object.fromEntries(body.indicators.map((i) => [i.key, i]));

/* Each indicator by direct SQL over messages, events and ratings of the
 * territory t and below, for May 2024 (the README's formulas). */
function direct(t) {
  const within = `(SELECT id FROM territories x WHERE territory_within(x.id, ${t}))`;
  const ev = (cond) => `(SELECT count(*) FROM message_events e JOIN messages m ON m.id = e.message_id
    WHERE m.territory_id IN ${within} AND e.created_at >= '2024-05-01Z' AND e.created_at < '2024-06-01Z' AND ${cond})`;
  const msgs = (cond) => `(SELECT count(*) FROM messages m WHERE m.territory_id IN ${within}
    AND m.created_at >= '2024-05-01Z' AND m.created_at < '2024-06-01Z' AND ${cond})`;
  const share = (a, b) => `CASE WHEN ${b} > 0 THEN ${a}::float8 / ${b} END`;
  const orgs = (cond) => `(SELECT count(*) FROM organisations o WHERE o.is_active AND o.territory_id IN ${within} AND ${cond})`;
  const firstAnswers = `(SELECT analytics_tta_bucket(e.created_at - m.created_at) AS b FROM message_events e JOIN messages m ON m.id = e.message_id
    WHERE m.territory_id IN ${within} AND e.created_at >= '2024-05-01Z' AND e.created_at < '2024-06-01Z' AND e.to_status = 'answered'
    AND e.id = (SELECT min(id) FROM message_events f WHERE f.message_id = m.id AND f.to_status = 'answered'))`;
  const ratings = `(SELECT r.score FROM message_ratings r JOIN messages m ON m.id = r.message_id WHERE m.territory_id IN ${within}
    AND r.created_at >= '2024-05-01Z' AND r.created_at < '2024-06-01Z')`;
  const moderated = ev(`e.from_status = 'moderation' AND e.to_status IN ('registered', 'rejected')`);
  const answered = ev(`e.to_status = 'answered'`);
  const received = msgs('true');
  const pop = `(SELECT population FROM territories WHERE id = ${t})`;
  const secondReturn = ev(`e.to_status = 'returned' AND (SELECT count(*) FROM message_events f WHERE f.message_id = m.id AND f.to_status = 'answered' AND f.id < e.id) = 2`);
  const q = {
    messages_per_10k: `10000.0 * ${received} / ${pop}`,
    orgs_connected_share: share(orgs('EXISTS (SELECT 1 FROM staff_roles s WHERE s.organisation_id = o.id)'), orgs('true')),
    moderated_within_day_share: share(ev(`e.from_status = 'moderation' AND e.to_status IN ('registered', 'rejected') AND e.created_at - m.created_at <= interval '1 day'`), moderated),
    rejected_share: share(ev(`e.to_status = 'rejected'`), moderated),
    resolved_share: share(msgs(`m.status IN ('answered', 'closed')`), received),
    answered_on_time_share: share(ev(`e.to_status = 'answered' AND e.created_at <= m.due_at`), answered),
    answer_median_minutes: `(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY b) FROM ${firstAnswers} x)`,
    answer_p90_minutes: `(SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY b) FROM ${firstAnswers} x)`,
    satisfaction_median: `(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY score) FROM ${ratings} x)`,
    satisfied_share: share(`(SELECT count(*) FILTER (WHERE score >= 4) FROM ${ratings} x)`, `(SELECT count(*) FROM ${ratings} x)`),
    ratings_per_answer: share(`(SELECT count(*) FROM ${ratings} x)`, answered),
    rework_share: share(ev(`e.from_status = 'answered' AND e.to_status = 'returned'`), answered),
    returned_twice_share: share(secondReturn, answered),
    overdue_share: share(msgs(`m.status NOT IN ('moderation', 'answered', 'closed', 'rejected') AND m.due_at < date_trunc('hour', otklik_now())`), received),
    redirect_share: share(ev(`e.from_status = 'redirect_approval' AND e.to_status = 'registered'`), ev(`e.from_status = 'moderation' AND e.to_status = 'registered'`)),
    votings_held: `(SELECT count(*) FROM votings v WHERE v.territory_id IN ${within} AND v.opens_at < '2024-06-01Z' AND v.closes_at > '2024-05-01Z')`,
    voters_per_10k: `10000.0 * (SELECT coalesce(sum(c.votes), 0) FROM voting_tallies c JOIN votings v ON v.id = c.voting_id WHERE c.project_id = 0
      AND v.territory_id IN ${within} AND v.opens_at < '2024-06-01Z' AND v.closes_at > '2024-05-01Z') / ${pop}`,
    polls_held: `(SELECT count(*) FROM polls p WHERE p.territory_id IN ${within} AND p.opens_at < '2024-06-01Z' AND p.closes_at > '2024-05-01Z')`,
    poll_responses: `(SELECT coalesce(sum((SELECT coalesce(sum(votes), 0) FROM poll_counts c WHERE c.poll_id = p.id AND c.option_id = 0)), 0) FROM polls p WHERE p.territory_id IN ${within} AND p.opens_at < '2024-06-01Z' AND p.closes_at > '2024-05-01Z')`,
    discussions_held: `(SELECT count(*) FROM discussions d WHERE d.territory_id IN ${within} AND d.opens_at < '2024-06-01Z' AND d.closes_at > '2024-05-01Z')`,
    discussion_comments: `(SELECT count(*) FROM discussion_comments c JOIN discussions d ON d.id = c.discussion_id WHERE c.status = 'published'
      AND d.territory_id IN ${within} AND d.opens_at < '2024-06-01Z' AND d.closes_at > '2024-05-01Z')`,
    active_widget_share: share(orgs(`EXISTS (SELECT 1 FROM widgets w WHERE w.organisation_id = o.id AND cardinality(w.allowed_origins) > 0)`), orgs('true')),
    official_accounts_share: share(orgs(`EXISTS (SELECT 1 FROM social_accounts a WHERE a.organisation_id = o.id AND a.verified)`), orgs('true')),
    posts_published: `(SELECT count(*) FROM account_posts p JOIN social_accounts a ON a.id = p.account_id JOIN organisations o ON o.id = a.organisation_id
      WHERE o.is_active AND o.territory_id IN ${within} AND p.status = 'published' AND p.published_at >= '2024-05-01Z' AND p.published_at < '2024-06-01Z')`,
  };
  return Object.fromEntries(Object.entries(q).map(([k, e]) => [k, num(`SELECT ${e}`)]));
}

const close = (actual, expected, what) => {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-4, `${what}: ${actual} != ${expected}`);
};

test('at least 20 indicators, each equal to its direct SQL computation, for municipalities and the region', async () => {
  for (const k of ['M1', 'M2', 'M3', 'Q']) {
    const body = await get(`/api/v1/rating/${code(k.toLowerCase())}?period=2024-05`);
    assert.ok(body.indicators.length >= 20);
    const got = indicators(body), want = direct(W[k]);
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
    for (const [key, value] of Object.entries(want)) close(got[key].value, value, `${k} ${key}`);
  }
});

test('the known answers: M1 (six messages, ties in the median), M2 (a single message), M3 (an empty period)', async () => {
  const m1 = indicators(await get(`/api/v1/rating/${code('m1')}?period=2024-05`));
  const want1 = { messages_per_10k: 3, orgs_connected_share: 0.5, moderated_within_day_share: 5 / 6, rejected_share: 1 / 6, resolved_share: 2 / 6,
    answered_on_time_share: 0.75, answer_median_minutes: 10, answer_p90_minutes: 10 + 0.8 * 1790, satisfaction_median: 4, satisfied_share: 0.5,
    ratings_per_answer: 0.5, rework_share: 0.5, returned_twice_share: 0.25, overdue_share: 0.5, redirect_share: 0.2, votings_held: 1,
    voters_per_10k: 25, polls_held: 0, poll_responses: 0, discussions_held: 1, discussion_comments: 2, active_widget_share: 0.5,
    official_accounts_share: 0.5, posts_published: 1 };
  for (const [k, v] of Object.entries(want1)) close(m1[k].value, v, `M1 ${k}`);
  const m2 = indicators(await get(`/api/v1/rating/${code('m2')}?period=2024-05`));
  const want2 = { messages_per_10k: 10, moderated_within_day_share: 1, answer_median_minutes: 45, answer_p90_minutes: 45, satisfaction_median: 4,
    overdue_share: 0, orgs_connected_share: 0, polls_held: 1, poll_responses: 7, official_accounts_share: 0 };
  for (const [k, v] of Object.entries(want2)) close(m2[k].value, v, `M2 ${k}`);
  const m3 = await get(`/api/v1/rating/${code('m3')}?period=2024-05`);
  for (const i of m3.indicators) {
    if (['votings_held', 'polls_held', 'poll_responses', 'discussions_held', 'discussion_comments', 'posts_published'].includes(i.key)) close(i.value, 0, i.key);
    else assert.equal(i.value, null, `M3 ${i.key}: nothing to measure`);
  }
});

test('scores are min-max among the region\'s municipalities, direction-aware; the score is their mean; ties share a rank', async () => {
  const bodies = {};
  for (const k of ['M1', 'M2', 'M3', 'M4']) bodies[k] = await get(`/api/v1/rating/${code(k.toLowerCase())}?period=2024-05`);
  for (const key of Object.keys(indicators(bodies.M1))) {
    const vals = Object.values(bodies).map((b) => indicators(b)[key].value).filter((v) => v !== null);
    const lo = Math.min(...vals), hi = Math.max(...vals);
    for (const [k, b] of Object.entries(bodies)) {
      const i = indicators(b)[key];
      if (i.value === null) { assert.equal(i.score, null); continue; }
      const want = hi === lo ? 1 : i.better === 'higher' ? (i.value - lo) / (hi - lo) : (hi - i.value) / (hi - lo);
      close(i.score, want, `${k} ${key} score`);
    }
  }
  for (const b of Object.values(bodies)) {
    const scored = b.indicators.filter((i) => i.score !== null);
    close(b.score, Math.round(10000 * scored.reduce((s, i) => s + Number(i.score), 0) / scored.length) / 100, `${b.territory} score`);
    assert.equal(b.measured, scored.length);
    assert.equal(b.peers, 4);
  }
  assert.equal(bodies.M3.score, bodies.M4.score, 'M3 and M4 are alike');
  assert.equal(bodies.M3.rank, bodies.M4.rank, 'a tie shares the rank');
  const list = await get(`/api/v1/rating?period=2024-05&region=${code('q')}`);
  assert.deepEqual(list.items.map((i) => i.territory), [code('q'), ...list.items.slice(1).map((i) => i.territory)]);
  const munis = list.items.filter((i) => i.kind === 'municipality');
  assert.equal(munis.length, 4);
  for (let n = 1; n < munis.length; n++) assert.ok(munis[n - 1].rank <= munis[n].rank && munis[n - 1].score >= munis[n].score);
  for (const m of munis) assert.equal(m.rank, 1 + munis.filter((o) => o.score > m.score).length, 'rank: 1 + peers scoring more');
  assert.ok(list.indicators.length >= 20);
  assert.equal(list.period, '2024-05');
  assert.equal(list.previous, '2024-04');
});

test('the change against the previous month', async () => {
  const may = await get(`/api/v1/rating/${code('m1')}?period=2024-05`);
  const april = await get(`/api/v1/rating/${code('m1')}?period=2024-04`);
  const m = indicators(may), a = indicators(april);
  close(a.messages_per_10k.value, 0.5, 'April: one message per 20,000');
  close(m.messages_per_10k.previous_value, 0.5, 'previous value');
  close(m.messages_per_10k.change, 2.5, 'change');
  assert.equal(may.previous_rank, april.rank);
  assert.equal(may.rank_change, april.rank - may.rank);
  close(may.score_change, may.score - april.score, 'score change');
  const june = await get(`/api/v1/rating/${code('m1')}?period=2024-06`);
  assert.equal(june.score, null, 'a month not computed: nothing yet');
  assert.equal(june.rank, null);
});

test('the scheduler computes the current month; anyone may read it', async () => {
  ctl(['tick']);
  const now = new Date();
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  const list = await get(`/api/v1/rating?region=${code('q')}`);
  assert.equal(list.period, month);
  assert.ok(list.computed_at, 'computed by the tick');
  assert.equal(list.items.length, 5);
  const regions = await get('/api/v1/rating?kind=region');
  assert.ok(regions.items.some((i) => i.territory === code('q')));
  assert.ok(regions.items.every((i) => i.kind === 'region'));
});

test('bad parameters are 422; a settlement or an unknown territory 404', async () => {
  for (const p of ['2024-13', '2024-5', 'май', '1999-12', '2024-05-01'])
    assertProblem(await api('GET', `/api/v1/rating?period=${encodeURIComponent(p)}`), 422);
  assertProblem(await api('GET', '/api/v1/rating?kind=settlement'), 422);
  assertProblem(await api('GET', `/api/v1/rating/${code('s1')}`), 404);
  assertProblem(await api('GET', `/api/v1/rating/nope-${S}`), 404);
});

test('a population is set by an operator covering the territory, not by others', async () => {
  const outsider = `rt-out-${S}`;
  sql(`INSERT INTO users (esia_oid, name) VALUES ('${outsider}', 'Чужой ${S}')`);
  sql(`INSERT INTO staff_roles (user_id, organisation_id, role) SELECT u.id, ${W.O2}, 'curator' FROM users u WHERE u.esia_oid = '${outsider}'`);
  let res = await api('PATCH', `/api/v1/territories/${code('m3')}`, { auth: outsider, body: { population: 5000 } });
  assert.ok([403, 404].includes(res.status), res.text);
  res = await api('PATCH', `/api/v1/territories/${code('m3')}`, { auth: 'root', body: { population: 0 } });
  assertProblem(res, 422);
  res = await api('PATCH', `/api/v1/territories/${code('m3')}`, { auth: 'root', body: { population: 5000 } });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.population, 5000);
  assert.equal(num(`SELECT population FROM territories WHERE id = ${W.M3}`), 5000);
  sql(`SELECT rating_compute('2024-05-01')`);
  const m3 = indicators(await get(`/api/v1/rating/${code('m3')}?period=2024-05`));
  close(m3.messages_per_10k.value, 0, 'with a population, none per 10,000');
});
