// participation-catalogue.test.mjs - the catalogues of votings, polls and
// discussions: a territory's items and those of the territories above it,
// each with its state (upcoming, open, finished), open first, keyset pages.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, sql } from './helpers.mjs';

const iso = (hours) => new Date(Date.now() + hours * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const PERIODS = { open: [-1, 48], upcoming: [24, 48], finished: [-48, -24] };
const RANK = { open: 0, upcoming: 1, finished: 2 };
const stamp = `${Date.now()}`;

const bodies = {
  votings: (title, [from, to], territory) => ({ org: 'demo-admin', territory, title, opens_at: iso(from), closes_at: iso(to),
    max_choices: 1, projects: [{ title: 'Проект', cost: 100 }] }),
  polls: (title, [from, to], territory) => ({ org: 'demo-admin', territory, title, opens_at: iso(from), closes_at: iso(to),
    questions: [{ text: 'Да или нет?', kind: 'single', options: ['Да', 'Нет'] }] }),
  discussions: (title, [from, to], territory) => ({ org: 'demo-admin', territory, title, opens_at: iso(from), closes_at: iso(to),
    document: 'Проект документа' }),
};

/** Every item of a catalogue query, page by page (limit 2). */
async function all(kind, query) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 500; i++) {
    const res = await api('GET', `/api/v1/${kind}?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.body.items) && 'next_cursor' in res.body);
    items.push(...res.body.items);
    cursor = res.body.next_cursor;
    if (cursor === null) return items;
  }
  throw new Error('endless paging');
}

describe('participation catalogues', () => {
  const made = {};
  before(async () => {
    sql(`INSERT INTO territories (code, name, kind, parent_id)
         SELECT '99-cat-other', 'г. Другой', 'municipality', id FROM territories WHERE code = '99'
         ON CONFLICT (code) DO NOTHING`);
    for (const kind of Object.keys(bodies)) {
      made[kind] = {};
      for (const [where, territory] of [['city', '99-demograd'], ['region', '99'], ['other', '99-cat-other']]) {
        for (const state of Object.keys(PERIODS)) {
          const title = `Каталог ${kind} ${where} ${state} ${stamp}`;
          const res = await api('POST', `/api/v1/${kind}`, { auth: 'admin1', body: bodies[kind](title, PERIODS[state], territory) });
          assert.equal(res.status, 201, res.text);
          made[kind][`${where}-${state}`] = res.body.id;
        }
      }
    }
  });

  for (const kind of Object.keys(bodies)) {
    test(`${kind}: a municipality's catalogue holds its items and the region's, not a neighbour's`, async () => {
      const items = (await all(kind, 'territory=99-demograd')).filter((i) => i.title.endsWith(stamp));
      const ids = new Set(items.map((i) => i.id));
      for (const state of Object.keys(PERIODS)) {
        assert.ok(ids.has(made[kind][`city-${state}`]), `city ${state}`);
        assert.ok(ids.has(made[kind][`region-${state}`]), `region ${state}`);
        assert.ok(!ids.has(made[kind][`other-${state}`]), `other ${state}`);
      }
      const city = items.find((i) => i.id === made[kind]['city-open']);
      assert.deepEqual(city.territory, { code: '99-demograd', name: 'г. Демоград' });
      assert.equal(city.state, 'open');
      assert.match(city.starts_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(Date.parse(city.ends_at) > Date.parse(city.starts_at));
      for (const state of Object.keys(PERIODS)) {
        assert.equal(items.find((i) => i.id === made[kind][`city-${state}`]).state, state);
      }
    });

    test(`${kind}: the region's catalogue has no municipality's items`, async () => {
      const ids = new Set((await all(kind, 'territory=99')).map((i) => i.id));
      assert.ok(ids.has(made[kind]['region-open']));
      assert.ok(!ids.has(made[kind]['city-open']));
    });

    test(`${kind}: open first, then upcoming, then finished, over every page, no item twice`, async () => {
      const items = await all(kind, 'territory=99-demograd');
      const ranks = items.map((i) => RANK[i.state]);
      assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
      assert.equal(new Set(items.map((i) => i.id)).size, items.length);
    });

    test(`${kind}: state= filters; a bad state is 400`, async () => {
      for (const state of Object.keys(PERIODS)) {
        const items = await all(kind, `territory=99-demograd&state=${state}`);
        assert.ok(items.length > 0 && items.every((i) => i.state === state), state);
        assert.ok(items.some((i) => i.id === made[kind][`city-${state}`]));
      }
      assertProblem(await api('GET', `/api/v1/${kind}?state=closed`), 400);
    });
  }

  test('the votings list shows an open voting first, never one that has not opened yet', async () => {
    const first = await api('GET', '/api/v1/votings?limit=1');
    assert.equal(first.status, 200);
    assert.equal(first.body.items[0].state, 'open');
    const upcoming = await api('GET', `/api/v1/votings/${made.votings['city-upcoming']}`);
    assert.equal(upcoming.body.state, 'upcoming');
  });

  test('the demo has one open voting, poll and discussion in the region', async () => {
    for (const kind of ['votings', 'polls', 'discussions']) {
      const open = await all(kind, 'territory=99&state=open');
      assert.ok(open.some((i) => i.territory.code === '99'), kind);
    }
  });
});
