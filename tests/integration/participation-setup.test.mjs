// participation-setup.test.mjs - polls and discussions created and edited by
// an organisation's admin or manager: the role matrix, every validation (422
// per field, nothing half-written), "frozen once open" (409), and poll results
// per the results setting, with the free-text answers for staff only.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, PNG, sql } from './helpers.mjs';

const iso = (hours) => new Date(Date.now() + hours * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const questions = () => [
  { text: 'Как часто вы ездите на автобусе?', kind: 'single', required: true, options: ['Каждый день', 'Редко'] },
  { text: 'Что улучшить?', kind: 'multiple', required: false, options: ['Расписание', 'Остановки', 'Маршруты'] },
  { text: 'Ваши предложения', kind: 'text', required: false },
];
const poll = (over = {}) => ({ org: 'demo-admin', title: `Опрос ${Date.now()}`, description: 'Описание',
  opens_at: iso(24), closes_at: iso(72), results: 'live', questions: questions(), ...over });
const discussion = (over = {}) => ({ org: 'demo-admin', title: `Обсуждение ${Date.now()}`, document: 'Глава 1. Текст проекта.',
  opens_at: iso(24), closes_at: iso(72), ...over });
const fields = (res) => (res.body.errors ?? []).map((e) => `${e.field}:${e.code}`);
const BAD = `Не записывать ${Date.now()}`;
/** How many polls and discussions carry a title of the refused attempts. */
const written = () => sql(`SELECT (SELECT count(*) FROM polls WHERE title LIKE '${BAD}%')
  + (SELECT count(*) FROM discussions WHERE title LIKE '${BAD}%')`)[0][0];

describe('polls: create and edit', () => {
  test('an admin and a manager of the organisation create a poll with its questions', async () => {
    for (const who of ['admin1', 'manager1']) {
      const res = await api('POST', '/api/v1/polls', { auth: who, body: poll({ territory: '99-demograd' }) });
      assert.equal(res.status, 201, res.text);
      assert.match(res.headers.get('location'), new RegExp(`/api/v1/polls/${res.body.id}$`));
      assert.equal(res.body.state, 'upcoming');
      assert.equal(res.body.results, 'live');
      assert.deepEqual(res.body.territory, { code: '99-demograd', name: 'г. Демоград' });
      assert.deepEqual(res.body.questions.map((q) => [q.kind, q.required, q.options.map((o) => o.text)]),
        [['single', true, ['Каждый день', 'Редко']], ['multiple', false, ['Расписание', 'Остановки', 'Маршруты']], ['text', false, []]]);
      const shown = await api('GET', `/api/v1/polls/${res.body.id}`);
      assert.deepEqual(shown.body, res.body);
    }
  });

  test('the role matrix: anonymous 401, citizen 403, staff without the right 403, another organisation 404', async () => {
    const bad = poll({ title: `${BAD} роли` });
    assertProblem(await api('POST', '/api/v1/polls', { body: bad }), 401);
    assertProblem(await api('POST', '/api/v1/polls', { auth: 'citizen1', body: bad }), 403);
    assertProblem(await api('POST', '/api/v1/polls', { auth: 'executor1', body: bad }), 403);
    assertProblem(await api('POST', '/api/v1/polls', { auth: 'manager2', body: bad }), 404);
    assertProblem(await api('POST', '/api/v1/polls', { auth: 'admin1', body: { ...bad, org: 'no-such-org' } }), 404);
    const mine = (await api('POST', '/api/v1/polls', { auth: 'admin1', body: poll() })).body;
    assertProblem(await api('PATCH', `/api/v1/polls/${mine.id}`, { body: { title: 'x' } }), 401);
    assertProblem(await api('PATCH', `/api/v1/polls/${mine.id}`, { auth: 'citizen1', body: { title: 'x' } }), 403);
    assertProblem(await api('PATCH', `/api/v1/polls/${mine.id}`, { auth: 'executor1', body: { title: 'x' } }), 403);
    assertProblem(await api('PATCH', `/api/v1/polls/${mine.id}`, { auth: 'manager2', body: { title: 'x' } }), 404);
    assertProblem(await api('PATCH', '/api/v1/polls/999999999', { auth: 'admin1', body: { title: 'x' } }), 404);
    assert.equal((await api('GET', `/api/v1/polls/${mine.id}`)).body.title, mine.title);
    assert.equal(written(), '0');
  });

  test('bad input: 422 with the field, and nothing written', async () => {
    const cases = [
      ['ends before it starts', { opens_at: iso(48), closes_at: iso(24) }, 'closes_at:out_of_range'],
      ['not a date', { opens_at: 'tomorrow morning' }, 'opens_at:format'],
      ['no questions', { questions: [] }, 'questions:too_short'],
      ['a choice without options', { questions: [{ text: 'Что?', kind: 'single', options: [] }] }, 'questions[0].options:too_short'],
      ['a choice with one option', { questions: [{ text: 'Что?', kind: 'multiple', options: ['Одно'] }] }, 'questions[0].options:too_short'],
      ['free text with options', { questions: [{ text: 'Что?', kind: 'text', options: ['a', 'b'] }] }, 'questions[0].options:unexpected'],
      ['an unknown kind', { questions: [{ text: 'Что?', kind: 'scale' }] }, 'questions[0].kind:unknown'],
      ['too many questions', { questions: Array.from({ length: 51 }, () => questions()[2]) }, 'questions:too_long'],
      ['too many options', { questions: [{ text: 'Что?', kind: 'single', options: Array.from({ length: 31 }, (_, i) => `${i}`) }] }, 'questions[0].options:too_long'],
      ['an unknown results setting', { results: 'never' }, 'results:unknown'],
      ['an unknown territory', { territory: 'nowhere' }, 'territory:unknown'],
      ['an empty title', { title: '' }, 'title:too_short'],
    ];
    for (const [what, over, error] of cases) {
      const res = await api('POST', '/api/v1/polls', { auth: 'admin1', body: poll({ title: `${BAD} ${what}`, ...over }) });
      assertProblem(res, 422);
      assert.ok(fields(res).includes(error), `${what}: ${res.text}`);
    }
    assert.equal(written(), '0');
  });

  test('before it opens everything may change (questions replaced); once open only the wording (409)', async () => {
    const p = (await api('POST', '/api/v1/polls', { auth: 'manager1', body: poll() })).body;
    const changed = await api('PATCH', `/api/v1/polls/${p.id}`, { auth: 'manager1', body: {
      title: 'Новое название', results: 'after_close', territory: '99-demograd', closes_at: iso(96),
      questions: [{ text: 'Единственный вопрос', kind: 'text' }] } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.title, 'Новое название');
    assert.equal(changed.body.results, 'after_close');
    assert.equal(changed.body.territory.code, '99-demograd');
    assert.deepEqual(changed.body.questions.map((q) => [q.text, q.kind, q.required]), [['Единственный вопрос', 'text', true]]);
    assert.equal(sql(`SELECT count(*) FROM poll_options o JOIN poll_questions q ON q.id = o.question_id WHERE q.poll_id = ${p.id}`)[0][0], '0');
    assertProblem(await api('PATCH', `/api/v1/polls/${p.id}`, { auth: 'manager1', body: { opens_at: iso(200) } }), 422);
    sql(`UPDATE polls SET opens_at = now() - interval '1 hour' WHERE id = ${p.id}`);
    for (const body of [{ closes_at: iso(300) }, { results: 'live' }, { territory: '99' },
      { questions: questions() }, { title: 'И ещё', opens_at: iso(1) }]) {
      assertProblem(await api('PATCH', `/api/v1/polls/${p.id}`, { auth: 'manager1', body }), 409);
    }
    const shown = (await api('GET', `/api/v1/polls/${p.id}`)).body;
    assert.equal(shown.title, 'Новое название');
    assert.equal(shown.questions.length, 1);
    const wording = await api('PATCH', `/api/v1/polls/${p.id}`, { auth: 'manager1', body: { title: 'Открытый опрос', description: 'Уточнено' } });
    assert.equal(wording.status, 200, wording.text);
    assert.equal(wording.body.state, 'open');
  });
});

describe('poll results: counts per the setting, free text for staff', () => {
  async function answered(results) {
    const p = (await api('POST', '/api/v1/polls', { auth: 'admin1', body: poll({ opens_at: iso(-1), results }) })).body;
    const [single, multiple, text] = p.questions;
    const res = await api('POST', `/api/v1/polls/${p.id}/responses`, { auth: 'citizen3', body: { answers: [
      { question_id: single.id, option_ids: [single.options[0].id] },
      { question_id: multiple.id, option_ids: [multiple.options[1].id, multiple.options[2].id] },
      { question_id: text.id, text: 'Пустите автобус до вокзала' }] } });
    assert.equal(res.status, 201, res.text);
    return p;
  }

  test('live: a citizen sees the counts, never the texts; the organisation\'s staff see the texts', async () => {
    const p = await answered('live');
    for (const who of [undefined, 'citizen1', 'manager2']) {
      const res = await api('GET', `/api/v1/polls/${p.id}/results`, { auth: who });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.respondents, 1);
      assert.equal(res.body.questions[0].options[0].votes, 1);
      assert.equal(res.body.questions[2].text_answers, 1);
      assert.ok(!res.text.includes('Пустите автобус'), `${who} sees no free text`);
    }
    for (const who of ['executor1', 'manager1']) {
      const res = await api('GET', `/api/v1/polls/${p.id}/results`, { auth: who });
      assert.deepEqual(res.body.questions[2].answers.map((a) => a.text), ['Пустите автобус до вокзала']);
    }
  });

  test('after_close: 403 for citizens until the poll ends; staff see them at once', async () => {
    const p = await answered('after_close');
    assertProblem(await api('GET', `/api/v1/polls/${p.id}/results`), 403);
    assertProblem(await api('GET', `/api/v1/polls/${p.id}/results`, { auth: 'citizen3' }), 403);
    assert.equal((await api('GET', `/api/v1/polls/${p.id}/results`, { auth: 'admin1' })).status, 200);
    sql(`UPDATE polls SET closes_at = now() - interval '1 second' WHERE id = ${p.id}`);
    const after = await api('GET', `/api/v1/polls/${p.id}/results`, { auth: 'citizen3' });
    assert.equal(after.status, 200, after.text);
    assert.equal(after.body.state, 'finished');
    assert.equal(after.body.questions[1].options.map((o) => o.votes).join(), '0,1,1');
  });
});

describe('discussions: create and edit', () => {
  async function upload(who) {
    const res = await api('POST', '/api/v1/attachments', { auth: who, raw: PNG, headers: { 'content-type': 'image/png' } });
    assert.equal(res.status, 201, res.text);
    return res.body.id;
  }

  test('an admin creates a discussion with a document and his own attachment', async () => {
    const file = await upload('admin1');
    const res = await api('POST', '/api/v1/discussions', { auth: 'admin1', body: discussion({ attachment_ids: [file], territory: '99-demograd' }) });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.attachment_ids, [file]);
    assert.equal(res.body.document, 'Глава 1. Текст проекта.');
    assert.equal(res.body.state, 'upcoming');
    assert.deepEqual(res.body.territory, { code: '99-demograd', name: 'г. Демоград' });
    assert.deepEqual((await api('GET', `/api/v1/discussions/${res.body.id}`)).body, res.body);
  });

  test('the role matrix, and bad input (422, nothing written)', async () => {
    const bad = (over = {}) => discussion({ title: `${BAD} обсуждение`, ...over });
    assertProblem(await api('POST', '/api/v1/discussions', { body: bad() }), 401);
    assertProblem(await api('POST', '/api/v1/discussions', { auth: 'citizen1', body: bad() }), 403);
    assertProblem(await api('POST', '/api/v1/discussions', { auth: 'curator1', body: bad() }), 403);
    assertProblem(await api('POST', '/api/v1/discussions', { auth: 'manager2', body: bad() }), 404);
    const foreign = await upload('citizen1');
    for (const [over, error] of [
      [{ opens_at: iso(10), closes_at: iso(5) }, 'closes_at:out_of_range'],
      [{ document: '' }, 'document:too_short'],
      [{ attachment_ids: [foreign] }, 'attachment_ids:unknown'],
      [{ attachment_ids: [999999999] }, 'attachment_ids:unknown'],
      [{ territory: 'nowhere' }, 'territory:unknown'],
    ]) {
      const res = await api('POST', '/api/v1/discussions', { auth: 'admin1', body: bad(over) });
      assertProblem(res, 422);
      assert.ok(fields(res).includes(error), res.text);
    }
    assert.equal(written(), '0');
  });

  test('frozen once the comment period opens: document, period, territory 409; the title may change', async () => {
    const d = (await api('POST', '/api/v1/discussions', { auth: 'manager1', body: discussion() })).body;
    assertProblem(await api('PATCH', `/api/v1/discussions/${d.id}`, { auth: 'manager2', body: { title: 'x' } }), 404);
    assertProblem(await api('PATCH', `/api/v1/discussions/${d.id}`, { auth: 'citizen1', body: { title: 'x' } }), 403);
    const early = await api('PATCH', `/api/v1/discussions/${d.id}`, { auth: 'manager1', body: { document: 'Редакция 2', closes_at: iso(100) } });
    assert.equal(early.status, 200, early.text);
    assert.equal(early.body.document, 'Редакция 2');
    sql(`UPDATE discussions SET opens_at = now() - interval '1 minute' WHERE id = ${d.id}`);
    for (const body of [{ document: 'Редакция 3' }, { closes_at: iso(200) }, { territory: '99' }, { attachment_ids: [] }]) {
      assertProblem(await api('PATCH', `/api/v1/discussions/${d.id}`, { auth: 'admin1', body }), 409);
    }
    const renamed = await api('PATCH', `/api/v1/discussions/${d.id}`, { auth: 'admin1', body: { title: 'Уточнённое название' } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.document, 'Редакция 2');
    assert.equal(renamed.body.state, 'open');
  });
});
