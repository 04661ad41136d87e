// widget-scope.test.mjs - a token the login hands to a widget (by postMessage,
// possibly to an agency's page where any script can read it) does what the
// widget does: send messages with attachments, follow the author's own messages,
// rework and rate them. It cannot vote, answer polls, comment, read
// notifications or use its holder's staff roles; a full session still can.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BASE, PNG, api, assertProblem, cleanText, forgeToken, freshToken, rubricId, sql, userId } from './helpers.mjs';
import { Browser } from './browser.mjs';

const AGENCY_PAGE = 'http://127.0.0.1:8081/agency/page.html';

/** Logs oid in through the popup flow, as a widget does; returns the handed token. */
async function widgetToken(oid, returnTo = AGENCY_PAGE, mode = '') {
  const b = new Browser();
  const url = `${BASE}/auth/esia/login?${mode ? `mode=${mode}&` : ''}return_to=${encodeURIComponent(returnTo)}`;
  const page = await b.fetch(await b.loginAtProvider(url, oid));
  assert.equal(page.status, 200, page.text);
  return JSON.parse(page.text.match(/var m=(\{.*?\});/)[1]).token;
}

/** A refusal of the widget's token: 403 problem+json that says why. */
function assertWidgetRefused(res) {
  assertProblem(res, 403);
  assert.match(res.body.detail, /выдан виджету/);
  assert.match(res.headers.get('www-authenticate') ?? '', /insufficient_scope/);
}

/** Staff steps that take a message from moderation (or returned) to answered. */
async function answer(id, from = 'moderation') {
  const steps = [
    ['moderator1', 'moderate', { decision: 'accept', org: 'demo-admin' }],
    ['coordinator1', 'assign', { executor_id: userId('executor1') }],
    ['executor1', 'answer', { text: 'Яму заделали, спасибо за сообщение.' }],
    ['manager1', 'approve', { approve: true }],
  ];
  for (const [who, action, body] of steps.slice(from === 'returned' ? 2 : 0)) {
    const res = await api('POST', `/api/v1/messages/${id}/${action}`, { auth: who, body });
    assert.equal(res.status, 200, `${who} ${action}: ${res.text}`);
  }
}

const newcomer = (what) => `${what}-${randomBytes(4).toString('hex')}`;
const votingTargets = () => {
  const [voting, project] = sql('SELECT v.id, p.id FROM votings v JOIN voting_projects p ON p.voting_id = v.id ORDER BY v.id, p.id LIMIT 1')[0];
  return { voting: Number(voting), project: Number(project) };
};

