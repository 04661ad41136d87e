// territories-public.test.mjs - the public territory tree the portal's
// municipality picker reads (GET /api/v1/public/territories): code, name,
// kind and the parent's code for anyone, by kind, cacheable; and the names
// of organisations beside their codes in a citizen's messages.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './helpers.mjs';
import { accept, send } from './journeys.mjs';

describe('the public territory tree', () => {
  test('anyone reads it, with each territory\'s parent, and may cache it', async () => {
    const res = await api('GET', '/api/v1/public/territories');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('cache-control'), /public, max-age=\d+/);
    const demograd = res.body.items.find((x) => x.code === '99-demograd');
    assert.deepEqual(demograd, { code: '99-demograd', name: 'г. Демоград', kind: 'municipality', parent: '99' });
    assert.deepEqual(res.body.items.find((x) => x.code === '99'), { code: '99', name: 'Демо-область', kind: 'region', parent: null });
  });

  test('?kind= lists one kind; an unknown kind lists nothing', async () => {
    const res = await api('GET', '/api/v1/public/territories?kind=municipality');
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.items.length > 0);
    assert.ok(res.body.items.every((x) => x.kind === 'municipality'), res.text);
    const none = await api('GET', '/api/v1/public/territories?kind=planet');
    assert.deepEqual(none.body, { items: [] });
  });

  test('the organisation handling a citizen\'s message comes with its name', async () => {
    const oid = 'citizen1';
    const id = await send(oid);
    await accept(id);
    const shown = await api('GET', `/api/v1/messages/${id}`, { auth: oid });
    assert.equal(shown.body.organisation, 'demo-admin');
    assert.equal(shown.body.organisation_name, 'Администрация г. Демоград');
    const mine = await api('GET', '/api/v1/my/messages', { auth: oid });
    assert.equal(mine.body.items[0].organisation_name, 'Администрация г. Демоград');
  });
});
