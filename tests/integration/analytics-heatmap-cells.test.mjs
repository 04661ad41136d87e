// analytics-heatmap-cells.test.mjs - the heat maps' cells counted in advance
// (sql/046) answer what PostGIS counts directly over the messages, for
// several boxes, zooms and filters: right after the transitions (the
// deltas), after the tick folds them into every level, after a message
// moves, and after heatmap_rebuild(); the public map still hides cells under 3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, sql } from './helpers.mjs';
import { fixture, num } from './analytics-fixture.mjs';

const f = fixture();
const TOP = 15; // heatmap_top_level()
const size = (level) => 45 / 2 ** level;
const FINE = size(TOP);
// message n in top-level cell (KX + col(n), KY + row(n)) of a 12 x 12 patch
const col = (n) => (n * 7) % 12, row = (n) => (n * 5) % 12;
// where the patch starts within the cells of zoom 12 (8 x 8 top-level cells each) decides
// how the published messages fall into them: an offset at which the public map of zoom 12
// has cells both under 3 (to hide) and of 3 or more (to show), so the test has both
const PER12 = 2 ** (TOP - 12);
const published = new Set(sql(`SELECT id FROM messages WHERE id IN (${f.messages.join(',')})
  AND status NOT IN ('moderation', 'rejected')`).map(([id]) => String(id)));
