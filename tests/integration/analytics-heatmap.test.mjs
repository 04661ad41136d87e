// analytics-heatmap.test.mjs - GET /api/v1/analytics/heatmap (staff: what
// they may see) and GET /api/v1/public/heatmap (anyone: published messages,
// no cell under 3, nothing but counts) against direct SQL counts: the
// analytics fixture's messages placed in cells of an empty patch of ocean
// (so no other test's messages count), a lone message whose cell the public
// must not see, the box validated and its cells capped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, sql, token } from './helpers.mjs';
import { fixture, num } from './analytics-fixture.mjs';

const f = fixture();
const ZOOM = 12;
const CELL = 360 / 2 ** ZOOM / 8;
// a random patch of the South Pacific, on the grid of ZOOM
const KX = Math.floor((-140 + Math.random() * 20) / CELL), KY = Math.floor((-40 + Math.random() * 10) / CELL);
const BBOX = [(KX - 1) * CELL, (KY - 1) * CELL, (KX + 10) * CELL, (KY + 10) * CELL];
const lone = f.messages.at(-1); // C's, registered (published), alone in its cell

// message n in cell (KX + n % 5, KY + n / 5 % 3), off the cells' edges; the lone one at (KX + 8, KY + 8)
f.messages.forEach((id, n) => {
  const [cx, cy] = id === lone ? [KX + 8, KY + 8] : [KX + (n % 5), KY + (Math.floor(n / 5) % 3)];
  const lon = (cx + 0.25 + (n % 3) * 0.2) * CELL, lat = (cy + 0.3 + (n % 2) * 0.3) * CELL;
  sql(`UPDATE messages SET longitude = ${lon}, latitude = ${lat} WHERE id = ${id}`);
});

const q = (params) => '?' + new URLSearchParams(params).toString();
const staff = (who, params = {}) => api('GET', `/api/v1/analytics/heatmap${q({ bbox: BBOX.join(','), zoom: ZOOM, from: '2025-02-01', to: '2025-04-30', ...params })}`, { auth: f.token(who) });
const publicMap = (params = {}) => api('GET', `/api/v1/public/heatmap${q({ bbox: BBOX.join(','), zoom: ZOOM, ...params })}`);

/* The cell of a feature: its square's west and south corner as grid indexes. */
function cellOf(feature) {
  assert.equal(feature.type, 'Feature');
  assert.equal(feature.geometry.type, 'Polygon');
  const ring = feature.geometry.coordinates[0];
  const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
  assert.ok(Math.abs(Math.max(...xs) - Math.min(...xs) - CELL) < 1e-6, 'a square cell of the zoom');
  return [Math.round(Math.min(...xs) / CELL), Math.round(Math.min(...ys) / CELL)];
}

/* The direct count of messages matching where, cell by cell, as "x,y" -> n. */
function counted(where) {
  const rows = sql(`SELECT floor(longitude / ${CELL})::int, floor(latitude / ${CELL})::int, count(*) FROM messages m
    WHERE longitude BETWEEN ${BBOX[0]} AND ${BBOX[2]} AND latitude BETWEEN ${BBOX[1]} AND ${BBOX[3]} AND ${where} GROUP BY 1, 2`);
  return new Map(rows.map(([x, y, n]) => [`${x},${y}`, Number(n)]));
}
const answered = (body) => new Map(body.features.map((c) => [cellOf(c).join(','), c.properties.count]));

test('staff: the moderation organisation counts its territory\'s messages, cell by cell, as SQL does', async () => {
  const res = await staff('modM');
  assert.equal(res.status, 200);
  assert.equal(res.body.type, 'FeatureCollection');
  assert.ok(Math.abs(res.body.cell_degrees - CELL) < 1e-12);
  const want = counted(`m.territory_id = ${f.T} AND m.created_at >= '2025-02-01' AND m.created_at < '2025-05-01'`);
  assert.ok(want.size >= 10);
  assert.deepEqual(answered(res.body), want);
  assert.ok(!answered(res.body).has(`${KX + 8},${KY + 8}`), 'the other territory\'s message is not theirs');
});

