// intake.test.mjs - modules/widget through nginx: rubricator, widget
// configuration, attachments and messages, with every kind of bad input.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  api, assertProblem, cleanText, forgeToken, rubricId, snapshot, sql, token, userId, PNG, BASE,
} from './helpers.mjs';

describe('health and reference data', () => {
  test('GET /healthz answers 200 when the worker and its database answer', async () => {
    const res = await api('GET', '/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  test('GET /api/v1/rubrics is the rubricator tree', async () => {
    const res = await api('GET', '/api/v1/rubrics');
    assert.equal(res.status, 200);
    assert.ok(res.body.items.length >= 10);
    for (const r of res.body.items) {
      assert.equal(typeof r.id, 'number');
      assert.equal(typeof r.title, 'string');
      // (the demo's are 10 or 30; other tests add rubrics of their own to the shared tree)
      assert.ok(Number.isInteger(r.deadline_days) && r.deadline_days >= 1 && r.deadline_days <= 365);
      assert.ok(Array.isArray(r.children));
    }
    const roads = res.body.items.find((r) => r.title === 'Дороги');
    assert.ok(roads.children.some((c) => c.id === rubricId('roads-potholes') && c.deadline_days === 10));
  });

  test('GET /api/v1/widgets/demo-widget is the widget configuration', async () => {
    const res = await api('GET', '/api/v1/widgets/demo-widget');
    assert.equal(res.status, 200);
    assert.equal(res.body.key, 'demo-widget');
    assert.equal(res.body.organisation.code, 'demo-admin');
    assert.deepEqual(res.body.allowed_origins, ['http://127.0.0.1:8081']);
    assert.ok(res.body.rubrics.length >= 10);
    assert.equal(res.body.limits.text_max, 5000);
    assert.equal(typeof res.body.texts.button, 'string');
  });

  test('an unknown or hostile widget key answers 404', async () => {
    assertProblem(await api('GET', '/api/v1/widgets/nope'), 404);
    assertProblem(await api('GET', `/api/v1/widgets/${encodeURIComponent("x' OR '1'='1")}`), 404);
    assertProblem(await api('GET', `/api/v1/widgets/${'a'.repeat(5000)}`), 404);
  });

  test('unknown paths and methods answer problem+json', async () => {
    assertProblem(await api('GET', '/api/v1/nothing-here'), 404);
    assertProblem(await api('GET', '/no/such/page'), 404);
    const res = await api('GET', '/api/v1/messages');
    assertProblem(res, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    assertProblem(await api('DELETE', '/api/v1/rubrics'), 405);
  });

  test('answers carry security headers and a request id', async () => {
    const res = await api('GET', '/api/v1/rubrics');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy'), /default-src 'none'/);
    assert.match(res.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
  });
});

describe('POST /api/v1/messages', () => {
  const rubric = () => rubricId('roads-potholes');

  test('a citizen sends a message: 201, status moderation, stored with its first event', async () => {
    const text = cleanText();
    const res = await api('POST', '/api/v1/messages', {
      auth: 'citizen1',
      body: { rubric_id: rubric(), text, address: 'г. Демоград, ул. Садовая, 5',
        location: { lat: 55.75, lon: 37.61 }, widget_key: 'demo-widget' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'moderation');
    assert.deepEqual(res.body.flags, []);
    assert.match(res.body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(res.headers.get('location'), `/api/v1/messages/${res.body.id}`);
    const [row] = sql(`SELECT status, text, author_id, widget_key, latitude, territory_id IS NOT NULL
                       FROM messages WHERE id = ${res.body.id}`);
    assert.deepEqual(row, ['moderation', text, String(userId('citizen1')), 'demo-widget', '55.75', 't']);
    const events = sql(`SELECT actor_role, coalesce(from_status, '-'), to_status FROM message_events
                        WHERE message_id = ${res.body.id}`);
    assert.deepEqual(events, [['citizen', '-', 'moderation']]);
  });

  test('pre-checks flag likely rejection reasons and never drop the message', async () => {
    const cases = [
      ['Позвоните мне по номеру +7 912 345-67-89, яма у подъезда глубокая', { code: 4, rule: 'phone' }],
      ['Напишите ответ на petrov.ivan@example.org про яму у подъезда', { code: 4, rule: 'email' }],
      ['Все подробности тут https://spam.example/ad про яму у подъезда', { code: 5, rule: 'link' }],
      ['Паспорт 4510 123456 мой, а яма у подъезда чужая и глубокая', { code: 4, rule: 'passport' }],
      ['ыыы', { code: 7, rule: 'too_short' }],
      ['Какой мудак разрыл яму у подъезда и оставил её так', { code: 1, rule: 'obscene' }],
    ];
    for (const [text, flag] of cases) {
      const res = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubric(), text } });
      assert.equal(res.status, 201, res.text);
      assert.ok(res.body.flags.some((f) => f.code === flag.code && f.rule === flag.rule),
        `${text}: ${JSON.stringify(res.body.flags)}`);
      assert.equal(res.body.status, 'moderation');
    }
  });

  test('a near-duplicate of the author\'s recent message is flagged with code 9', async () => {
    const text = cleanText('Третий месяц во дворе дома 17 по улице Мира стоит лужа');
    const first = await api('POST', '/api/v1/messages', { auth: 'citizen3', body: { rubric_id: rubric(), text } });
    assert.deepEqual(first.body.flags, []);
    const again = await api('POST', '/api/v1/messages', { auth: 'citizen3', body: { rubric_id: rubric(), text: `${text}!` } });
    assert.equal(again.status, 201);
    assert.ok(again.body.flags.some((f) => f.code === 9 && f.rule === 'duplicate'));
    // another citizen's identical text is not his duplicate
    const other = await api('POST', '/api/v1/messages', { auth: 'citizen2', body: { rubric_id: rubric(), text } });
    assert.ok(!other.body.flags.some((f) => f.code === 9));
  });

  test('SQL metacharacters and script tags are stored verbatim and returned as JSON', async () => {
    const text = `Robert'); DROP TABLE messages;-- <script>alert("x")</script> ${cleanText()}`;
    const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubric(), text, address: "O'Brien \\ %_ <b>" } });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const [row] = sql(`SELECT text, address FROM messages WHERE id = ${res.body.id}`);
    assert.deepEqual(row, [text, "O'Brien \\ %_ <b>"]);
  });

  // Bad input: each answers its status with a problem body and writes nothing.
  const bad = [
    ['malformed JSON', 400, { raw: '{"rubric_id": 1, "text": ', headers: { 'content-type': 'application/json' } }],
    ['non-UTF-8 JSON', 400, { raw: Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), headers: { 'content-type': 'application/json' } }],
    ['a JSON array', 400, { raw: '[1,2]', headers: { 'content-type': 'application/json' } }],
    ['duplicate keys', 400, { raw: '{"text":"a","text":"b","rubric_id":1}', headers: { 'content-type': 'application/json' } }],
    ['an escaped NUL', 400, { raw: '{"rubric_id":1,"text":"abc\\u0000def"}', headers: { 'content-type': 'application/json' } }],
    ['wrong types', 422, { body: { rubric_id: '1', text: 42, location: 'here' } }],
    ['missing fields', 422, { body: {} }],
    ['an extra field', 422, { body: { rubric_id: 1, text: 'достаточно длинный текст', status: 'answered' } }],
    ['a 100 000-character text', 422, { body: { rubric_id: 1, text: 'я'.repeat(100000) } }],
    ['a blank text', 422, { body: { rubric_id: 1, text: '   \n  ' } }],
    ['an out-of-range location', 422, { body: { rubric_id: 1, text: 'текст сообщения о проблеме', location: { lat: 91, lon: 0 } } }],
    ['an unknown rubric', 422, { body: { rubric_id: 999999, text: 'текст сообщения о проблеме' } }],
    ['an unknown widget', 422, { body: { rubric_id: 1, text: 'текст сообщения о проблеме', widget_key: 'no-such-widget' } }],
    ['a wrong content type', 415, { raw: '{"rubric_id":1,"text":"x"}', headers: { 'content-type': 'text/plain' } }],
    ['no content type', 415, { raw: '{"rubric_id":1,"text":"x"}' }],
    ['a 6 MiB body', 413, { raw: Buffer.alloc(6 << 20, 0x20), headers: { 'content-type': 'application/json' } }],
    ['a bad Idempotency-Key', 400, { body: { rubric_id: 1, text: 'текст' }, headers: { 'idempotency-key': 'x'.repeat(200) } }],
  ];
  for (const [what, status, options] of bad) {
    test(`${what} answers ${status} and writes nothing`, async () => {
      const before = snapshot();
      const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', ...options });
      assertProblem(res, status);
      if (status === 422) assert.ok(res.body.errors.length > 0 && res.body.errors.every((e) => e.field && e.code));
      assert.deepEqual(snapshot(), before);
    });
  }

  test('validation reports every bad field with its code', async () => {
    const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: 'x', text: 'я'.repeat(5001), extra: true } });
    assertProblem(res, 422);
    assert.deepEqual(res.body.errors, [
      { field: 'rubric_id', code: 'type' }, { field: 'text', code: 'too_long' }, { field: 'extra', code: 'unknown_field' }]);
  });

  const badTokens = {
    'no token': undefined,
    'a forged signature': () => forgeToken({ key: 'not-the-server-key-not-the-server-key' }),
    'an expired token': () => forgeToken({ claims: { iat: 1000, exp: 2000 } }),
    'alg none': () => forgeToken({ header: { alg: 'none' }, signature: '' }),
    'another issuer': () => forgeToken({ claims: { iss: 'evil' } }),
    'an unknown user': () => forgeToken({ claims: { sub: '999999999' } }),
    'garbage': () => 'not.a.token',
  };
  for (const [what, make] of Object.entries(badTokens)) {
    test(`${what} answers 401 and writes nothing`, async () => {
      const before = snapshot();
      const res = await api('POST', '/api/v1/messages', { auth: make?.(), body: { rubric_id: rubric(), text: cleanText() } });
      assertProblem(res, 401);
      assert.match(res.headers.get('www-authenticate') ?? 'Bearer', /Bearer/);
      assert.deepEqual(snapshot(), before);
    });
  }

  test('Idempotency-Key: a retry returns the same message; another body under it is 409', async () => {
    const key = `retry-${Date.now()}`;
    const body = { rubric_id: rubric(), text: cleanText() };
    const first = await api('POST', '/api/v1/messages', { auth: 'citizen1', body, headers: { 'idempotency-key': key } });
    assert.equal(first.status, 201);
    const before = snapshot();
    const again = await api('POST', '/api/v1/messages', { auth: 'citizen1', body, headers: { 'idempotency-key': key } });
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.deepEqual(snapshot(), before);
    const other = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { ...body, text: cleanText() }, headers: { 'idempotency-key': key } });
    assertProblem(other, 409);
    // the key is the author's own: another citizen's same key is a new message
    const theirs = await api('POST', '/api/v1/messages', { auth: 'citizen2', body, headers: { 'idempotency-key': key } });
    assert.equal(theirs.status, 201);
    assert.notEqual(theirs.body.id, first.body.id);
  });

  test('200 concurrent POSTs with one Idempotency-Key create exactly one message', async () => {
    const key = `burst-${Date.now()}`;
    const body = { rubric_id: rubric(), text: cleanText() };
    const before = count();
    const answers = await Promise.all(Array.from({ length: 200 }, () =>
      api('POST', '/api/v1/messages', { auth: 'citizen3', body, headers: { 'idempotency-key': key } })));
    const statuses = new Set(answers.map((a) => a.status));
    assert.deepEqual([...statuses], [201], JSON.stringify(answers.find((a) => a.status !== 201)?.body));
    const ids = new Set(answers.map((a) => a.body.id));
    assert.equal(ids.size, 1);
    assert.equal(count() - before, 1);
    const [[stored]] = sql(`SELECT count(*) FROM messages WHERE idempotency_key = '${key}'`);
    assert.equal(stored, '1');
    const [[events]] = sql(`SELECT count(*) FROM message_events WHERE message_id = ${[...ids][0]}`);
    assert.equal(events, '1');
    function count() { return Number(sql('SELECT count(*) FROM messages')[0][0]); }
  });
});

