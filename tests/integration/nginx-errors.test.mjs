// nginx-errors.test.mjs - the errors nginx answers itself (nginx/problem.conf)
// are problem+json of the workers' shape with the security headers, never
// nginx's HTML pages: malformed requests it refuses before choosing a
// location, limits it enforces, static files, a worker it cannot reach.
// Requests go over raw sockets: fetch would refuse to send most of them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { BASE, token } from './helpers.mjs';
import { startNginx } from './private-nginx.mjs';

const PORT = Number(new URL(BASE).port);
const DEMO_PORT = Number(new URL(process.env.OTKLIK_DEMO_URL).port);
const MAX_JSON_BYTES = Number(process.env.OTKLIK_MAX_JSON_BYTES);

/** The answer in `bytes` once complete: {status, headers (lower-case names), text, body (JSON or null)}, else null. */
function parseAnswer(bytes) {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? NaN);
  const content = bytes.subarray(end + 4);
  if (!(content.length >= length)) return null;
  const text = content.subarray(0, length).toString('utf8');
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: Number(statusLine.split(' ')[1]), statusLine, headers, text, body };
}

/**
 * Sends `request` as it is on a new connection and reads one answer. The
 * connection stays open for writing until then: nginx takes a client that
 * closes its side for one that left, and drops the request.
 */
function raw(request, port = PORT) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let answer = null;
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      answer = parseAnswer(received);
      if (answer) socket.destroy();
    });
    // nginx may reset a connection whose body it refused, after answering
    socket.on('error', () => {});
    socket.on('close', () => {
      if (answer) resolve(answer);
      else reject(new Error(`no complete HTTP answer: ${JSON.stringify(received.toString('latin1').slice(0, 300))}`));
    });
    socket.setTimeout(15000, () => socket.destroy());
    socket.write(request);
  });
}

// in the caller's language (Russian unless Accept-Language puts English first)
const TITLES = {
  en: {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    412: 'Precondition Failed', 413: 'Content Too Large', 414: 'URI Too Long', 416: 'Range Not Satisfiable',
    501: 'Not Implemented', 503: 'Service Unavailable', 505: 'HTTP Version Not Supported',
  },
  ru: {
    400: 'Неверный запрос', 401: 'Нужен вход', 403: 'Доступ запрещён', 404: 'Не найдено', 405: 'Метод не поддерживается',
    412: 'Условие запроса не выполнено', 413: 'Слишком большой запрос', 414: 'Слишком длинный адрес',
    416: 'Диапазон недостижим', 501: 'Не реализовано', 503: 'Сервис недоступен', 505: 'Версия HTTP не поддерживается',
  },
};

