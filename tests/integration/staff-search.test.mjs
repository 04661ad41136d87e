// staff-search.test.mjs - the search filters of the staff's work queue
// (GET /api/v1/staff/messages): ?q= full-text over text and address by Russian
// stems, rubric (with its children), territory (with what lies below),
// due_within_days, from/to; each checked against the same question asked of
// the database, page by page, only within the caller's organisations, and
// every bad value answered 422 naming its field.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { api, assertProblem, cleanText, rubricId, sql, userId } from './helpers.mjs';

const LIST = '/api/v1/staff/messages';
// a word of this run only (letters the Russian stemmer keeps), so that the
// searches see this file's messages alone
const NONCE = `тест${[...randomBytes(6)].map((b) => 'бвгджзклмнпрстфхцчшщ'[b % 20]).join('')}`;

async function send({ text, address, rubric = 'roads-potholes', oid = 'citizen1' }) {
  const body = { rubric_id: rubricId(rubric), text: `${text} ${NONCE}. ${cleanText('Просим принять меры')}` };
  if (address) body.address = address;
  const res = await api('POST', '/api/v1/messages', { auth: oid, body });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}
async function accept(id, org = 'demo-admin') {
  const res = await api('POST', `/api/v1/messages/${id}/moderate`, { auth: 'moderator1', body: { decision: 'accept', org } });
  assert.equal(res.status, 200, res.text);
}

/** Every page of a list, following next_cursor; the ids in order. */
async function all(who, query, limit = 2) {
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 500; page++) {
    const res = await api('GET', `${LIST}?${query}&limit=${limit}${cursor}`, { auth: who });
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    assert.ok(res.body.items.length <= limit);
    seen.push(...res.body.items.map((m) => m.id));
    if (res.body.next_cursor === null) return seen;
    cursor = `&cursor=${res.body.next_cursor}`;
  }
  throw new Error('too many pages');
}

const orgId = (code) => Number(sql(`SELECT id FROM organisations WHERE code = '${code}'`)[0][0]);
/** The ids of demo-admin's messages (coordinator1's list) where condition holds, newest first. */
const truth = (condition) => sql(`SELECT id FROM messages m WHERE m.organisation_id = ${orgId('demo-admin')}
  AND (${condition}) ORDER BY id DESC`).flat().map(Number);
const words = (q) => `m.search @@ websearch_to_tsquery('russian', '${q.replace(/'/g, "''")}')`;
const q = (text) => `q=${encodeURIComponent(text)}`;

const ids = {};
before(async () => {
  ids.singular = await send({ text: 'Не работает светофор на перекрёстке' });
  ids.plural = await send({ text: 'Светофоры на проспекте мигают жёлтым всю ночь', rubric: 'roads-signs' });
  ids.address = await send({ text: 'Нет разметки на переходе', address: 'перекрёсток у светофора, ул. Ленина' });
  ids.other = await send({ text: 'Яма на дороге у остановки', rubric: 'roads-snow' });
  ids.lighting = await send({ text: 'Не горят фонари во дворе', rubric: 'lighting-streets' });
  ids.roads = await send({ text: 'Сломан светофор у школы', oid: 'citizen2' });
  ids.waiting = await send({ text: 'Светофор не переключается', oid: 'citizen2' });
  for (const k of ['singular', 'plural', 'address', 'other', 'lighting']) await accept(ids[k]);
  await accept(ids.roads, 'demo-roads');
  const res = await api('POST', `/api/v1/messages/${ids.singular}/assign`, { auth: 'coordinator1', body: { executor_id: userId('executor1') } });
  assert.equal(res.status, 200, res.text);
});