describe('POST /api/v1/attachments', () => {
  test('a PNG is stored and can be sent with a message', async () => {
    const res = await api('POST', '/api/v1/attachments', { auth: 'citizen1', raw: PNG, headers: { 'content-type': 'image/png' } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body, { id: res.body.id, content_type: 'image/png', size: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex') });
    const [[stored]] = sql(`SELECT encode(sha256(data), 'hex') FROM attachments WHERE id = ${res.body.id}`);
    assert.equal(stored, res.body.sha256);
    const msg = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText(), attachment_ids: [res.body.id] } });
    assert.equal(msg.status, 201, msg.text);
    assert.deepEqual(sql(`SELECT message_id FROM attachments WHERE id = ${res.body.id}`), [[String(msg.body.id)]]);
    // a file goes with one message only
    const before = snapshot();
    const reuse = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText(), attachment_ids: [res.body.id] } });
    assertProblem(reuse, 422);
    assert.deepEqual(reuse.body.errors, [{ field: 'attachment_ids', code: 'unknown' }]);
    assert.deepEqual(snapshot(), before);
  });

  test('an empty attachment_ids is a message without files', async () => {
    const msg = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText(), attachment_ids: [] } });
    assert.equal(msg.status, 201, msg.text);
    assert.deepEqual(sql(`SELECT count(*) FROM attachments WHERE message_id = ${msg.body.id}`), [['0']]);
  });

  test('JPEG and PDF are accepted', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(100)]);
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    for (const [type, data] of [['image/jpeg', jpeg], ['application/pdf', pdf]]) {
      const res = await api('POST', '/api/v1/attachments', { auth: 'citizen1', raw: data, headers: { 'content-type': type } });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.content_type, type);
    }
  });

  test('another citizen\'s attachment cannot be sent', async () => {
    const mine = await api('POST', '/api/v1/attachments', { auth: 'citizen2', raw: PNG, headers: { 'content-type': 'image/png' } });
    const before = snapshot();
    const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', body: { rubric_id: rubricId(), text: cleanText(), attachment_ids: [mine.body.id] } });
    assertProblem(res, 422);
    assert.deepEqual(snapshot(), before);
  });

  const bad = [
    ['no token', 401, { raw: PNG, headers: { 'content-type': 'image/png' } }, null],
    ['a GIF', 415, { raw: Buffer.from('GIF89a'), headers: { 'content-type': 'image/gif' } }, 'citizen1'],
    ['HTML', 415, { raw: '<script>alert(1)</script>', headers: { 'content-type': 'text/html' } }, 'citizen1'],
    ['a script claiming to be PNG', 422, { raw: '<script>alert(1)</script>', headers: { 'content-type': 'image/png' } }, 'citizen1'],
    ['an empty body', 422, { raw: '', headers: { 'content-type': 'image/png' } }, 'citizen1'],
    ['a 6 MiB body', 413, { raw: Buffer.concat([PNG, Buffer.alloc(6 << 20)]), headers: { 'content-type': 'image/png' } }, 'citizen1'],
  ];
  for (const [what, status, options, who] of bad) {
    test(`${what} answers ${status} and stores nothing`, async () => {
      const before = snapshot();
      const res = await api('POST', '/api/v1/attachments', { auth: who ?? undefined, ...options });
      assertProblem(res, status);
      assert.deepEqual(snapshot(), before);
    });
  }

  test('exactly 5 MiB is accepted', async () => {
    const data = Buffer.concat([PNG, Buffer.alloc((5 << 20) - PNG.length)]);
    const res = await api('POST', '/api/v1/attachments', { auth: 'citizen1', raw: data, headers: { 'content-type': 'image/png' } });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.size, 5 << 20);
  });
});

