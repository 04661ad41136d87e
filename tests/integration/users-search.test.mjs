// users-search.test.mjs - GET /api/v1/users?q=: an organisation's admin finds
// people by a part of the name (any case) or the start of the ESIA oid, with
// LIKE's wildcards taken literally; at most 20, by name; nobody else may look,
// and the query is not logged.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { api, assertProblem, sleep, sql, userId } from './helpers.mjs';

const search = async (q, who = 'admin1') => {
  const res = await api('GET', `/api/v1/users?q=${encodeURIComponent(q)}`, { auth: who });
  assert.equal(res.status, 200, res.text);
  assert.ok(Array.isArray(res.body.items), res.text);
  return res.body.items;
};
const oids = (items) => items.map((u) => u.esia_oid);
const tag = () => randomBytes(4).toString('hex');
const addUsers = (names) => sql(`INSERT INTO users (esia_oid, name) VALUES
  ${names.map((n, i) => `('search-${tag()}-${i}', '${n.replace(/'/g, "''")}')`).join(', ')}`);

describe('finding people', () => {
  test('executor1 by a part of the name in any case, with id, name and oid', async () => {
    const executor = { id: userId('executor1'), name: 'Смирнов Дмитрий Андреевич', esia_oid: 'executor1' };
    assert.deepEqual((await search('смир')).find((u) => u.esia_oid === 'executor1'), executor);
    assert.ok(oids(await search('СМИРНОВ ДМ')).includes('executor1'));
    assert.ok(oids(await search('андреевич')).includes('executor1'));
  });

  test('by the start of the ESIA oid, not its middle', async () => {
    const found = oids(await search('execut'));
    assert.ok(found.includes('executor1') && found.includes('executor2'), found.join());
    assert.deepEqual(oids(await search('executor1')), ['executor1']);
    assert.ok(!oids(await search('xecutor')).includes('executor1'));
  });

  test('% and _ are taken literally', async () => {
    const t = tag();
    addUsers([`Проба_${t} Подчёркнутая`, `ПробаЖ${t} Буквенная`, `Проба%${t} Процентная`, `Проба${t} Без знака`]);
    assert.deepEqual((await search(`а_${t}`)).map((u) => u.name), [`Проба_${t} Подчёркнутая`]);
    assert.deepEqual((await search(`а%${t}`)).map((u) => u.name), [`Проба%${t} Процентная`]);
    assert.deepEqual(await search(`%%`), []);
    assert.deepEqual(await search(`\\${t}`), []);
  });

  test('at most 20, ordered by name', async () => {
    const t = tag();
    addUsers(Array.from({ length: 25 }, (_, i) => `Многов${t} ${String(25 - i).padStart(2, '0')}`));
    const names = (await search(`многов${t}`)).map((u) => u.name);
    assert.equal(names.length, 20);
    assert.deepEqual(names, Array.from({ length: 20 }, (_, i) => `Многов${t} ${String(i + 1).padStart(2, '0')}`));
  });
});

describe('who may look people up', () => {
  test('admin1 may; coordinator1 and citizen1 are 403, no one 401', async () => {
    assertProblem(await api('GET', '/api/v1/users?q=смир', { auth: 'coordinator1' }), 403);
    assertProblem(await api('GET', '/api/v1/users?q=смир', { auth: 'citizen1' }), 403);
    assertProblem(await api('GET', '/api/v1/users?q=смир'), 401);
  });

  test('q of 2 to 100 characters, else 422', async () => {
    for (const [q, code] of [['с', 'too_short'], ['', 'too_short'], [null, 'too_short'], ['я'.repeat(101), 'too_long']]) {
      const res = await api('GET', q === null ? '/api/v1/users' : `/api/v1/users?q=${encodeURIComponent(q)}`, { auth: 'admin1' });
      assertProblem(res, 422);
      assert.deepEqual(res.body.errors, [{ field: 'q', code }]);
    }
    assert.ok(Array.isArray(await search('я'.repeat(100))));
    assert.ok(Array.isArray(await search('см')));
  });

  test('the query is in no log', async () => {
    const t = `Неуловимый${tag()}`;
    await search(t);
    await sleep(1500); // nginx flushes its access log every second
    const dir = `${process.env.OTKLIK_VAR}/log`;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(`${dir}/${file}`, 'utf8');
      assert.ok(!text.includes(t) && !text.includes(encodeURIComponent(t)), file);
    }
  });
});

describe('organisations by name, for staff', () => {
  test('a part of the name or the code finds an organisation; citizens 403, anonymous 401, short q 422', async () => {
    const res = await api('GET', `/api/v1/orgs?q=${encodeURIComponent('дорож')}`, { auth: 'executor1' });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.some((o) => o.code === 'demo-roads'), res.text);
    const byCode = await api('GET', '/api/v1/orgs?q=demo-h', { auth: 'coordinator1' });
    assert.deepEqual(byCode.body.items.map((o) => o.code), ['demo-health']);
    const literal = await api('GET', `/api/v1/orgs?q=${encodeURIComponent('%_')}`, { auth: 'coordinator1' });
    assert.deepEqual(literal.body.items, []);
    assertProblem(await api('GET', '/api/v1/orgs?q=demo', { auth: 'citizen1' }), 403);
    assertProblem(await api('GET', '/api/v1/orgs?q=demo'), 401);
    assertProblem(await api('GET', '/api/v1/orgs?q=d', { auth: 'executor1' }), 422);
  });
});
