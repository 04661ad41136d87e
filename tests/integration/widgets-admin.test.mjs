// widgets-admin.test.mjs - an organisation's admin manages its widgets
// (modules/widget/widgets_admin.c): GET /api/v1/widgets/{key} with the settings
// and the embed snippet, PATCH of origins, rubrics and texts, POST of a new
// widget; who may; the public answer unchanged for everyone else; and an
// origin added by PATCH then allowed by CORS. demo-widget is restored at the end.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { api, assertProblem, forgeToken, rubricId, sql, sleep, userId, BASE } from './helpers.mjs';

const PATH = '/api/v1/widgets/demo-widget';
const DEMO_ORIGIN = 'http://127.0.0.1:8081';
const PUBLIC_KEYS = ['allowed_origins', 'key', 'limits', 'organisation', 'rubrics', 'texts', 'title'];
let saved; // demo-widget's settings before the tests

const quote = (text) => `'${text.replace(/'/g, "''")}'`;

before(() => {
  saved = sql("SELECT allowed_origins::text, rubric_ids::text, title, texts::text FROM widgets WHERE key = 'demo-widget'")[0];
  // admin2 of demo-roads (the SPEC's second-stage demo data), unless the seeds have it already
  sql(`INSERT INTO users (esia_oid, name) VALUES ('admin2', 'Соколова Татьяна Юрьевна') ON CONFLICT DO NOTHING;
    INSERT INTO staff_roles (user_id, organisation_id, role)
    SELECT u.id, o.id, 'admin' FROM users u, organisations o
    WHERE u.esia_oid = 'admin2' AND o.code = 'demo-roads' ON CONFLICT DO NOTHING`);
});

after(() => {
  const [origins, rubrics, title, texts] = saved;
  sql(`UPDATE widgets SET allowed_origins = ${quote(origins)}, rubric_ids = ${quote(rubrics)},
    title = ${quote(title)}, texts = ${quote(texts)} WHERE key = 'demo-widget'`);
});

/** demo-widget's settings as stored. */
function stored() {
  const [origins, rubrics, texts] = sql(
    "SELECT array_to_json(allowed_origins), array_to_json(rubric_ids), texts FROM widgets WHERE key = 'demo-widget'")[0];
  return { allowed_origins: JSON.parse(origins), rubric_ids: JSON.parse(rubrics), texts: JSON.parse(texts) };
}

/** A live token of admin1 handed to a widget (a session of kind "widget"). */
function adminWidgetToken() {
  const jti = randomBytes(16).toString('hex');
  sql(`INSERT INTO sessions (id, user_id, kind, expires_at)
    VALUES ('${jti}', ${userId('admin1')}, 'widget', now() + interval '1 hour')`);
  return forgeToken({ claims: { sub: String(userId('admin1')), jti, scope: 'widget' } });
}

/** A CORS preflight of sending a message, from origin. */
function preflight(origin) {
  return fetch(`${BASE}/api/v1/messages`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
  });
}

describe('the public configuration stays as it was', () => {
  test('anonymous, citizens, other staff and broken credentials get the same public answer', async () => {
    const anonymous = await api('GET', PATH);
    assert.equal(anonymous.status, 200);
    assert.deepEqual(Object.keys(anonymous.body).sort(), PUBLIC_KEYS);
    assert.deepEqual(anonymous.body.allowed_origins, [DEMO_ORIGIN]);
    assert.equal(anonymous.headers.get('cache-control'), 'public, max-age=60');
    const ended = forgeToken({ claims: { sub: String(userId('admin1')) } });
    for (const auth of ['citizen1', 'coordinator1', 'admin2', 'not.a.token', ended, adminWidgetToken()]) {
      const res = await api('GET', PATH, { auth });
      assert.equal(res.status, 200, `${auth}: ${res.text}`);
      assert.deepEqual(res.body, anonymous.body, auth);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
    }
  });
});