describe('CORS for the widget', () => {
  test('a preflight from an allowed origin is answered with that origin', async () => {
    const res = await fetch(`${BASE}/api/v1/messages`, { method: 'OPTIONS', headers: {
      origin: 'http://127.0.0.1:8081', 'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type, idempotency-key' } });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8081');
    assert.match(res.headers.get('access-control-allow-headers'), /Idempotency-Key/);
    assert.match(res.headers.get('vary'), /Origin/);
  });

  test('a foreign origin gets no CORS headers, and its preflight is refused', async () => {
    const res = await fetch(`${BASE}/api/v1/messages`, { method: 'OPTIONS', headers: {
      origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const get = await fetch(`${BASE}/api/v1/rubrics`, { headers: { origin: 'https://evil.example' } });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('access-control-allow-origin'), null);
  });

  test('a widget used from a page it does not allow answers 403', async () => {
    const before = snapshot();
    const res = await api('POST', '/api/v1/messages', { auth: 'citizen1', headers: { origin: 'https://evil.example' },
      body: { rubric_id: rubricId(), text: cleanText(), widget_key: 'demo-widget' } });
    assertProblem(res, 403);
    assert.deepEqual(snapshot(), before);
    const ok = await api('POST', '/api/v1/messages', { auth: 'citizen1', headers: { origin: 'http://127.0.0.1:8081' },
      body: { rubric_id: rubricId(), text: cleanText(), widget_key: 'demo-widget' } });
    assert.equal(ok.status, 201);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8081');
  });
});
