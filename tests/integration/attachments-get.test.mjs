// attachments-get.test.mjs - GET /api/v1/attachments/{id}: the exact bytes of
// a file, to its uploader and to whoever may see a message that carries it
// (GET /api/v1/messages/{id}'s rule); 404 to anyone else, 401 anonymous. The
// answer never runs on the platform's origin: a download, never sniffed, under
// a sandboxing Content-Security-Policy.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { api, assertProblem, forgeToken, freshToken, snapshot, sql, userId, PNG } from './helpers.mjs';
import { accept, assign, ok, sendFiles, uploaded } from './journeys.mjs';

// A small PDF, with the bytes text handling loses: NUL, high bytes, CR LF.
const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\r\n', 'latin1'),
  Buffer.from([0, 0, 1, 0xff, 0xfe, 0, 0x80, 0x0d, 0x0a, 0]),
  Buffer.from('1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'),
]);

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** A new citizen with a token of his own (the upload rate is per person). */
function citizen(name) {
  const oid = `attachments-get-${name}-${randomBytes(4).toString('hex')}`;
  sql(`INSERT INTO users (esia_oid, name) VALUES ('${oid}', 'Житель')`);
  return { oid, id: userId(oid), token: freshToken(oid) };
}

const upload = (token, data, type) =>
  api('POST', '/api/v1/attachments', { auth: token, raw: data, headers: { 'content-type': type } });