describe('the admin reads and changes demo-widget', () => {
  test('admin1 gets the settings and the embed snippet, not cached', async () => {
    const res = await api('GET', PATH, { auth: 'admin1' });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.allowed_origins, stored().allowed_origins);
    assert.deepEqual(res.body.rubric_ids, stored().rubric_ids);
    assert.equal(typeof res.body.texts.button, 'string');
    assert.equal(res.body.organisation.code, 'demo-admin');
    assert.match(res.body.embed_snippet,
      /^<script src="https?:\/\/[^"]+\/widget\/otklik\.js" data-widget-key="demo-widget" async><\/script>$/);
    assert.equal(res.headers.get('cache-control'), 'private, no-store');
  });

  test('admin1 patches origins, rubrics and texts; the widget shows them', async () => {
    const origins = [DEMO_ORIGIN, 'https://gorod.example', 'http://localhost:3000'];
    const rubrics = [rubricId('roads'), rubricId('lighting-streets')];
    const res = await api('PATCH', PATH, {
      auth: 'admin1',
      body: { allowed_origins: origins, rubric_ids: rubrics, texts: { intro: 'Пишите нам', sent: null } },
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.allowed_origins, origins);
    assert.deepEqual(res.body.rubric_ids, rubrics);
    assert.equal(res.body.texts.intro, 'Пишите нам');
    assert.equal(res.body.texts.sent, undefined, 'a null text is removed');
    assert.equal(typeof res.body.texts.button, 'string', 'a text not named stays');
    assert.deepEqual(stored(), { allowed_origins: origins, rubric_ids: rubrics, texts: res.body.texts });
    const shown = (await api('GET', PATH)).body;
    assert.deepEqual(shown.allowed_origins, origins);
    assert.deepEqual(shown.rubrics.map((r) => r.id).sort(), [rubricId('roads'), rubricId('lighting')].sort());
    assert.deepEqual(shown.rubrics.find((r) => r.id === rubricId('lighting')).children.map((c) => c.id),
      [rubricId('lighting-streets')]);
    // the form may now be framed by the new origins at once
    const frame = await api('GET', '/widget/frame/demo-widget');
    if (frame.status === 200) assert.match(frame.headers.get('content-security-policy'), /frame-ancestors [^;]*https:\/\/gorod\.example/);
    // an empty list offers the whole rubricator again; a title alone changes only the title
    const whole = await api('PATCH', PATH, { auth: 'admin1', body: { rubric_ids: [], title: 'Напишите нам' } });
    assert.equal(whole.status, 200, whole.text);
    assert.deepEqual(whole.body.rubric_ids, []);
    assert.equal(whole.body.title, 'Напишите нам');
    assert.deepEqual(whole.body.allowed_origins, origins);
    assert.ok(whole.body.rubrics.length >= 10);
  });

  const badOrigins = [
    ['ftp://gorod.example', 'scheme'],
    ['gorod.example', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['HTTPS://gorod.example', 'scheme'],
    ['https://gorod.example/', 'path'],
    ['https://gorod.example/page', 'path'],
    ['https://gorod.example?x=1', 'path'],
    ['https://gorod.example#top', 'path'],
    ['https://user:pw@gorod.example', 'userinfo'],
    ['https://Gorod.example', 'host'],
    ['https://', 'host'],
    ['https://gorod..example', 'host'],
    ['https://-gorod.example', 'host'],
    ['https://gorod_city.example', 'host'],
    ['https://[::1]:8080', 'host'],
    ['https://gorod.example ', 'host'],
    ['https://gorod.example:', 'port'],
    ['https://gorod.example:0', 'port'],
    ['https://gorod.example:65536', 'port'],
    ['https://gorod.example:08080', 'port'],
    ['https://gorod.example:443', 'port'],
    ['http://gorod.example:80', 'port'],
    [`https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`, 'too_long'],
    [DEMO_ORIGIN, 'duplicate'],
    [42, 'type'],
    ['', 'too_short'],
  ];
  for (const [origin, code] of badOrigins) {
    test(`an allowed origin ${JSON.stringify(origin)} answers 422 ${code} and changes nothing`, async () => {
      const before = stored();
      const res = await api('PATCH', PATH, { auth: 'admin1', body: { allowed_origins: [DEMO_ORIGIN, origin] } });
      assertProblem(res, 422);
      assert.deepEqual(res.body.errors, [{ field: 'allowed_origins[1]', code }]);
      assert.deepEqual(stored(), before);
    });
  }

  test('too many origins, unknown or repeated rubrics and unknown fields answer 422', async () => {
    const before = stored();
    const many = Array.from({ length: 21 }, (_, i) => `https://site${i}.example`);
    let res = await api('PATCH', PATH, { auth: 'admin1', body: { allowed_origins: many } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors, [{ field: 'allowed_origins', code: 'too_long' }]);
    res = await api('PATCH', PATH, { auth: 'admin1', body: { rubric_ids: [rubricId('roads'), 999999999, rubricId('waste'), 999999998] } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors, [{ field: 'rubric_ids[1]', code: 'unknown' }, { field: 'rubric_ids[3]', code: 'unknown' }]);
    res = await api('PATCH', PATH, { auth: 'admin1', body: { rubric_ids: [rubricId('roads'), rubricId('roads')] } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors, [{ field: 'rubric_ids[1]', code: 'duplicate' }]);
    res = await api('PATCH', PATH, { auth: 'admin1', body: { organisation_id: 2, texts: { footer: 'x' } } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors.map((e) => e.field).sort(), ['organisation_id', 'texts.footer']);
    assert.deepEqual(stored(), before);
  });
});

describe('only the owning organisation\'s admin', () => {
  const change = { allowed_origins: [DEMO_ORIGIN, 'https://evil.example'] };
  test('anonymous PATCH and POST answer 401', async () => {
    assertProblem(await api('PATCH', PATH, { body: change }), 401);
    assertProblem(await api('POST', '/api/v1/widgets', { body: { org: 'demo-admin' } }), 401);
  });
  test('coordinator1, staff of demo-admin without admin, gets 403', async () => {
    assertProblem(await api('PATCH', PATH, { auth: 'coordinator1', body: change }), 403);
    assertProblem(await api('POST', '/api/v1/widgets', { auth: 'coordinator1', body: { org: 'demo-admin' } }), 403);
  });
  test('admin2 of demo-roads gets 404 for demo-admin\'s widget; a citizen too', async () => {
    assertProblem(await api('PATCH', PATH, { auth: 'admin2', body: change }), 404);
    assertProblem(await api('POST', '/api/v1/widgets', { auth: 'admin2', body: { org: 'demo-admin' } }), 404);
    assertProblem(await api('PATCH', PATH, { auth: 'citizen1', body: change }), 404);
    assertProblem(await api('PATCH', '/api/v1/widgets/no-such-widget', { auth: 'admin1', body: change }), 404);
  });
  test('a widget\'s token cannot change the widget', async () => {
    assertProblem(await api('PATCH', PATH, { auth: adminWidgetToken(), body: change }), 403);
  });
  test('nothing was changed by them', () => {
    assert.ok(!stored().allowed_origins.includes('https://evil.example'));
  });
});

describe('a new origin and a new widget', () => {
  test('an origin added by PATCH is allowed by CORS within the cache time (10 s)', async () => {
    const origin = `https://${randomBytes(4).toString('hex')}.gorod.example`;
    const refused = await preflight(origin);
    assert.equal(refused.status, 403);
    const current = stored().allowed_origins;
    const patched = await api('PATCH', PATH, { auth: 'admin1', body: { allowed_origins: [...current, origin] } });
    assert.equal(patched.status, 200, patched.text);
    const start = Date.now();
    let allowed = null;
    while (Date.now() - start < 15000) {
      const res = await preflight(origin);
      if (res.status === 204) { allowed = res; break; }
      await sleep(500);
    }
    assert.ok(allowed, 'the preflight was still refused after 15 s');
    assert.equal(allowed.headers.get('access-control-allow-origin'), origin);
    // past the cache time every worker thread allows it
    await sleep(Math.max(0, 10500 - (Date.now() - start)));
    for (let i = 0; i < 6; i++) {
      const res = await preflight(origin);
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
    }
  });

  test('admin1 creates a widget with a random key; its public configuration works', async () => {
    const body = { org: 'demo-admin', allowed_origins: ['https://school.example'], rubric_ids: [rubricId('education')],
      texts: { button: 'Написать в школу' } };
    const res = await api('POST', '/api/v1/widgets', { auth: 'admin1', body });
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.key, /^[0-9a-f]{32}$/);
    assert.equal(res.headers.get('location'), `/api/v1/widgets/${res.body.key}`);
    assert.equal(res.body.title, 'Сообщить о проблеме');
    assert.deepEqual(res.body.rubric_ids, [rubricId('education')]);
    assert.match(res.body.embed_snippet, new RegExp(`data-widget-key="${res.body.key}"`));
    const shown = await api('GET', `/api/v1/widgets/${res.body.key}`);
    assert.equal(shown.status, 200);
    assert.deepEqual(Object.keys(shown.body).sort(), PUBLIC_KEYS);
    assert.equal(shown.body.organisation.code, 'demo-admin');
    assert.deepEqual(shown.body.allowed_origins, ['https://school.example']);
    assert.deepEqual(shown.body.texts, { button: 'Написать в школу' });
    assert.deepEqual(shown.body.rubrics.map((r) => r.id), [rubricId('education')]);
    const second = await api('POST', '/api/v1/widgets', { auth: 'admin1', body: { org: 'demo-admin' } });
    assert.equal(second.status, 201, second.text);
    assert.notEqual(second.body.key, res.body.key);
    assert.deepEqual(second.body.allowed_origins, []);
  });

  test('POST checks the body like PATCH and names the organisation', async () => {
    let res = await api('POST', '/api/v1/widgets', { auth: 'admin1', body: { allowed_origins: ['https://a.example'] } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors, [{ field: 'org', code: 'required' }]);
    res = await api('POST', '/api/v1/widgets', { auth: 'admin1', body: { org: 'demo-admin', allowed_origins: ['https://a.example/x'] } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors, [{ field: 'allowed_origins[0]', code: 'path' }]);
    res = await api('POST', '/api/v1/widgets', { auth: 'admin1', body: { org: 'demo-admin', rubric_ids: [999999999] } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors, [{ field: 'rubric_ids[0]', code: 'unknown' }]);
    assertProblem(await api('POST', '/api/v1/widgets', { auth: 'admin1', body: { org: 'no-such-org' } }), 404);
    assertProblem(await api('POST', '/api/v1/widgets/', { auth: 'admin1', body: { org: 'demo-admin' } }), 404);
  });
});

describe('an organisation\'s widgets, listed for its admin', () => {
  test('admin1 lists demo-admin\'s widgets; others get 403 or 404', async () => {
    const list = await api('GET', '/api/v1/orgs/demo-admin/widgets', { auth: 'admin1' });
    assert.equal(list.status, 200, list.text);
    const keys = sql("SELECT key FROM widgets w JOIN organisations o ON o.id = w.organisation_id WHERE o.code = 'demo-admin' ORDER BY key").map((r) => r[0]);
    assert.deepEqual(list.body.items.map((w) => w.key), keys);
    assert.ok(list.body.items.every((w) => typeof w.title === 'string'));
    assert.equal(list.headers.get('cache-control'), 'no-store');
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin/widgets', { auth: 'coordinator1' }), 403);
    assertProblem(await api('GET', '/api/v1/orgs/demo-roads/widgets', { auth: 'admin1' }), 404);
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin/widgets', { auth: 'citizen1' }), 404);
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin/widgets'), 401);
  });
});