describe('?q=: full-text search by Russian stems over text and address', () => {
  test('«светофора» finds «светофор», «светофоры» and the address, only in the caller’s organisations', async () => {
    const found = await all('coordinator1', q(`светофора ${NONCE}`));
    assert.deepEqual(found, [ids.address, ids.plural, ids.singular]);
    assert.deepEqual(found, truth(words(`светофора ${NONCE}`)));
    assert.ok(!found.includes(ids.roads), "another organisation's message");
    assert.ok(!found.includes(ids.other), 'a message without the word');
    // demo-roads' staff see theirs, not demo-admin's
    assert.deepEqual(await all('manager2', q(`светофор ${NONCE}`)), [ids.roads]);
    // the moderator: the territory's queue only (the accepted ones went elsewhere)
    assert.deepEqual(await all('moderator1', q(`светофор ${NONCE}`)), [ids.waiting]);
    // the items are the list's items
    const page = await api('GET', `${LIST}?${q(`светофоры ${NONCE}`)}`, { auth: 'coordinator1' });
    const item = page.body.items.find((m) => m.id === ids.plural);
    assert.equal(item.organisation, 'demo-admin');
    assert.equal(item.rubric_id, rubricId('roads-signs'));
    assert.equal(item.status, 'registered');
    assert.match(item.text, /^Светофоры на проспекте/);
  });

  test('web search syntax: "-word" excludes, "or" widens; with ?org= too', async () => {
    assert.deepEqual(await all('coordinator1', q(`светофор ${NONCE} -перекрёстке`)), [ids.address, ids.plural]);
    assert.deepEqual(await all('coordinator1', q(`${NONCE} фонари or ${NONCE} яма`)), [ids.lighting, ids.other]);
    assert.deepEqual(await all('coordinator1', `org=demo-admin&${q(`светофор ${NONCE}`)}`), [ids.address, ids.plural, ids.singular]);
  });

  test('combined with status, assignee=me and overdue', async () => {
    assert.deepEqual(await all('coordinator1', `status=in_progress&${q(`светофор ${NONCE}`)}`), [ids.singular]);
    assert.deepEqual(await all('coordinator1', `status=registered&${q(`светофор ${NONCE}`)}`), [ids.address, ids.plural]);
    assert.deepEqual(await all('executor1', `assignee=me&${q(`светофор ${NONCE}`)}`), [ids.singular]);
    assert.deepEqual(await all('coordinator1', `assignee=me&${q(`светофор ${NONCE}`)}`), []);
    sql(`UPDATE messages SET due_at = now() - interval '1 hour' WHERE id = ${ids.plural}`);
    try {
      assert.deepEqual(await all('coordinator1', `overdue=true&${q(`светофор ${NONCE}`)}`), [ids.plural]);
    } finally {
      sql(`UPDATE messages SET due_at = now() + interval '10 days' WHERE id = ${ids.plural}`);
    }
  });

  test('paging one by one through the results returns each once, newest first', async () => {
    const found = await all('coordinator1', q(NONCE), 1);
    assert.deepEqual(found, truth(words(NONCE)));
    assert.equal(found.length, 5);
    assert.equal(new Set(found).size, found.length);
  });

  test('metacharacters of SQL and tsquery are words to search, never an error', async () => {
    for (const text of [`'`, `&`, `|`, `!`, `(`, `)`, `:`, `*`, `<`, `>`, `'&|!():*<>`, `светофор:*`,
      `светофор & (яма | !фонари)`, `"светофор`, `светофор <-> яма`, `\\`, `%`, `'; DROP TABLE messages; --`,
      `-`, `or`, `и`, `" "`, `a:A`, `светофор:B`, `1'::tsquery`, '😀', 'ё'.repeat(200)]) {
      const res = await api('GET', `${LIST}?${q(text)}`, { auth: 'coordinator1' });
      assert.equal(res.status, 200, `${JSON.stringify(text)}: ${res.text}`);
      assert.ok(Array.isArray(res.body.items));
    }
    const res = await api('GET', `${LIST}?${q(`светофор:* & ${NONCE}`)}`, { auth: 'coordinator1' });
    assert.deepEqual(res.body.items.map((m) => m.id), truth(words(`светофор:* & ${NONCE}`)));
  });
});

describe('the other filters, each against the database', () => {
  test('rubric: a parent rubric takes its children’s messages', async () => {
    const roads = rubricId('roads');
    const parent = await all('coordinator1', `rubric=${roads}`, 50);
    assert.deepEqual(parent, truth(`m.rubric_id IN (SELECT id FROM rubrics WHERE id = ${roads} OR parent_id = ${roads})`));
    for (const k of ['singular', 'plural', 'address', 'other']) assert.ok(parent.includes(ids[k]), k);
    assert.ok(!parent.includes(ids.lighting));
    const leaf = await all('coordinator1', `rubric=${rubricId('roads-signs')}&${q(NONCE)}`);
    assert.deepEqual(leaf, [ids.plural]);
    assert.deepEqual(await all('coordinator1', `rubric=${rubricId('lighting')}&${q(NONCE)}`), [ids.lighting]);
  });

  test('territory: a region takes its municipalities’ messages', async () => {
    sql(`UPDATE messages SET territory_id = (SELECT id FROM territories WHERE code = '99') WHERE id = ${ids.other}`);
    const region = await all('coordinator1', `territory=99&${q(NONCE)}`);
    assert.deepEqual(region, truth(`${words(NONCE)} AND territory_within(m.territory_id, (SELECT id FROM territories WHERE code = '99'))`));
    assert.equal(region.length, 5);
    const city = await all('coordinator1', `territory=99-demograd&${q(NONCE)}`);
    assert.deepEqual(city, truth(`${words(NONCE)} AND m.territory_id = (SELECT id FROM territories WHERE code = '99-demograd')`));
    assert.ok(!city.includes(ids.other) && city.length === 4);
    assert.deepEqual(await all('coordinator1', 'territory=99-demograd', 50),
      truth(`m.territory_id = (SELECT id FROM territories WHERE code = '99-demograd')`));
  });

  test('due_within_days: open, not yet overdue, due within N days', async () => {
    sql(`UPDATE messages SET due_at = now() + interval '2 days' WHERE id = ${ids.address}`);
    sql(`UPDATE messages SET due_at = now() + interval '6 days' WHERE id = ${ids.other}`);
    sql(`UPDATE messages SET due_at = now() - interval '1 day' WHERE id = ${ids.lighting}`);
    const within = (n) => truth(`m.status NOT IN ('answered', 'closed', 'rejected') AND m.due_at >= now()
      AND m.due_at < now() + make_interval(days => ${n})`);
    assert.deepEqual(await all('coordinator1', 'due_within_days=3', 50), within(3));
    assert.ok((await all('coordinator1', 'due_within_days=3', 50)).includes(ids.address));
    const week = await all('coordinator1', `due_within_days=7&${q(NONCE)}`);
    assert.deepEqual(week, [ids.other, ids.address]);
    assert.ok(!week.includes(ids.lighting), 'overdue is not "due within"');
    assert.deepEqual(await all('coordinator1', 'due_within_days=365', 50), within(365));
  });

  test('from/to: created_at from the first day to the last, dates or times with offsets', async () => {
    sql(`UPDATE messages SET created_at = '2020-01-01T00:00:00Z' WHERE id = ${ids.singular}`);
    sql(`UPDATE messages SET created_at = '2020-01-31T23:59:59Z' WHERE id = ${ids.plural}`);
    sql(`UPDATE messages SET created_at = '2020-02-01T00:00:00Z' WHERE id = ${ids.address}`);
    const january = await all('coordinator1', 'from=2020-01-01&to=2020-01-31', 50);
    assert.deepEqual(january, truth(`m.created_at >= '2020-01-01T00:00:00Z' AND m.created_at < '2020-02-01T00:00:00Z'`));
    assert.deepEqual(january, [ids.plural, ids.singular]);
    assert.deepEqual(await all('coordinator1', `from=${encodeURIComponent('2020-02-01T03:00:00+03:00')}&to=2020-02-01&${q(NONCE)}`), [ids.address]);
    assert.deepEqual(await all('coordinator1', 'to=2020-01-01T00:00:00Z', 50), truth(`m.created_at < '2020-01-01T00:00:00Z'`));
    const since = await all('coordinator1', `from=2020-01-31T12:00:00.5Z&${q(NONCE)}`);
    assert.deepEqual(since, truth(`${words(NONCE)} AND m.created_at >= '2020-01-31T12:00:00.5Z'`));
    assert.ok(!since.includes(ids.singular) && since.includes(ids.plural));
  });
});

