// admin-territories.test.mjs - the territory tree of modules/admin: who may
// read and change it (operator of the region, of another region, org admin,
// staff, citizen), creating, renaming and moving (no cycles), the GeoJSON
// boundary (PostGIS reads and validates it), and nothing half-written.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, count, sql } from './helpers.mjs';
import { otherRegion, square, tag } from './admin-fixtures.mjs';

const create = (auth, body) => api('POST', '/api/v1/territories', { auth, body });
const patch = (auth, code, body) => api('PATCH', `/api/v1/territories/${code}`, { auth, body });
const fields = (res) => res.body.errors.map((e) => `${e.field}:${e.code}`).sort();

let two;
before(async () => { two = await otherRegion(); });

describe('reading the tree', () => {
  test('operator1 reads region 99 and its municipality with boundaries; not region two', async () => {
    const res = await api('GET', '/api/v1/territories', { auth: 'operator1' });
    assert.equal(res.status, 200, res.text);
    const codes = res.body.items.map((t) => t.code);
    assert.equal(codes[0], '99');
    const demograd = res.body.items.find((t) => t.code === '99-demograd');
    assert.deepEqual({ ...demograd }, { code: '99-demograd', name: 'г. Демоград', kind: 'municipality', parent: '99', depth: 1, has_boundary: true });
    assert.ok(!codes.includes(two.region));
    const one = await api('GET', '/api/v1/territories/99-demograd', { auth: 'operator1' });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.boundary.type, 'Polygon');
  });

  test('the root operator reads every region', async () => {
    const codes = (await api('GET', '/api/v1/territories', { auth: 'root' })).body.items.map((t) => t.code);
    assert.ok(codes.includes('99') && codes.includes(two.region));
  });

  test('another region operator: region 99 does not exist (404); org admin, staff, citizen: 403', async () => {
    assertProblem(await api('GET', '/api/v1/territories/99', { auth: two.operator }), 404);
    assertProblem(await patch(two.operator, '99', { name: 'Захват' }), 404);
    const mine = await api('GET', '/api/v1/territories', { auth: two.operator });
    assert.deepEqual(mine.body.items.map((t) => t.code), [two.region]);
    for (const who of ['admin1', 'executor1', 'moderator1', 'citizen1']) {
      assertProblem(await api('GET', '/api/v1/territories', { auth: who }), 403);
      assertProblem(await create(who, { code: `x-${tag()}`, name: 'X', kind: 'settlement', parent: '99-demograd' }), 403);
      assertProblem(await patch(who, '99-demograd', { name: 'X' }), 403);
    }
    assertProblem(await api('GET', '/api/v1/territories'), 401);
    assert.equal(sql("SELECT name FROM territories WHERE code = '99'")[0][0], 'Демо-область');
  });
});