test('staff: a curator counts his organisation\'s messages only; the slice filters apply', async () => {
  const res = await staff('curA');
  assert.equal(res.status, 200);
  assert.deepEqual(answered(res.body), counted(`m.organisation_id = ${f.A}`));
  const rubric = await staff('modM', { rubric: f.rubrics[1] });
  assert.deepEqual(answered(rubric.body), counted(`m.territory_id = ${f.T} AND m.rubric_id = ${f.rubrics[1]}`));
  const empty = await staff('modM', { from: '2026-01-01', to: '2026-01-31' });
  assert.deepEqual(empty.body.features, []);
});

test('public: published messages only, no cell under 3, nothing but counts', async () => {
  const res = await publicMap();
  assert.equal(res.status, 200);
  const all = counted(`m.status NOT IN ('moderation', 'rejected')`);
  assert.ok([...all.values()].some((n) => n < 3), 'the data set has small cells to hide');
  assert.equal(all.get(`${KX + 8},${KY + 8}`), 1);
  const want = new Map([...all].filter(([, n]) => n >= 3));
  assert.deepEqual(answered(res.body), want);
  for (const c of res.body.features) {
    assert.ok(c.properties.count >= 3);
    assert.deepEqual(Object.keys(c.properties), ['count']);
  }
  const text = JSON.stringify(res.body);
  assert.ok(!/Сообщение|Организация|Аналитинск|HYPERLINK/.test(text), 'no text, no names');
  const byStatus = await publicMap({ status: 'registered', rubric: f.rubrics[0] });
  assert.deepEqual(answered(byStatus.body),
    new Map([...counted(`m.status = 'registered' AND m.rubric_id = ${f.rubrics[0]}`)].filter(([, n]) => n >= 3)));
  assertProblem(await publicMap({ status: 'moderation' }), 400);
});

test('the box is checked and its cells capped', async () => {
  for (const bbox of ['', '1,2,3', '10,10,5,20', '1,2,3,x', '-181,0,0,1', '0,0,1,91', 'NaN,0,1,1'])
    assertProblem(await publicMap({ bbox }), 422);
  for (const zoom of ['', '-1', '21', '1.5', 'z'])
    assertProblem(await publicMap({ zoom }), 422);
  const world = await publicMap({ bbox: '-180,-90,180,90', zoom: 20 });
  assert.equal(world.status, 200);
  assert.ok(360 / world.body.cell_degrees * (180 / world.body.cell_degrees) <= 4096, 'at most 4096 cells');
  assert.ok(world.body.features.length <= 4096);
  assert.equal((await api('GET', `/api/v1/analytics/heatmap${q({ bbox: BBOX.join(','), zoom: ZOOM })}`)).status, 401);
  assertProblem(await api('GET', `/api/v1/analytics/heatmap${q({ bbox: BBOX.join(','), zoom: ZOOM })}`, { auth: f.token('citizen') }), 403);
  assert.ok(num(`SELECT count(*) FROM pg_indexes WHERE indexname = 'messages_location'`) === 1);
});

test('the boundaries drawn under the staff\'s map: their territories\' only', async () => {
  const region = await api('GET', '/api/v1/analytics/boundaries', { auth: token('moderator1') });
  assert.equal(region.status, 200);
  assert.equal(region.body.type, 'FeatureCollection');
  const codes = region.body.features.map((b) => b.properties.code);
  assert.ok(codes.includes('99-demograd'), codes.join());
  assert.ok(['Polygon', 'MultiPolygon'].includes(region.body.features[0].geometry.type));
  const other = await api('GET', '/api/v1/analytics/boundaries', { auth: f.token('curC') });
  assert.deepEqual(other.body.features, [], 'a territory without a boundary, and nothing of region 99');
});