/** Asserts an RFC 9457 answer with `status`, as the workers send, with the security headers. */
function assertNginxProblem(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.statusLine}: ${res.text.slice(0, 300)}`);
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/, res.text.slice(0, 300));
  assert.ok(res.body, `not JSON: ${res.text.slice(0, 300)}`);
  assert.equal(res.body.type, 'about:blank');
  assert.equal(res.body.status, status);
  const lang = res.headers['content-language'];
  assert.ok(lang === 'ru' || lang === 'en', `Content-Language ${lang}`);
  assert.equal(res.body.title, TITLES[lang][status]);
  assert.equal(typeof res.body.detail, 'string');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'/);
}

const get = (target, headers = 'Host: x\r\n', version = 'HTTP/1.1') => `GET ${target} ${version}\r\n${headers}\r\n`;
const post = (target, headers, body = '') => `POST ${target} HTTP/1.1\r\nHost: x\r\n${headers}\r\n${body}`;

// [what, raw request, status]
const malformed = [
  ['a Content-Length that is not a number', post('/api/v1/messages', 'Content-Length: abc\r\n'), 400],
  ['two Content-Length headers', post('/api/v1/messages', 'Content-Length: 2\r\nContent-Length: 2\r\n', '{}'), 400],
  ['Content-Length beside Transfer-Encoding: chunked', post('/api/v1/messages',
    'Transfer-Encoding: chunked\r\nContent-Length: 5\r\n', '0\r\n\r\n'), 400],
  ['a malformed chunked body', post('/api/v1/messages', 'Transfer-Encoding: chunked\r\n', 'zz\r\n'), 400],
  ['a malformed chunked body where nginx answers without reading it',
    post('/no/such/page', 'Transfer-Encoding: chunked\r\n', 'zz\r\n'), 400],
  ['a header line longer than large_client_header_buffers (494, sent as 400)',
    get('/api/v1/rubrics', `Host: x\r\nX-Long: ${'a'.repeat(9000)}\r\n`), 400],
  ['headers larger than all the buffers together',
    get('/api/v1/rubrics', `Host: x\r\n${Array.from({ length: 6 }, (_, i) => `X-${i}: ${'b'.repeat(7000)}\r\n`).join('')}`), 400],
  ['a URL longer than large_client_header_buffers', get(`/api/v1/widgets/${'a'.repeat(9000)}`), 414],
  ['%00 in the path', get('/api/v1/rubrics%00'), 400],
  ['/../ above the root', get('/../etc/passwd'), 400],
  ['/../ above the root after a prefix', get('/widget/../../etc/passwd'), 400],
  ['/../ above the root in an absolute URI', get('http://x/../../etc/passwd'), 400],
  ['a control character in the path', get('/api/v1/rub\x01rics'), 400],
  ['a lower-case method', 'get / HTTP/1.1\r\nHost: x\r\n\r\n', 400],
  ['a request line that is no request line', 'NONSENSE\r\n\r\n', 400],
  ['HTTP/1.1 without Host', get('/api/v1/rubrics', ''), 400],
  ['a Host that is no host name', get('/api/v1/rubrics', 'Host: a/b\r\n'), 400],
  ['a header line without a colon', get('/api/v1/rubrics', 'Host: x\r\nNo colon here\r\n'), 400],
  ['HTTP/2.0 in the request line', get('/api/v1/rubrics', 'Host: x\r\n', 'HTTP/2.0'), 505],
  ['TRACE', 'TRACE / HTTP/1.1\r\nHost: x\r\n\r\n', 405],
  ['TRACE of an API path', 'TRACE /api/v1/rubrics HTTP/1.1\r\nHost: x\r\n\r\n', 405],
  ['an unknown method on a static file', 'FROB /widget/otklik.js HTTP/1.1\r\nHost: x\r\n\r\n', 405],
  ['POST to a static file', post('/widget/otklik.js', 'Content-Length: 2\r\n', '{}'), 405],
  ['an unknown Transfer-Encoding', post('/api/v1/messages', 'Transfer-Encoding: gzip\r\n'), 501],
  ['a declared body over the limit', post('/api/v1/messages', `Content-Length: ${MAX_JSON_BYTES + 1}\r\n`), 413],
  ['a body over the limit', post('/api/v1/messages',
    `Content-Type: application/json\r\nAuthorization: Bearer ${token('citizen1')}\r\nContent-Length: ${MAX_JSON_BYTES + 1}\r\n`,
    `"${'x'.repeat(MAX_JSON_BYTES - 1)}"`), 413],
  ['a chunked body over the limit', post('/api/v1/messages', 'Transfer-Encoding: chunked\r\n',
    `${(MAX_JSON_BYTES + 1).toString(16)}\r\n${'x'.repeat(MAX_JSON_BYTES + 1)}\r\n0\r\n\r\n`), 413],
  ['HTTP/1.0 without Host to a path with nothing', get('/no/such/page', '', 'HTTP/1.0'), 404],
  ['a missing static file with an extension nginx knows', get('/widget/no-such-file.js'), 404],
  ['a static directory without an index', get('/widget/'), 403],
  ['a range beyond a static file', get('/widget/otklik.js', 'Host: x\r\nRange: bytes=99999999-\r\n'), 416],
  ['If-Match that fails on a static file', get('/widget/otklik.js', 'Host: x\r\nIf-Match: "nope"\r\n'), 412],
];

describe('nginx answers its own errors as problem+json', () => {
  for (const [what, request, status] of malformed) {
    test(`${what}: ${status}`, async () => {
      assertNginxProblem(await raw(request), status);
    });
  }

  test('a 400 on a kept connection closes it, and the next connection is served', async () => {
    const res = await raw(get('/api/v1/rubrics%00'));
    assert.equal(res.headers.connection, 'close');
    const next = await raw(get('/api/v1/rubrics', 'Host: x\r\nConnection: close\r\n'));
    assert.equal(next.status, 200);
  });

  test('HTTP/0.9 gets the body alone, which is problem+json too', async () => {
    const socket = net.connect(PORT, '127.0.0.1');
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    await new Promise((resolve) => { socket.on('close', resolve); socket.end('GET /no/such/page\r\n'); });
    const body = JSON.parse(Buffer.concat(chunks).toString());
    assert.equal(body.status, 404);
    assert.equal(body.type, 'about:blank');
  });

  test('the workers\' own problems pass through unchanged', async () => {
    const res = await raw(get('/api/v1/messages', 'Host: x\r\nConnection: close\r\n'));
    assertNginxProblem(res, 405);
    assert.equal(res.headers.allow, 'POST');
  });
});

describe('the demo agency site answers its errors as problem+json too', () => {
  const cases = [
    ['a page that does not exist', get('/no-such-page.html'), 404],
    ['%00 in the path', get('/index.html%00'), 400],
    ['a URL too long', get(`/${'a'.repeat(9000)}`), 414],
    ['TRACE', 'TRACE / HTTP/1.1\r\nHost: x\r\n\r\n', 405],
    ['POST to a page', post('/index.html', 'Content-Length: 2\r\n', '{}'), 405],
  ];
  for (const [what, request, status] of cases) {
    test(`${what}: ${status}`, async () => {
      assertNginxProblem(await raw(request, DEMO_PORT), status);
    });
  }
});

describe('a worker nginx cannot reach', () => {
  let nginx;
  before(async () => { nginx = await startNginx({ workers: ['esia', 'cabinet', 'voting'] }); });
  after(() => nginx?.stop());

  test('is 503 problem+json with Retry-After, not 502 HTML', async () => {
    const res = await raw(get('/api/v1/rubrics', 'Host: x\r\nConnection: close\r\n'), nginx.port);
    assertNginxProblem(res, 503);
    assert.equal(res.headers['retry-after'], '2');
  });

  test('the other workers still answer', async () => {
    const res = await raw(get('/api/v1/my/messages', 'Host: x\r\nConnection: close\r\n'), nginx.port);
    assertNginxProblem(res, 401); // the cabinet worker's own answer
  });
});