describe('changing the tree', () => {
  test('operator1 creates a municipality and a settlement in it with a boundary, renames and moves them', async () => {
    const t = tag();
    let res = await create('operator1', { code: `99-m-${t}`, name: `Посёлок-район ${t}`, kind: 'municipality', parent: '99', boundary: square(38, 55.2) });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers.get('location'), `/api/v1/territories/99-m-${t}`);
    assert.deepEqual(res.body.boundary.coordinates[0][0], [37.9, 55.1]);
    res = await create('operator1', { code: `99-s-${t}`, name: `Село ${t}`, kind: 'settlement', parent: `99-m-${t}` });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.boundary, null);
    res = await patch('operator1', `99-s-${t}`, { name: `Село Новое ${t}`, parent: '99-demograd', boundary: square(37.6, 55.75, 0.01) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.parent, '99-demograd');
    assert.equal(res.body.name, `Село Новое ${t}`);
    res = await patch('operator1', `99-s-${t}`, { boundary: null });
    assert.equal(res.body.boundary, null);
    // the audit has the creation and every change, by operator1
    const events = await api('GET', `/api/v1/admin/events?object_kind=territory&object_id=99-s-${t}`, { auth: 'operator1' });
    assert.equal(events.status, 200, events.text);
    assert.deepEqual(events.body.items.map((e) => e.action), ['update', 'update', 'create']);
    assert.equal(events.body.items[1].before.name, `Село ${t}`);
    assert.equal(events.body.items[1].after.name, `Село Новое ${t}`);
    assert.equal(events.body.items[1].after.boundary.type, 'Polygon');
    assert.equal(events.body.items[0].actor.esia_oid, 'operator1');
    // another region's operator does not see these events
    const foreign = await api('GET', `/api/v1/admin/events?object_kind=territory&object_id=99-s-${t}`, { auth: two.operator });
    assert.deepEqual(foreign.body.items, []);
  });

  test('a move under itself or its descendant is a cycle: 422, nothing moved', async () => {
    const t = tag();
    assert.equal((await create('operator1', { code: `99-c-${t}`, name: 'Район', kind: 'municipality', parent: '99' })).status, 201);
    assert.equal((await create('operator1', { code: `99-cs-${t}`, name: 'Село', kind: 'settlement', parent: `99-c-${t}` })).status, 201);
    assert.equal((await create('operator1', { code: `99-ct-${t}`, name: 'Село 2', kind: 'settlement', parent: '99-demograd' })).status, 201);
    for (const [code, parent] of [['99', `99-c-${t}`], [`99-c-${t}`, `99-c-${t}`], [`99-c-${t}`, `99-cs-${t}`]]) {
      const res = await patch('operator1', code, { parent, name: 'Переименовано' });
      assertProblem(res, 422);
      assert.deepEqual(fields(res), ['parent:cycle'], `${code} under ${parent}`);
    }
    // not a cycle, but a settlement under a settlement: the kinds refuse it
    assert.deepEqual(fields(await patch('operator1', `99-ct-${t}`, { parent: `99-cs-${t}` })), ['parent:kind']);
    assert.equal(sql(`SELECT p.code FROM territories t JOIN territories p ON p.id = t.parent_id WHERE t.code = '99-cs-${t}'`)[0][0], `99-c-${t}`);
    assert.equal(sql("SELECT parent_id IS NULL AND name = 'Демо-область' FROM territories WHERE code = '99'")[0][0], 't');
    assert.equal(sql(`SELECT name FROM territories WHERE code = '99-c-${t}'`)[0][0], 'Район');
  });

  test('bad input: every field at once, 422 errors[], nothing written', async () => {
    const before = count('territories');
    const res = await create('operator1', { code: 'Bad Code', name: '', kind: 'city', parent: 'no-such', extra: 1 });
    assertProblem(res, 422);
    assert.deepEqual(fields(res), ['extra:unknown_field', 'name:too_short']);
    const second = await create('operator1', { code: 'Bad Code', name: 'N', kind: 'city', parent: 'no-such' });
    assert.deepEqual(fields(second), ['code:invalid', 'kind:invalid', 'parent:unknown']);
    const foreignParent = await create('operator1', { code: `z-${tag()}`, name: 'N', kind: 'municipality', parent: two.region });
    assert.deepEqual(fields(foreignParent), ['parent:unknown']);
    const noParent = await create('operator1', { code: `z-${tag()}`, name: 'N', kind: 'municipality' });
    assert.deepEqual(fields(noParent), ['parent:required']);
    assertProblem(await create('operator1', { code: `z-${tag()}`, name: 'N', kind: 'region' }), 403);
    const duplicate = await create('operator1', { code: '99-demograd', name: 'N', kind: 'municipality', parent: '99' });
    assert.deepEqual(fields(duplicate), ['code:duplicate']);
    assert.equal(count('territories'), before);
  });

  test('invalid GeoJSON: 422 {field: boundary}, nothing written', async () => {
    const before = count('territories');
    const bowtie = { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] };
    const unclosed = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] };
    const point = { type: 'Point', coordinates: [37, 55] };
    const junk = { type: 'Polygon', coordinates: [[['a', 'b']]] };
    const ring = [];
    for (let i = 0; i <= 6000; i++) ring.push([Math.cos(i) * 0.01, Math.sin(i) * 0.01]);
    const huge = { type: 'Polygon', coordinates: [ring] };
    for (const boundary of [bowtie, unclosed, point, junk, { type: 'Polygon' }, {}, huge]) {
      const res = await create('operator1', { code: `g-${tag()}`, name: 'N', kind: 'settlement', parent: '99-demograd', boundary });
      if (res.status === 413) continue; // the huge one may meet the body limit first
      assertProblem(res, 422);
      assert.equal(res.body.errors[0].field, 'boundary', res.text);
    }
    const patched = await patch('operator1', '99-demograd', { boundary: bowtie });
    assertProblem(patched, 422);
    assert.equal(count('territories'), before);
    assert.equal(sql("SELECT GeometryType(boundary) FROM territories WHERE code = '99-demograd'")[0][0], 'POLYGON');
  });
});