/** The attachment as bytes, through nginx as a browser would get it. */
async function get(id, auth) {
  const headers = auth ? { authorization: `Bearer ${auth.includes('.') ? auth : freshTokenOf(auth)}` } : {};
  const res = await fetch(`${process.env.OTKLIK_BASE_URL}/api/v1/attachments/${id}`, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const demoTokens = new Map();
function freshTokenOf(oid) {
  if (!demoTokens.has(oid)) demoTokens.set(oid, freshToken(oid));
  return demoTokens.get(oid);
}

/** What every answer of this path carries: never sniffed, never a document
 * of the platform's origin that runs script. */
function assertContained(res) {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /(^|;\s*)sandbox(;|$)/);
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
}

/** A 200 with exactly these bytes under this type, as a download. */
function assertFile(res, id, bytes, type, extension) {
  assert.equal(res.status, 200, res.bytes.toString());
  assert.equal(res.headers.get('content-type'), type);
  assert.equal(Number(res.headers.get('content-length')), bytes.length);
  assert.equal(res.bytes.length, bytes.length);
  assert.equal(sha256(res.bytes), sha256(bytes));
  assert.equal(res.headers.get('content-disposition'), `attachment; filename="otklik-${id}.${extension}"`);
  assert.equal(res.headers.get('cache-control'), 'private, no-store');
  assertContained(res);
}

/** A 404 problem that tells nothing, with the same protections. */
function assertHidden(res) {
  assert.equal(res.status, 404, res.bytes.toString());
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(JSON.parse(res.bytes.toString()).status, 404);
  assertContained(res);
}

describe('GET /api/v1/attachments/{id}', () => {
  test('the author gets the exact bytes of his PNG and PDF, with the headers of a download', async () => {
    const author = citizen('author');
    const png = await uploaded(author.token, PNG, 'image/png');
    const pdf = await uploaded(author.token, PDF, 'application/pdf');
    await sendFiles(author.token, [png, pdf]);
    assertFile(await get(png, author.token), png, PNG, 'image/png', 'png');
    assertFile(await get(pdf, author.token), pdf, PDF, 'application/pdf', 'pdf');
  });

  test('the staff who may see the message get it; another citizen and another organisation\'s staff get 404; anonymous 401', async () => {
    const author = citizen('staff');
    const pdf = await uploaded(author.token, PDF, 'application/pdf');
    const id = await sendFiles(author.token, [pdf]);
    assertFile(await get(pdf, 'moderator1'), pdf, PDF, 'application/pdf', 'pdf'); // the moderation queue's
    await accept(id, 'demo-admin');
    for (const staff of ['manager1', 'curator1', 'coordinator1'])
      assertFile(await get(pdf, staff), pdf, PDF, 'application/pdf', 'pdf');
    assertHidden(await get(pdf, 'citizen2'));
    assertHidden(await get(pdf, 'executor2')); // demo-roads
    assertHidden(await get(pdf, 'manager2'));
    const anonymous = await fetch(`${process.env.OTKLIK_BASE_URL}/api/v1/attachments/${pdf}`);
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('content-type') ?? '', /^application\/problem\+json/);
    // redirected to demo-roads and approved: now theirs, no longer demo-admin's executors'
    await assign(id, 'executor1');
    await ok('executor1', id, 'redirect', { org: 'demo-roads', comment: 'Это дороги.' }, 'redirect_approval');
    await ok('manager1', id, 'approve', { approve: true }, 'registered');
    assertFile(await get(pdf, 'executor2'), pdf, PDF, 'application/pdf', 'pdf');
    assertHidden(await get(pdf, 'executor1'));
    assertFile(await get(pdf, author.token), pdf, PDF, 'application/pdf', 'pdf');
  });

  test('an upload not yet sent is its uploader\'s alone', async () => {
    const author = citizen('unsent');
    const png = await uploaded(author.token, PNG, 'image/png');
    assertFile(await get(png, author.token), png, PNG, 'image/png', 'png');
    for (const other of ['citizen2', 'moderator1', 'manager1', 'curator1'])
      assertHidden(await get(png, other));
  });

  test('an unknown id is 404, and a widget\'s token cannot read files', async () => {
    const author = citizen('unknown');
    assertHidden(await get(9007199254740991, author.token));
    const png = await uploaded(author.token, PNG, 'image/png');
    const jti = randomBytes(16).toString('hex');
    sql(`INSERT INTO sessions (id, user_id, kind, expires_at) VALUES ('${jti}', ${author.id}, 'widget', now() + interval '1 hour')`);
    const widget = await get(png, forgeToken({ claims: { sub: String(author.id), jti, scope: 'widget' } }));
    assert.equal(widget.status, 403);
  });

  test('an answer\'s file: the staff see it at once, the citizen once the answer is approved', async () => {
    const author = citizen('answer');
    const id = await sendFiles(author.token, []);
    await accept(id, 'demo-admin');
    await assign(id, 'executor1');
    const file = await uploaded(freshTokenOf('executor1'), PDF, 'application/pdf');
    assertFile(await get(file, 'executor1'), file, PDF, 'application/pdf', 'pdf');
    await ok('executor1', id, 'answer', { text: 'Ответ с актом выполненных работ.', attachment_ids: [file] }, 'approval');
    assertFile(await get(file, 'manager1'), file, PDF, 'application/pdf', 'pdf');
    assertHidden(await get(file, author.token)); // a draft the citizen does not see yet
    await ok('manager1', id, 'approve', { approve: true }, 'answered');
    const shown = await api('GET', `/api/v1/messages/${id}`, { auth: author.token });
    assert.deepEqual(shown.body.attachments.map((a) => a.id), [file]);
    assertFile(await get(file, author.token), file, PDF, 'application/pdf', 'pdf');
    assertHidden(await get(file, 'citizen2'));
  });

  test('a script disguised as an image: refused if it does not start like one, never run if it does', async () => {
    const author = citizen('hostile');
    const before = snapshot();
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>');
    const refused = await upload(author.token, svg, 'image/png');
    assertProblem(refused, 422);
    assert.deepEqual(refused.body.errors.map((e) => e.code), ['content_mismatch']);
    const html = await upload(author.token, Buffer.from('<!doctype html><script>alert(1)</script>'), 'image/jpeg');
    assertProblem(html, 422);
    assert.equal(snapshot().attachments, before.attachments);
    // the PNG signature then HTML: stored (only the signature is checked), but
    // served as a PNG download that no browser may sniff, frame or script
    const polyglot = Buffer.concat([PNG.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')]);
    const id = await uploaded(author.token, polyglot, 'image/png');
    assertFile(await get(id, author.token), id, polyglot, 'image/png', 'png');
  });
});