function zoom12Counts(ox, oy) {
  const cells = new Map();
  f.messages.forEach((id, n) => {
    if (!published.has(String(id))) return;
    const key = `${Math.floor((ox + col(n)) / PER12)},${Math.floor((oy + row(n)) / PER12)}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  });
  return [...cells.values()];
}
const offsets = Array.from({ length: PER12 * PER12 }, (_, i) => [i % PER12, Math.floor(i / PER12)])
  .filter(([ox, oy]) => { const n = zoom12Counts(ox, oy); return n.some((c) => c < 3) && n.some((c) => c >= 3); });
const [OX, OY] = offsets[Math.floor(Math.random() * offsets.length)];
// a random patch of the South Atlantic, on the grid of zoom 12, then that offset
const KX = Math.floor((-30 + Math.random() * 10) / FINE / PER12) * PER12 + OX;
const KY = Math.floor((-50 + Math.random() * 10) / FINE / PER12) * PER12 + OY;

// message n somewhere in its top-level cell, off its edges
f.messages.forEach((id, n) => {
  const lon = (KX + col(n) + 0.2 + (n % 3) * 0.25) * FINE, lat = (KY + row(n) + 0.3 + (n % 2) * 0.3) * FINE;
  sql(`UPDATE messages SET longitude = ${lon}, latitude = ${lat} WHERE id = ${id}`);
});

const q = (params) => '?' + new URLSearchParams(params).toString();
const PERIOD = { from: '2025-02-01', to: '2025-04-30' };
// boxes: the whole patch, and one cutting through cells (whole cells answer)
const BOXES = [
  [(KX - 1) * FINE, (KY - 1) * FINE, (KX + 13) * FINE, (KY + 13) * FINE],
  [(KX + 2.5) * FINE, (KY + 3.5) * FINE, (KX + 9.5) * FINE, (KY + 7.5) * FINE],
];
const ZOOMS = [15, 13, 12, 10, 7];

/* The direct PostGIS count of the messages matching where in each cell of
 * the level meeting the box, as "x,y" -> n. */
function counted(box, level, where) {
  const c = size(level);
  const [x0, y0, x1, y1] = [Math.floor(box[0] / c), Math.floor(box[1] / c), Math.floor(box[2] / c), Math.floor(box[3] / c)];
  const rows = sql(`SELECT floor(ST_X(p) / ${c})::int, floor(ST_Y(p) / ${c})::int, count(*)
    FROM messages m, otklik_message_point(m.longitude, m.latitude) p
    WHERE p && ST_MakeEnvelope(${x0 * c}, ${y0 * c}, ${(x1 + 1) * c}, ${(y1 + 1) * c}, 4326)
      AND floor(ST_X(p) / ${c}) BETWEEN ${x0} AND ${x1} AND floor(ST_Y(p) / ${c}) BETWEEN ${y0} AND ${y1}
      AND ${where} GROUP BY 1, 2`);
  return new Map(rows.map(([x, y, n]) => [`${x},${y}`, Number(n)]));
}
function answered(body, level) {
  const c = size(level);
  assert.ok(Math.abs(body.cell_degrees - c) < 1e-12);
  return new Map(body.features.map((cell) => {
    const ring = cell.geometry.coordinates[0];
    return [`${Math.round(Math.min(...ring.map((p) => p[0])) / c)},${Math.round(Math.min(...ring.map((p) => p[1])) / c)}`, cell.properties.count];
  }));
}
const atLeast3 = (cells) => new Map([...cells].filter(([, n]) => n >= 3));

/* Every box and zoom, staff (the moderation organisation's territory, a
 * curator's organisation) and public (all, one status, one rubric tree). */
async function assertAllEqualDirect(label) {
  for (const box of BOXES) for (const zoom of ZOOMS) {
    const at = `${label}, zoom ${zoom}, box ${BOXES.indexOf(box)}`;
    const bbox = box.join(',');
    const mod = await api('GET', `/api/v1/analytics/heatmap${q({ bbox, zoom, ...PERIOD })}`, { auth: f.token('modM') });
    assert.equal(mod.status, 200, at);
    assert.deepEqual(answered(mod.body, zoom), counted(box, zoom,
      `m.territory_id = ${f.T} AND m.created_at >= '2025-02-01' AND m.created_at < '2025-05-01'`), at);
    const cur = await api('GET', `/api/v1/analytics/heatmap${q({ bbox, zoom, ...PERIOD })}`, { auth: f.token('curA') });
    assert.deepEqual(answered(cur.body, zoom), counted(box, zoom,
      `m.organisation_id = ${f.A} AND m.created_at >= '2025-02-01' AND m.created_at < '2025-05-01'`), at);
    const all = await api('GET', `/api/v1/public/heatmap${q({ bbox, zoom })}`);
    assert.deepEqual(answered(all.body, zoom), atLeast3(counted(box, zoom, `m.status NOT IN ('moderation', 'rejected')`)), at);
    const some = await api('GET', `/api/v1/public/heatmap${q({ bbox, zoom, status: 'registered', rubric: f.rubrics[0] })}`);
    assert.deepEqual(answered(some.body, zoom),
      atLeast3(counted(box, zoom, `m.status = 'registered' AND m.rubric_id = ${f.rubrics[0]}`)), at);
  }
}

test('the cells counted in advance answer what PostGIS counts over the messages, before and after the fold', async () => {
  const patch = counted(BOXES[0], 12, `m.status NOT IN ('moderation', 'rejected')`);
  assert.ok([...patch.values()].some((n) => n < 3), 'small cells to hide');
  assert.ok([...patch.values()].some((n) => n >= 3), 'cells to show');
  assert.ok(num('SELECT count(*) FROM heatmap_deltas') > 0, 'the transitions appended deltas');
  await assertAllEqualDirect('deltas');
  f.ctl(['tick']);
  assert.equal(num(`SELECT count(*) FROM heatmap_deltas WHERE territory_id = ${f.T}`), 0, 'the tick folded them');
  assert.ok(num(`SELECT count(*) FROM heatmap_public_cells WHERE level = 7 AND ix = ${KX >> 8}`) > 0, 'every level kept');
  await assertAllEqualDirect('folded');
  // a message moves and changes status: -1 at its old cell, +1 at its new
  const moved = f.messages[3];
  sql(`UPDATE messages SET longitude = ${(KX + 11.5) * FINE}, latitude = ${(KY + 11.5) * FINE}, status = 'in_progress' WHERE id = ${moved}`);
  await assertAllEqualDirect('moved');
  f.ctl(['tick']);
  const kept = sql(`SELECT level, ix, iy, rubric_id, status, count FROM heatmap_public_cells WHERE count <> 0 AND ix BETWEEN ${KX} - 1 AND ${KX} + 13 AND level = 15 ORDER BY 1, 2, 3, 4, 5`);
  sql('SELECT heatmap_rebuild()');
  assert.deepEqual(sql(`SELECT level, ix, iy, rubric_id, status, count FROM heatmap_public_cells WHERE count <> 0 AND ix BETWEEN ${KX} - 1 AND ${KX} + 13 AND level = 15 ORDER BY 1, 2, 3, 4, 5`), kept,
    'the triggers kept what a rebuild computes');
  await assertAllEqualDirect('rebuilt');
});

test('a staff map with ?rubric= and a finer zoom still count the messages directly, as before', async () => {
  const bbox = BOXES[0].join(',');
  const rubric = await api('GET', `/api/v1/analytics/heatmap${q({ bbox, zoom: 12, rubric: f.rubrics[1], ...PERIOD })}`, { auth: f.token('modM') });
  assert.deepEqual(answered(rubric.body, 12), counted(BOXES[0], 12,
    `m.territory_id = ${f.T} AND m.rubric_id = ${f.rubrics[1]} AND m.created_at >= '2025-02-01' AND m.created_at < '2025-05-01'`));
  const fine = await api('GET', `/api/v1/public/heatmap${q({ bbox, zoom: 17 })}`);
  assert.equal(fine.status, 200);
  assert.deepEqual(answered(fine.body, 17), atLeast3(counted(BOXES[0], 17, `m.status NOT IN ('moderation', 'rejected')`)));
});