describe('bad values: 422 naming the field, after 401 for an unknown caller', () => {
  const cases = [
    ['q', '', 'too_short'], ['q', 'я'.repeat(201), 'too_long'],
    ['rubric', 'abc', 'type'], ['rubric', '-1', 'type'], ['rubric', '1.5', 'type'], ['rubric', '99999999999999999999', 'type'],
    ['rubric', '999999999', 'unknown'], ['rubric', '0', 'unknown'],
    ['territory', 'nowhere', 'unknown'], ['territory', '', 'unknown'],
    ['due_within_days', '0', 'out_of_range'], ['due_within_days', '366', 'out_of_range'], ['due_within_days', 'soon', 'type'],
    ['due_within_days', '3.5', 'type'],
    ['from', 'yesterday', 'type'], ['from', '2026-02-30', 'type'], ['from', '2026-13-01', 'type'], ['from', '2026-1-1', 'type'],
    ['to', '2026-11-23T25:00:00Z', 'type'], ['to', '2026-11-23T10:00:00', 'type'], ['to', '2026-11-23T10:00:00+3', 'type'],
    ['to', '0000-01-01', 'type'], ['to', '2026-11-23T10:00Z', 'type'],
  ];
  for (const [field, value, code] of cases) {
    test(`${field}=${JSON.stringify(value.slice(0, 20))}: ${code}`, async () => {
      const path = `${LIST}?${field}=${encodeURIComponent(value)}`;
      assertProblem(await api('GET', path), 401);
      const res = await api('GET', path, { auth: 'coordinator1' });
      assertProblem(res, 422);
      assert.deepEqual(res.body.errors, [{ field, code }]);
    });
  }

  test('hostile values of every filter: an answer, never a 5xx', async () => {
    const values = ['%ff', '%c0%80', '%e2%80%ae', "'", '%27%3B--', 'NaN', '1e3', '0x10', '+5', ' 5', '５', 'infinity',
      'epoch', 'now', 'today', '2026-11-23T10:00:00Z%00', '9999-12-31', 'x'.repeat(3000), '{1,2}', '$1', '%5C'];
    for (const field of ['q', 'rubric', 'territory', 'due_within_days', 'from', 'to']) {
      for (const value of values) {
        const res = await api('GET', `${LIST}?${field}=${value}`, { auth: 'coordinator1' });
        assert.ok([200, 400, 414, 422].includes(res.status), `${field}=${value.slice(0, 30)}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
  });

  test('every bad field at once; a citizen hears 403', async () => {
    const res = await api('GET', `${LIST}?q=&rubric=x&due_within_days=0&from=x&to=y`, { auth: 'coordinator1' });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors.map((e) => e.field), ['q', 'rubric', 'due_within_days', 'from', 'to']);
    assertProblem(await api('GET', `${LIST}?q=светофор&rubric=${rubricId('roads')}`, { auth: 'citizen1' }), 403);
    assertProblem(await api('GET', `${LIST}?territory=nowhere&org=demo-roads`, { auth: 'coordinator1' }), 404);
  });
});