describe('a token handed to a widget', () => {
  test('sends a message with an attachment, follows it, reworks and rates the answer', async () => {
    const oid = newcomer('widget-author');
    const w = await widgetToken(oid);
    const photo = await api('POST', '/api/v1/attachments', { auth: w, raw: PNG, headers: { 'content-type': 'image/png' } });
    assert.equal(photo.status, 201, photo.text);
    const sent = await api('POST', '/api/v1/messages', { auth: w,
      body: { rubric_id: rubricId(), text: cleanText(), attachment_ids: [photo.body.id], widget_key: 'demo-widget' } });
    assert.equal(sent.status, 201, sent.text);
    const id = sent.body.id;

    const mine = await api('GET', '/api/v1/my/messages', { auth: w });
    assert.equal(mine.status, 200, mine.text);
    assert.deepEqual(mine.body.items.map((m) => m.id), [id]);
    const shown = await api('GET', `/api/v1/messages/${id}`, { auth: w });
    assert.equal(shown.status, 200, shown.text);
    assert.equal(shown.body.status, 'moderation');

    await answer(id);
    const reworked = await api('POST', `/api/v1/messages/${id}/rework`, { auth: w, body: { comment: 'Яма осталась на месте' } });
    assert.equal(reworked.status, 200, reworked.text);
    assert.equal(reworked.body.status, 'returned');
    await answer(id, 'returned');
    const rated = await api('POST', `/api/v1/messages/${id}/rating`, { auth: w, body: { score: 4 } });
    assert.equal(rated.status, 200, rated.text);
    assert.equal(rated.body.status, 'closed');

    const me = await api('GET', '/api/v1/me', { auth: w });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.esia_oid, oid);
    const out = await fetch(`${BASE}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${w}` } });
    assert.equal(out.status, 204);
    assertProblem(await api('GET', '/api/v1/my/messages', { auth: w }), 401);
  });

  test('cannot vote, answer a poll, comment or read notifications; a full session can', async () => {
    const oid = newcomer('widget-voter');
    const w = await widgetToken(oid);
    const { voting, project } = votingTargets();
    const uid = () => userId(oid);
    const attempts = [
      ['POST', `/api/v1/votings/${voting}/ballots`, { project_ids: [project] }],
      ['GET', `/api/v1/votings/${voting}/ballot`],
      ['POST', '/api/v1/polls/1/responses', { answers: [] }],
      ['POST', '/api/v1/discussions/1/comments', { text: 'Поддерживаю проект благоустройства сквера' }],
      ['POST', '/api/v1/discussions/1/report', { text: 'Итоги обсуждения' }],
      ['GET', '/api/v1/my/notifications'],
      ['GET', '/api/v1/staff/messages'],
      ['GET', '/api/v1/orgs/demo-admin/staff'],
    ];
    for (const [method, path, body] of attempts) assertWidgetRefused(await api(method, path, { auth: w, body }));
    assert.deepEqual(sql(`SELECT (SELECT count(*) FROM ballots WHERE user_id = ${uid()}),
      (SELECT count(*) FROM poll_responses WHERE user_id = ${uid()}),
      (SELECT count(*) FROM discussion_comments WHERE author_id = ${uid()})`), [['0', '0', '0']]);

    // the same person's full session passes the same door (and stops at the empty body)
    const full = freshToken(oid);
    for (const [method, path] of attempts.filter(([m]) => m === 'POST')) {
      const res = await api(method, path, { auth: full, body: {} });
      assert.ok(res.status === 422 || res.status === 400, `${path}: ${res.status} ${res.text}`);
    }
    assert.equal((await api('GET', '/api/v1/my/notifications', { auth: full })).status, 200);
    assertProblem(await api('GET', `/api/v1/votings/${voting}/ballot`, { auth: full }), 404);
  });

  test('of a staff member carries none of his roles', async () => {
    const sent = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText() } });
    assert.equal(sent.status, 201, sent.text);
    const id = sent.body.id;
    const accepted = await api('POST', `/api/v1/messages/${id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org: 'demo-admin' } });
    assert.equal(accepted.status, 200, accepted.text);

    const w = await widgetToken('manager1');
    const full = freshToken('manager1');
    assert.equal((await api('GET', `/api/v1/messages/${id}`, { auth: full })).status, 200);
    assertProblem(await api('GET', `/api/v1/messages/${id}`, { auth: w }), 404);
    assertWidgetRefused(await api('POST', `/api/v1/messages/${id}/assign`, { auth: w, body: { executor_id: userId('executor1') } }));
    assertWidgetRefused(await api('GET', '/api/v1/staff/messages', { auth: w }));
    assertWidgetRefused(await api('GET', '/api/v1/orgs/demo-admin/staff', { auth: w }));
    assert.equal((await api('GET', '/api/v1/staff/messages', { auth: full })).status, 200);
    assert.deepEqual((await api('GET', '/api/v1/me', { auth: w })).body.roles, []);
    assert.deepEqual((await api('GET', '/api/v1/me', { auth: full })).body.roles, [{ org: 'demo-admin', role: 'manager' }]);
    assert.equal(sql(`SELECT status FROM messages WHERE id = ${id}`)[0][0], 'registered');
  });

  test('from the widget\'s own frame (a popup on the platform\'s origin) is scoped too', async () => {
    const w = await widgetToken(newcomer('widget-frame'), `${BASE}/widget/frame/demo-widget`, 'popup');
    assert.equal((await api('GET', '/api/v1/my/messages', { auth: w })).status, 200);
    assertWidgetRefused(await api('GET', '/api/v1/my/notifications', { auth: w }));
  });

  test('is scoped by its session row even without the claim, and by the claim whatever the row', async () => {
    const user = userId('citizen3');
    const session = (kind) => {
      const jti = randomBytes(16).toString('hex');
      sql(`INSERT INTO sessions (id, user_id, kind, expires_at) VALUES ('${jti}', ${user}, '${kind}', now() + interval '1 hour')`);
      return jti;
    };
    const unclaimed = forgeToken({ claims: { sub: String(user), jti: session('widget') } });
    assert.equal((await api('GET', '/api/v1/my/messages', { auth: unclaimed })).status, 200);
    assertWidgetRefused(await api('GET', '/api/v1/my/notifications', { auth: unclaimed }));
    const claimed = forgeToken({ claims: { sub: String(user), jti: session('operator'), scope: 'widget' } });
    assertWidgetRefused(await api('GET', '/api/v1/my/notifications', { auth: claimed }));
    const unknown = forgeToken({ claims: { sub: String(user), jti: session('operator'), scope: 'admin' } });
    assertProblem(await api('GET', '/api/v1/my/notifications', { auth: unknown }), 401);
    const operator = forgeToken({ claims: { sub: String(user), jti: session('operator') } });
    assert.equal((await api('GET', '/api/v1/my/notifications', { auth: operator })).status, 200);
  });
});
