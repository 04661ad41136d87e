// voting.test.mjs - budget votings, polls and public discussions: every rule,
// a ballot race by one citizen, 10 000 citizens voting at once, and moderation.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, forgeToken, sql, userId } from './helpers.mjs';

const iso = (offsetSeconds) => new Date(Date.now() + offsetSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const project = (title, cost) => ({ title, cost, description: `Проект «${title}»`, address: 'г. Демоград' });

/** Creates a voting as admin1 of demo-admin; returns it. */
async function createVoting(overrides = {}) {
  const res = await api('POST', '/api/v1/votings', { auth: 'admin1', body: {
    org: 'demo-admin', title: `Голосование ${Date.now()}`, opens_at: iso(-3600), closes_at: iso(86400),
    max_choices: 2, results: 'live',
    projects: [project('Площадка', 3000000), project('Фонари', 2000000), project('Сквер', 4000000)], ...overrides } });
  assert.equal(res.status, 201, res.text);
  return res.body;
}
const vote = (who, voting, ids) => api('POST', `/api/v1/votings/${voting.id}/ballots`, { auth: who, body: { project_ids: ids } });

describe('budget votings', () => {
  test('the demo voting: active, max_choices 2, live results, four projects', async () => {
    const list = await api('GET', '/api/v1/votings?territory=99');
    const demo = list.body.items.find((v) => v.title === 'Народный бюджет г. Демоград');
    assert.equal(demo.state, 'open');
    assert.equal(demo.max_choices, 2);
    assert.equal(demo.results, 'live');
    assert.ok(demo.projects.length >= 4 && demo.projects.every((p) => p.cost > 0));
    assert.equal((await api('GET', `/api/v1/votings/${demo.id}/results`)).status, 200);
  });

  test('a citizen votes once; the ballot is his to see; results count it', async () => {
    const v = await createVoting();
    const [a, b] = v.projects.map((p) => p.id);
    const cast = await vote('citizen1', v, [a, b]);
    assert.equal(cast.status, 201, cast.text);
    assert.deepEqual(cast.body.project_ids, [a, b]);
    assertProblem(await vote('citizen1', v, [a]), 409);
    const mine = await api('GET', `/api/v1/votings/${v.id}/ballot`, { auth: 'citizen1' });
    assert.deepEqual(mine.body.project_ids, [a, b]);
    assertProblem(await api('GET', `/api/v1/votings/${v.id}/ballot`, { auth: 'citizen2' }), 404);
    const results = await api('GET', `/api/v1/votings/${v.id}/results`);
    assert.equal(results.body.voters, 1);
    assert.deepEqual(results.body.projects.filter((p) => p.votes).map((p) => p.id).sort(), [a, b].sort());
  });

  test('every rule of a ballot, each with its answer, and nothing counted', async () => {
    const v = await createVoting({ budget: 6000000 });
    const [a, b, c] = v.projects.map((p) => p.id);
    const other = (await createVoting()).projects[0].id;
    const cases = [
      ['an unknown project', [a, 999999999], 422, 'unknown'],
      ['another voting\'s project', [a, other], 422, 'unknown'],
      ['a duplicate project', [a, a], 422, 'duplicate'],
      ['too many choices', [a, b, c], 422, 'too_many'],
      ['over the budget', [a, c], 422, 'over_budget'],
      ['no project', [], 422, 'too_short'],
    ];
    for (const [what, ids, status, code] of cases) {
      const res = await vote('citizen2', v, ids);
      assertProblem(res, status);
      assert.equal(res.body.errors[0].code, code, what);
    }
    assertProblem(await api('POST', `/api/v1/votings/${v.id}/ballots`, { body: { project_ids: [a] } }), 401);
    assertProblem(await api('POST', `/api/v1/votings/${v.id}/ballots`, { auth: 'citizen2', raw: '{"project_ids":', headers: { 'content-type': 'application/json' } }), 400);
    assertProblem(await api('POST', `/api/v1/votings/${v.id}/ballots`, { auth: 'citizen2', body: { project_ids: ['1'] } }), 422);
    assertProblem(await api('POST', `/api/v1/votings/${v.id}/ballots`, { auth: 'citizen2', body: { project_ids: [a], extra: 1 } }), 422);
    assertProblem(await api('POST', '/api/v1/votings/999999999/ballots', { auth: 'citizen2', body: { project_ids: [a] } }), 404);
    assert.deepEqual(sql(`SELECT count(*), (SELECT coalesce(sum(votes), 0) FROM voting_counts WHERE voting_id = ${v.id}) FROM ballots WHERE voting_id = ${v.id}`), [['0', '0']]);
  });

  test('before it opens and after it closes a ballot answers 409', async () => {
    const upcoming = await createVoting({ opens_at: iso(3600), closes_at: iso(7200) });
    assertProblem(await vote('citizen1', upcoming, [upcoming.projects[0].id]), 409);
    const closed = await createVoting({ opens_at: iso(-7200), closes_at: iso(-3600), results: 'after_close' });
    assertProblem(await vote('citizen1', closed, [closed.projects[0].id]), 409);
    assert.equal((await api('GET', `/api/v1/votings/${closed.id}/results`)).body.final, true);
  });

  test('results after close are hidden until then, except from the organisation', async () => {
    const v = await createVoting({ results: 'after_close' });
    assertProblem(await api('GET', `/api/v1/votings/${v.id}/results`), 403);
    assertProblem(await api('GET', `/api/v1/votings/${v.id}/results`, { auth: 'citizen1' }), 403);
    assert.equal((await api('GET', `/api/v1/votings/${v.id}/results`, { auth: 'curator1' })).status, 200);
  });

  test('only residents may vote where the voting says so', async () => {
    const v = await createVoting({ territory: '99-demograd', residents_only: true });
    const stranger = `stranger-${Date.now()}`;
    sql(`INSERT INTO users (esia_oid, name) VALUES ('${stranger}', 'Приезжий')`);
    const id = userId(stranger);
    sql(`INSERT INTO sessions (id, user_id, kind, expires_at) VALUES (md5('${stranger}'), ${id}, 'operator', now() + interval '1 hour')`);
    const token = forgeToken({ claims: { sub: String(id), jti: sql(`SELECT md5('${stranger}')`)[0][0] } });
    assertProblem(await vote(token, v, [v.projects[0].id]), 403);
    assert.equal((await vote('citizen3', v, [v.projects[0].id])).status, 201);
  });

  test('CSV export for the organisation, formulas neutralised', async () => {
    const v = await createVoting({ projects: [project('=HYPERLINK("http://evil")', 1000), project('Сквер, "зелёный"', 2000)] });
    await vote('citizen1', v, [v.projects[1].id]);
    const res = await fetch(`${process.env.OTKLIK_BASE_URL}/api/v1/votings/${v.id}/results.csv`, { headers: { authorization: `Bearer ${(await import('./helpers.mjs')).token('manager1')}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    assert.deepEqual(lines, ['project_id,title,cost_rubles,votes', `${v.projects[1].id},"Сквер, ""зелёный""",2000,1`,
      `${v.projects[0].id},"'=HYPERLINK(""http://evil"")",1000,0`]);
    assertProblem(await api('GET', `/api/v1/votings/${v.id}/results.csv`, { auth: 'citizen1' }), 404);
    assertProblem(await api('GET', `/api/v1/votings/${v.id}/results.csv`), 401);
  });

  test('creating and editing: admin or manager; rules frozen once open', async () => {
    const base = { org: 'demo-admin', title: 'Новое', opens_at: iso(3600), closes_at: iso(7200), max_choices: 1 };
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'curator1', body: base }), 403);
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'manager2', body: base }), 404);
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'citizen1', body: base }), 403);
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'admin1', body: { ...base, closes_at: iso(60) } }), 422);
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'admin1', body: { ...base, opens_at: 'tomorrow' } }), 422);
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'admin1', body: { ...base, opens_at: '2026-13-45T99:00:00Z' } }), 422);
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'admin1', body: { ...base, results: 'never' } }), 422);
    assertProblem(await api('POST', '/api/v1/votings', { auth: 'admin1', body: { ...base, territory: 'nowhere' } }), 422);
    const created = await api('POST', '/api/v1/votings', { auth: 'manager1', body: base });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    const added = await api('POST', `/api/v1/votings/${id}/projects`, { auth: 'manager1', body: project('Велодорожка', 700000) });
    assert.equal(added.status, 201);
    const pid = added.body.projects[0].id;
    assert.equal((await api('PATCH', `/api/v1/votings/${id}/projects/${pid}`, { auth: 'admin1', body: { cost: 800000 } })).body.projects[0].cost, 800000);
    assert.equal((await api('PATCH', `/api/v1/votings/${id}`, { auth: 'admin1', body: { max_choices: 3 } })).body.max_choices, 3);
    const open = await createVoting();
    for (const [path, method, body] of [[`/api/v1/votings/${open.id}`, 'PATCH', { max_choices: 3 }], [`/api/v1/votings/${open.id}`, 'PATCH', { budget: 1 }],
      [`/api/v1/votings/${open.id}/projects`, 'POST', project('Поздно', 1)], [`/api/v1/votings/${open.id}/projects/${open.projects[0].id}`, 'PATCH', { cost: 1 }]]) {
      assertProblem(await api(method, path, { auth: 'admin1', body }), 409);
    }
    assert.equal((await api('PATCH', `/api/v1/votings/${open.id}`, { auth: 'admin1', body: { title: 'Уточнённое название' } })).body.title, 'Уточнённое название');
    assertProblem(await api('PATCH', `/api/v1/votings/${open.id}`, { auth: 'manager2', body: { title: 'x' } }), 404);
    assert.equal(sql(`SELECT max_choices FROM votings WHERE id = ${open.id}`)[0][0], '2');
  });

  test('200 parallel ballots from the same citizen: exactly one counted', async () => {
    const v = await createVoting();
    const ids = [v.projects[0].id];
    const answers = await Promise.all(Array.from({ length: 200 }, () => vote('citizen2', v, ids)));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 1);
    assert.equal(statuses.filter((s) => s === 409).length, 199);
    assert.deepEqual(sql(`SELECT (SELECT votes FROM voting_counts WHERE voting_id = ${v.id} AND project_id = 0), (SELECT votes FROM voting_counts WHERE project_id = ${ids[0]}), (SELECT count(*) FROM ballots WHERE voting_id = ${v.id})`), [['1', '1', '1']]);
  });

  test('10 000 ballots from distinct citizens in parallel: results equal a count from the ballots', async () => {
    const v = await createVoting({ max_choices: 3, projects: [1, 2, 3, 4, 5].map((n) => project(`Проект ${n}`, 1000 * n)) });
    const run = Date.now();
    sql(`INSERT INTO users (esia_oid, name) SELECT 'bulk-${run}-' || g, 'Житель ' || g FROM generate_series(1, 10000) g`);
    sql(`INSERT INTO sessions (id, user_id, kind, expires_at) SELECT md5('s' || id), id, 'operator', now() + interval '1 hour' FROM users WHERE esia_oid LIKE 'bulk-${run}-%'`);
    const voters = sql(`SELECT id, md5('s' || id) FROM users WHERE esia_oid LIKE 'bulk-${run}-%'`);
    assert.equal(voters.length, 10000);
    const projects = v.projects.map((p) => p.id);
    const expected = new Map(projects.map((p) => [p, 0]));
    let next = 0;
    const statuses = new Map();
    const refusals = [];
    async function worker() {
      while (next < voters.length) {
        const [id, jti] = voters[next++];
        const n = (Number(id) % 3) + 1;
        const choice = projects.filter((_, i) => (Number(id) + i) % 5 < n).slice(0, n);
        const res = await vote(forgeToken({ claims: { sub: id, jti } }), v, choice);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== 201) refusals.push(res.text);
        if (res.status === 201) choice.forEach((p) => expected.set(p, expected.get(p) + 1));
      }
    }
    await Promise.all(Array.from({ length: 128 }, worker));
    assert.deepEqual([...statuses], [[201, 10000]], refusals.slice(0, 3).join('\n'));
    const results = (await api('GET', `/api/v1/votings/${v.id}/results`)).body;
    assert.equal(results.voters, 10000);
    const counted = Object.fromEntries(sql(`SELECT p, count(*) FROM ballots, unnest(project_ids) p WHERE voting_id = ${v.id} GROUP BY p`).map(([p, c]) => [p, Number(c)]));
    for (const p of results.projects) {
      assert.equal(p.votes, counted[p.id] ?? 0, `project ${p.id}`);
      assert.equal(p.votes, expected.get(p.id));
    }
    assert.equal(Number(sql(`SELECT count(*) FROM ballots WHERE voting_id = ${v.id}`)[0][0]), 10000);
  });
});

/** n new citizens with live sessions: [[id, token]]. */
function citizens(n, prefix) {
  const run = `${prefix}-${Date.now()}`;
  sql(`INSERT INTO users (esia_oid, name) SELECT '${run}-' || g, 'Житель ' || g FROM generate_series(1, ${n}) g`);
  sql(`INSERT INTO sessions (id, user_id, kind, expires_at) SELECT md5('s' || id), id, 'operator', now() + interval '1 hour' FROM users WHERE esia_oid LIKE '${run}-%'`);
  return sql(`SELECT id, md5('s' || id) FROM users WHERE esia_oid LIKE '${run}-%'`)
    .map(([id, jti]) => [id, forgeToken({ claims: { sub: id, jti } })]);
}
/** Results as the API gives them without a login, once the freshness bound
 * has passed (nginx shares an anonymous answer "for 1 s" in whole seconds of
 * its clock: under 2 s), beside a count over the ballots table. */
async function resultsAndCount(v) {
  await new Promise((resolve) => { setTimeout(resolve, 2000); });
  const results = (await api('GET', `/api/v1/votings/${v.id}/results`)).body;
  const counted = Object.fromEntries(sql(`SELECT p, count(*) FROM ballots, unnest(project_ids) p WHERE voting_id = ${v.id} GROUP BY p`).map(([p, c]) => [p, Number(c)]));
  const ballots = Number(sql(`SELECT count(*) FROM ballots WHERE voting_id = ${v.id}`)[0][0]);
  return { results, counted, ballots };
}

describe('ballots racing (counters in slots, sql/085)', () => {
  test('200 citizens × 3 concurrent ballots each: exactly 200 ballots, results equal a count over them', async () => {
    const v = await createVoting({ max_choices: 3, projects: [1, 2, 3, 4, 5].map((n) => project(`Проект ${n}`, 1000 * n)) });
    const projects = v.projects.map((p) => p.id);
    const people = citizens(200, 'triple');
    const answers = await Promise.all(people.flatMap(([, token], i) => [0, 1, 2].map((k) =>
      vote(token, v, projects.filter((_, j) => (i + k + j) % 5 < k + 1)))));
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 200, answers.find((a) => a.status !== 201 && a.status !== 409)?.text);
    assert.equal(statuses.filter((s) => s === 409).length, 400);
    const { results, counted, ballots } = await resultsAndCount(v);
    assert.equal(ballots, 200);
    assert.equal(results.voters, 200);
    for (const p of results.projects) assert.equal(p.votes, counted[p.id] ?? 0, `project ${p.id}`);
    // each citizen's stored ballot is the one his 201 answered
    for (const a of answers.filter((x) => x.status === 201)) {
      assert.ok(a.body.project_ids.length >= 1 && a.body.project_ids.length <= 3);
    }
  });

  test('results without a login are under 2 s old; with a login always fresh', async () => {
    const v = await createVoting();
    const [a] = v.projects.map((p) => p.id);
    const voters = async (auth) => (await api('GET', `/api/v1/votings/${v.id}/results`, auth ? { auth } : {})).body.voters;
    assert.equal(await voters(), 0);
    assert.equal((await vote('citizen1', v, [a])).status, 201);
    assert.equal(await voters('curator1'), 1);
    const { results, ballots } = await resultsAndCount(v);
    assert.equal(results.voters, ballots);
  });

  test('a voting closing while ballots race: none accepted after the close', async () => {
    const people = citizens(12000, 'closing'); // more than 16 connections cast in 4 s
    const closesAt = iso(3);
    const v = await createVoting({ opens_at: iso(-3600), closes_at: closesAt, max_choices: 1 });
    const close = Date.parse(closesAt);
    let next = 0;
    const sent = [];
    async function worker() {
      while (next < people.length && Date.now() < close + 1000) {
        const [, token] = people[next++];
        const at = Date.now();
        const res = await vote(token, v, [v.projects[next % 3].id]);
        sent.push({ at, status: res.status, text: res.text });
      }
    }
    await Promise.all(Array.from({ length: 16 }, worker));
    const accepted = sent.filter((x) => x.status === 201);
    const refused = sent.filter((x) => x.status === 409);
    assert.equal(accepted.length + refused.length, sent.length, sent.find((x) => x.status !== 201 && x.status !== 409)?.text);
    assert.ok(accepted.length > 0 && refused.length > 0, `${accepted.length} accepted, ${refused.length} refused`);
    assert.ok(refused.every((x) => /завершено|closed/i.test(x.text)), refused[0]?.text);
    // no request sent after the close was accepted, and no stored ballot was cast at or after it
    assert.deepEqual(accepted.filter((x) => x.at >= close), []);
    assert.deepEqual(sql(`SELECT count(*) FROM ballots b JOIN votings v ON v.id = b.voting_id WHERE v.id = ${v.id} AND b.cast_at >= v.closes_at`), [['0']]);
    const { results, counted, ballots } = await resultsAndCount(v);
    assert.equal(ballots, accepted.length);
    assert.equal(results.final, true);
    assert.equal(results.voters, accepted.length);
    for (const p of results.projects) assert.equal(p.votes, counted[p.id] ?? 0, `project ${p.id}`);
  });
});

describe('polls', () => {
  let poll;
  before(async () => { poll = (await api('GET', '/api/v1/polls/1')).body; });
  const q = (kind) => poll.questions.find((x) => x.kind === kind);

  test('the demo poll: single, multiple and free-text questions', () => {
    assert.equal(poll.state, 'open');
    assert.deepEqual(poll.questions.map((x) => x.kind), ['single', 'multiple', 'text']);
  });

  test('bad answers answer 422 and record nothing', async () => {
    const single = q('single'); const multiple = q('multiple'); const text = q('text');
    const good = [{ question_id: single.id, option_ids: [single.options[0].id] }, { question_id: multiple.id, option_ids: [multiple.options[0].id] }];
    const bad = [
      ['a required answer missing', [good[0]]],
      ['a question that does not exist', [...good, { question_id: 999999999, text: 'x' }]],
      ['an option of another question', [{ question_id: single.id, option_ids: [multiple.options[0].id] }, good[1]]],
      ['two options for a single-choice question', [{ question_id: single.id, option_ids: single.options.slice(0, 2).map((o) => o.id) }, good[1]]],
      ['text for a choice question', [{ question_id: single.id, text: 'да' }, good[1]]],
      ['options for a text question', [...good, { question_id: text.id, option_ids: [single.options[0].id] }]],
      ['the same question twice', [...good, good[0]]],
    ];
    const before = sql('SELECT coalesce(sum(votes), 0) FROM poll_counts WHERE poll_id = 1 AND option_id = 0')[0][0];
    for (const [what, answers] of bad) {
      const res = await api('POST', '/api/v1/polls/1/responses', { auth: 'citizen3', body: { answers } });
      assert.equal(res.status, 422, `${what}: ${res.text}`);
    }
    assertProblem(await api('POST', '/api/v1/polls/1/responses', { body: { answers: good } }), 401);
    assertProblem(await api('POST', '/api/v1/polls/999999/responses', { auth: 'citizen3', body: { answers: good } }), 404);
    assert.equal(sql('SELECT coalesce(sum(votes), 0) FROM poll_counts WHERE poll_id = 1 AND option_id = 0')[0][0], before);
  });

  test('a response is counted once; results aggregate it', async () => {
    const single = q('single'); const multiple = q('multiple'); const text = q('text');
    const before = (await api('GET', '/api/v1/polls/1/results')).body;
    const answers = [{ question_id: single.id, option_ids: [single.options[1].id] },
      { question_id: multiple.id, option_ids: [multiple.options[0].id, multiple.options[2].id] },
      { question_id: text.id, text: 'Больше автобусов по вечерам' }];
    assert.equal((await api('POST', '/api/v1/polls/1/responses', { auth: 'citizen1', body: { answers } })).status, 201);
    assertProblem(await api('POST', '/api/v1/polls/1/responses', { auth: 'citizen1', body: { answers } }), 409);
    const after = (await api('GET', '/api/v1/polls/1/results')).body;
    assert.equal(after.respondents, before.respondents + 1);
    const votes = (r, qid, oid) => r.questions.find((x) => x.id === qid).options.find((o) => o.id === oid).votes;
    assert.equal(votes(after, single.id, single.options[1].id), votes(before, single.id, single.options[1].id) + 1);
    assert.equal(votes(after, multiple.id, multiple.options[2].id), votes(before, multiple.id, multiple.options[2].id) + 1);
    assert.equal(after.questions.find((x) => x.id === text.id).text_answers, before.questions.find((x) => x.id === text.id).text_answers + 1);
  });

  test('200 citizens × 3 concurrent responses each (counters in slots, sql/086): 200 responses, results equal a count over them', async () => {
    const single = q('single'); const multiple = q('multiple'); const text = q('text');
    const people = citizens(200, 'poll-race');
    const answers = (i, k) => [{ question_id: single.id, option_ids: [single.options[(i + k) % single.options.length].id] },
      { question_id: multiple.id, option_ids: multiple.options.filter((_, j) => (i + k + j) % 3 !== 0).map((o) => o.id) },
      { question_id: text.id, text: `Ответ ${i}-${k}` }];
    const sent = await Promise.all(people.flatMap(([, token], i) => [0, 1, 2].map((k) =>
      api('POST', '/api/v1/polls/1/responses', { auth: token, body: { answers: answers(i, k) } }))));
    const statuses = sent.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 201).length, 200, sent.find((r) => r.status !== 201 && r.status !== 409)?.text);
    assert.equal(statuses.filter((s) => s === 409).length, 400);
    const ids = people.map(([id]) => id).join(',');
    assert.equal(sql(`SELECT count(*) FROM poll_responses WHERE poll_id = 1 AND user_id IN (${ids})`)[0][0], '200');
    // a logged-in reader's results are exact at once (never shared by nginx)
    const results = (await api('GET', '/api/v1/polls/1/results', { auth: 'citizen1' })).body;
    assert.equal(results.respondents, Number(sql('SELECT count(*) FROM poll_responses WHERE poll_id = 1')[0][0]));
    const counted = Object.fromEntries(sql(`SELECT o, count(*) FROM poll_responses r, jsonb_array_elements(r.answers) a,
      jsonb_array_elements_text(coalesce(a->'option_ids', '[]')) o WHERE r.poll_id = 1 GROUP BY o`).map(([o, c]) => [o, Number(c)]));
    for (const question of results.questions.filter((x) => x.kind !== 'text')) {
      for (const o of question.options) assert.equal(o.votes, counted[o.id] ?? 0, `option ${o.id}`);
    }
  });
});

describe('public discussions', () => {
  test('comments are pre-checked, wait for moderation, then are public', async () => {
    const res = await api('POST', '/api/v1/discussions/1/comments', { auth: 'citizen1', body: { text: 'Предлагаю дополнить п. 1.2, звоните +7 912 345-67-89' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'moderation');
    assert.ok(res.body.flags.some((f) => f.code === 4 && f.rule === 'phone'));
    const pub = () => api('GET', '/api/v1/discussions/1/comments').then((r) => r.body.items.map((c) => c.id));
    assert.ok(!(await pub()).includes(res.body.id));
    const queue = await api('GET', '/api/v1/discussions/1/comments?status=moderation', { auth: 'moderator1' });
    assert.ok(queue.body.items.some((c) => c.id === res.body.id));
    assertProblem(await api('GET', '/api/v1/discussions/1/comments?status=moderation', { auth: 'citizen2' }), 403);
    assertProblem(await api('POST', `/api/v1/discussions/1/comments/${res.body.id}/moderate`, { auth: 'citizen2', body: { decision: 'publish' } }), 404);
    assertProblem(await api('POST', `/api/v1/discussions/1/comments/${res.body.id}/moderate`, { auth: 'curator1', body: { decision: 'publish' } }), 403);
    assert.equal((await api('POST', `/api/v1/discussions/1/comments/${res.body.id}/moderate`, { auth: 'moderator1', body: { decision: 'publish' } })).status, 200);
    assert.ok((await pub()).includes(res.body.id));
    assertProblem(await api('POST', `/api/v1/discussions/1/comments/${res.body.id}/moderate`, { auth: 'moderator1', body: { decision: 'reject', reason_code: 5 } }), 409);
    const spam = await api('POST', '/api/v1/discussions/1/comments', { auth: 'citizen2', body: { text: 'Купите окна на www.okna.ru со скидкой сегодня же' } });
    assert.ok(spam.body.flags.some((f) => f.code === 5));
    assertProblem(await api('POST', `/api/v1/discussions/1/comments/${spam.body.id}/moderate`, { auth: 'moderator1', body: { decision: 'reject' } }), 422);
    assert.equal((await api('POST', `/api/v1/discussions/1/comments/${spam.body.id}/moderate`, { auth: 'moderator1', body: { decision: 'reject', reason_code: 5 } })).body.status, 'rejected');
    assert.ok(!(await pub()).includes(spam.body.id));
    assertProblem(await api('POST', '/api/v1/discussions/1/comments', { body: { text: 'без входа' } }), 401);
    assertProblem(await api('POST', '/api/v1/discussions/1/comments', { auth: 'citizen1', body: { text: '' } }), 422);
  });

  test('the report comes after the comment period, once, from the organisation', async () => {
    assertProblem(await api('POST', '/api/v1/discussions/1/report', { auth: 'admin1', body: { text: 'рано' } }), 409);
    const [[id]] = sql(`INSERT INTO discussions (organisation_id, territory_id, title, document, opens_at, closes_at)
      SELECT o.id, o.territory_id, 'Прошедшее обсуждение', 'Текст', now() - interval '10 days', now() - interval '1 day'
      FROM organisations o WHERE code = 'demo-admin' RETURNING id`);
    assertProblem(await api('POST', `/api/v1/discussions/${id}/comments`, { auth: 'citizen1', body: { text: 'Поздно, но всё же' } }), 409);
    assertProblem(await api('POST', `/api/v1/discussions/${id}/report`, { auth: 'curator1', body: { text: 'Итоги' } }), 403);
    assertProblem(await api('POST', `/api/v1/discussions/${id}/report`, { auth: 'citizen1', body: { text: 'Итоги' } }), 404);
    const report = await api('POST', `/api/v1/discussions/${id}/report`, { auth: 'manager1', body: { text: 'Учтено 12 предложений.' } });
    assert.equal(report.status, 200, report.text);
    assert.equal(report.body.report, 'Учтено 12 предложений.');
    assertProblem(await api('POST', `/api/v1/discussions/${id}/report`, { auth: 'admin1', body: { text: 'Ещё раз' } }), 409);
  });
});
