// intake-location.test.mjs - a message with a location is moderated in the
// smallest territory whose boundary contains it (sql/044: territory_at, in
// modules/widget's messages_context): inside Демоград (within region 99's
// boundary too) it is Демоград's, inside the region but outside Демоград the
// region's, outside every boundary (or without a location) the author's own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, cleanText, rubricId, sql } from './helpers.mjs';

const point = (expr) => sql(`SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(${expr}) AS p) x`)[0].map(Number);
const boundary = (code) => `(SELECT boundary FROM territories WHERE code = '${code}')`;
// other files add territories with boundaries of their own (some inside
// Демоград): the points are taken outside all of those
const others = `coalesce((SELECT ST_Union(boundary) FROM territories WHERE code NOT IN ('99', '99-demograd')
  AND boundary IS NOT NULL), ST_SetSRID('POLYGON EMPTY'::geometry, 4326))`;
const territoryOf = (id) => sql(`SELECT t.code FROM messages m JOIN territories t ON t.id = m.territory_id WHERE m.id = ${id}`)[0][0];
const own = sql(`SELECT coalesce(t.code, (SELECT code FROM territories WHERE parent_id IS NULL ORDER BY id LIMIT 1))
  FROM users u LEFT JOIN territories t ON t.id = u.territory_id WHERE u.esia_oid = 'citizen2'`)[0][0];

async function sentAt(location) {
  const res = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubricId(),
    text: cleanText('Не горит фонарь у остановки'), ...(location ? { location: { lat: location[0], lon: location[1] } } : {}) } });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

test('inside Демоград: Демоград, the smallest of the two boundaries containing it', async () => {
  assert.equal(territoryOf(await sentAt(point(`ST_Difference(${boundary('99-demograd')}, ${others})`))), '99-demograd');
});

test('inside region 99 but outside Демоград: the region', async () => {
  assert.equal(territoryOf(await sentAt(point(`ST_Difference(ST_Difference(${boundary('99')}, ${boundary('99-demograd')}), ${others})`))), '99');
});

test('outside every boundary, or without a location: the author\'s own territory', async () => {
  assert.equal(territoryOf(await sentAt([-89.9, 0.5])), own);
  assert.equal(territoryOf(await sentAt(null)), own);
});
