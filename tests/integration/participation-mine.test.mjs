// participation-mine.test.mjs - the citizen's territory (from the ESIA
// address, or picked in the profile), residents_only votings that use it, and
// "my participation": ballots, poll responses and discussion comments.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, api, assertProblem, freshToken, sql } from './helpers.mjs';
import { Browser } from './browser.mjs';

const iso = (hours) => new Date(Date.now() + hours * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const login = (returnTo) => `${BASE}/auth/esia/login?return_to=${encodeURIComponent(returnTo)}`;

/** A person who has never told where they live, and a token for them. */
function homeless() {
  const oid = `homeless-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  sql(`INSERT INTO users (esia_oid, name) VALUES ('${oid}', 'Петров Пётр')`);
  return freshToken(oid);
}

async function loggedIn(oid) {
  const b = new Browser();
  await b.fetch(await b.loginAtProvider(login(`${BASE}/`), oid));
  return JSON.parse((await b.fetch(`${BASE}/api/v1/me`)).text);
}

describe('the citizen\'s territory', () => {
  test('/api/v1/me shows it; PATCH picks a municipality, never a region or an unknown code', async () => {
    const token = homeless();
    assert.equal((await api('GET', '/api/v1/me', { auth: token })).body.territory, null);
    const region = await api('PATCH', '/api/v1/me', { auth: token, body: { territory: '99' } });
    assertProblem(region, 422);
    assert.deepEqual(region.body.errors, [{ field: 'territory', code: 'not_local' }]);
    const unknown = await api('PATCH', '/api/v1/me', { auth: token, body: { territory: 'nowhere' } });
    assertProblem(unknown, 422);
    assert.deepEqual(unknown.body.errors, [{ field: 'territory', code: 'unknown' }]);
    assertProblem(await api('PATCH', '/api/v1/me', { auth: token, body: {} }), 422);
    assertProblem(await api('PATCH', '/api/v1/me', { body: { territory: '99-demograd' } }), 401);
    assert.equal((await api('GET', '/api/v1/me', { auth: token })).body.territory, null);
    const set = await api('PATCH', '/api/v1/me', { auth: token, body: { territory: '99-demograd' } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body.territory, { code: '99-demograd', name: 'г. Демоград', kind: 'municipality' });
    assert.deepEqual((await api('GET', '/api/v1/me', { auth: token })).body.territory, set.body.territory);
  });

  test('ESIA: an address naming a municipality sets the territory at the first login; a choice made later is kept', async () => {
    const oid = `resident-${Date.now()}`;
    assert.equal((await loggedIn(oid)).territory?.code, '99-demograd');
    assert.equal((await loggedIn(`newcomer-${Date.now()}`)).territory, null);
    sql(`INSERT INTO territories (code, name, kind, parent_id) SELECT '99-mine-other', 'пос. Соседний', 'municipality', id
         FROM territories WHERE code = '99' ON CONFLICT (code) DO NOTHING`);
    sql(`UPDATE users SET territory_id = (SELECT id FROM territories WHERE code = '99-mine-other') WHERE esia_oid = '${oid}'`);
    assert.equal((await loggedIn(oid)).territory?.code, '99-mine-other');
  });

  test('residents_only: without a territory a clear 403 naming the profile; after choosing, the vote counts', async () => {
    const created = await api('POST', '/api/v1/votings', { auth: 'admin1', body: {
      org: 'demo-admin', territory: '99-demograd', title: `Жители ${Date.now()}`, opens_at: iso(-1), closes_at: iso(24),
      max_choices: 1, residents_only: true, projects: [{ title: 'Лавочки', cost: 100 }] } });
    assert.equal(created.status, 201, created.text);
    const token = homeless();
    const ballot = { project_ids: [created.body.projects[0].id] };
    const refused = await api('POST', `/api/v1/votings/${created.body.id}/ballots`, { auth: token, body: ballot });
    assertProblem(refused, 403);
    assert.match(refused.body.detail, /в профиле/);
    await api('PATCH', '/api/v1/me', { auth: token, body: { territory: '99-demograd' } });
    assert.equal((await api('POST', `/api/v1/votings/${created.body.id}/ballots`, { auth: token, body: ballot })).status, 201);
  });
});

describe('my participation', () => {
  test('my ballots, poll responses and comments (with the status and a rejection\'s reason), mine only, paged', async () => {
    const token = homeless();
    const other = homeless();
    const voting = (await api('POST', '/api/v1/votings', { auth: 'admin1', body: {
      org: 'demo-admin', title: `Моё ${Date.now()}`, opens_at: iso(-1), closes_at: iso(24), max_choices: 2,
      projects: [{ title: 'Фонтан', cost: 100 }, { title: 'Аллея', cost: 200 }] } })).body;
    assert.equal((await api('POST', `/api/v1/votings/${voting.id}/ballots`, { auth: token, body: { project_ids: [voting.projects[1].id] } })).status, 201);
    const poll = (await api('POST', '/api/v1/polls', { auth: 'admin1', body: { org: 'demo-admin', title: `Мой опрос ${Date.now()}`,
      opens_at: iso(-1), closes_at: iso(24), questions: [{ text: 'Идеи?', kind: 'text' }] } })).body;
    const answers = [{ question_id: poll.questions[0].id, text: 'Больше скамеек у реки' }];
    assert.equal((await api('POST', `/api/v1/polls/${poll.id}/responses`, { auth: token, body: { answers } })).status, 201);
    const d = (await api('POST', '/api/v1/discussions', { auth: 'admin1', body: { org: 'demo-admin', title: `Моё обсуждение ${Date.now()}`,
      document: 'Текст', opens_at: iso(-1), closes_at: iso(24) } })).body;
    const comment = async (text) => (await api('POST', `/api/v1/discussions/${d.id}/comments`, { auth: token, body: { text } })).body.id;
    const pending = await comment('Предлагаю добавить пункт о велодорожках вдоль набережной.');
    const rejected = await comment('Прошу уточнить сроки уборки снега во дворах многоквартирных домов.');
    const moderated = await api('POST', `/api/v1/discussions/${d.id}/comments/${rejected}/moderate`, { auth: 'moderator1', body: { decision: 'reject', reason_code: 5 } });
    assert.equal(moderated.status, 200, moderated.text);

    const ballots = await api('GET', '/api/v1/my/ballots', { auth: token });
    assert.equal(ballots.status, 200, ballots.text);
    assert.equal(ballots.body.items.length, 1);
    assert.equal(ballots.body.items[0].voting.id, voting.id);
    assert.equal(ballots.body.items[0].voting.state, 'open');
    assert.deepEqual(ballots.body.items[0].projects.map((p) => p.title), ['Аллея']);

    const responses = await api('GET', '/api/v1/my/poll-responses', { auth: token });
    assert.equal(responses.body.items[0].poll.id, poll.id);
    assert.deepEqual(responses.body.items[0].answers, answers);

    const first = await api('GET', '/api/v1/my/comments?limit=1', { auth: token });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.items[0].id, rejected);
    assert.equal(first.body.items[0].status, 'rejected');
    assert.equal(first.body.items[0].reason_code, 5);
    assert.equal(typeof first.body.items[0].reason_title, 'string');
    assert.equal(first.body.items[0].discussion.id, d.id);
    const second = await api('GET', `/api/v1/my/comments?limit=1&cursor=${first.body.next_cursor}`, { auth: token });
    assert.deepEqual(second.body.items.map((c) => [c.id, c.status]), [[pending, 'moderation']]);

    for (const path of ['/api/v1/my/ballots', '/api/v1/my/poll-responses', '/api/v1/my/comments']) {
      assert.deepEqual((await api('GET', path, { auth: other })).body, { items: [], next_cursor: null }, path);
      assertProblem(await api('GET', path), 401);
    }
  });
});
