// attachments-thumbnail.test.mjs - GET /api/v1/attachments/{id}/thumbnail: a
// small JPEG of an image attachment (longest side 320 px), to the people who
// may have the file itself, made on the first request and served from the
// database after; 404 for a PDF and for a file that only looks like an image,
// and the worker survives hostile files.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { freshToken, sql, userId } from './helpers.mjs';
import { accept, sendFiles, uploaded } from './journeys.mjs';

const JPEG = readFileSync(new URL('./fixtures/photo-640x480.jpg', import.meta.url));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])));
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG of width x height whose IHDR may lie about its size. */
function png(width, height, { claim = [width, height], rows = height } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claim[0], 0);
  ihdr.writeUInt32BE(claim[1], 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(rows * (1 + width * 3));
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < width; x++) raw.set([x % 256, y % 256, 128], y * (1 + width * 3) + 1 + x * 3);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG's width and height from its frame header (SOF0..SOF2). */
function jpegSize(bytes) {
  assert.equal(bytes.readUInt16BE(0), 0xffd8, 'a JPEG');
  for (let i = 2; i + 9 < bytes.length;) {
    const marker = bytes.readUInt16BE(i);
    if (marker >= 0xffc0 && marker <= 0xffc2) return [bytes.readUInt16BE(i + 7), bytes.readUInt16BE(i + 5)];
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  assert.fail('no frame header');
}

function citizen(name) {
  const oid = `thumbnail-${name}-${randomBytes(4).toString('hex')}`;
  sql(`INSERT INTO users (esia_oid, name) VALUES ('${oid}', 'Житель')`);
  return { oid, id: userId(oid), token: freshToken(oid) };
}

const tokens = new Map();
const tokenOf = (who) => (who.includes('.') ? who : tokens.get(who) ?? tokens.set(who, freshToken(who)).get(who));

/** The thumbnail through nginx, as the cabinet's <img> gets it. */
async function thumbnail(id, who) {
  const res = await fetch(`${process.env.OTKLIK_BASE_URL}/api/v1/attachments/${id}/thumbnail`,
    { headers: { authorization: `Bearer ${tokenOf(who)}` } });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A 200 JPEG of width x height, smaller than the original, never sniffed or run. */
function assertThumbnail(res, original, width, height) {
  assert.equal(res.status, 200, res.bytes.toString());
  assert.equal(res.headers.get('content-type'), 'image/jpeg');
  assert.deepEqual(jpegSize(res.bytes), [width, height]);
  assert.ok(res.bytes.length < original.length, `${res.bytes.length} < ${original.length}`);
  assert.equal(res.headers.get('etag'), `"${sha256(res.bytes)}"`);
  assert.match(res.headers.get('cache-control') ?? '', /^private\b/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/);
}

function assertHidden(res) {
  assert.equal(res.status, 404, res.bytes.toString());
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
}

const stored = (id) => sql(`SELECT width, height, sha256, data IS NULL FROM attachment_thumbnails WHERE attachment_id = ${id}`);

describe('GET /api/v1/attachments/{id}/thumbnail', () => {
  test('the author gets a small JPEG of his JPEG and PNG, made once and then served as stored', async () => {
    const author = citizen('author');
    const photo = await uploaded(author.token, JPEG, 'image/jpeg');
    const tall = png(300, 500);
    const picture = await uploaded(author.token, tall, 'image/png');
    await sendFiles(author.token, [photo, picture]);
    assert.deepEqual(stored(photo), []); // not made at upload
    const first = await thumbnail(photo, author.token);
    assertThumbnail(first, JPEG, 320, 240);
    assert.deepEqual(stored(photo), [['320', '240', sha256(first.bytes), 'f']]);
    assertThumbnail(await thumbnail(picture, author.token), tall, 192, 320);
    // the second request serves the row: the same ETag, and what the row holds
    const second = await thumbnail(photo, author.token);
    assert.equal(second.headers.get('etag'), first.headers.get('etag'));
    sql(`UPDATE attachment_thumbnails t SET data = s.data, sha256 = s.sha256 FROM attachment_thumbnails s
         WHERE t.attachment_id = ${photo} AND s.attachment_id = ${picture}`);
    const third = await thumbnail(photo, author.token);
    assert.deepEqual(jpegSize(third.bytes), [192, 320]);
    assert.equal(sql(`SELECT count(*) FROM attachment_thumbnails WHERE attachment_id IN (${photo}, ${picture})`)[0][0], '2');
  });

  test('first requests at once all get the same thumbnail, stored once', async () => {
    const author = citizen('race');
    const photo = await uploaded(author.token, JPEG, 'image/jpeg');
    const all = await Promise.all(Array.from({ length: 6 }, () => thumbnail(photo, author.token)));
    for (const res of all) assertThumbnail(res, JPEG, 320, 240);
    assert.equal(new Set(all.map((res) => res.headers.get('etag'))).size, 1);
    assert.deepEqual(stored(photo).map((r) => r[2]), [sha256(all[0].bytes)]);
  });

  test('the staff who may see the message get it; another citizen and another organisation\'s staff get 404; a PDF has none', async () => {
    const author = citizen('staff');
    const photo = await uploaded(author.token, JPEG, 'image/jpeg');
    const pdf = await uploaded(author.token, PDF, 'application/pdf');
    const id = await sendFiles(author.token, [photo, pdf]);
    assertThumbnail(await thumbnail(photo, 'moderator1'), JPEG, 320, 240);
    await accept(id, 'demo-admin');
    for (const staff of ['manager1', 'curator1', 'coordinator1'])
      assertThumbnail(await thumbnail(photo, staff), JPEG, 320, 240);
    for (const other of ['citizen2', 'executor2', 'manager2'])
      assertHidden(await thumbnail(photo, other));
    assertHidden(await thumbnail(pdf, author.token));
    assertHidden(await thumbnail(pdf, 'manager1'));
    assertHidden(await thumbnail(9007199254740991, author.token));
    assert.deepEqual(stored(pdf), []);
    const anonymous = await fetch(`${process.env.OTKLIK_BASE_URL}/api/v1/attachments/${photo}/thumbnail`);
    assert.equal(anonymous.status, 401);
  });

  test('hostile files under an image type get 404, are decoded once, and the worker stays well', async () => {
    const author = citizen('hostile');
    const files = {
      polyglot: Buffer.concat([png(1, 1).subarray(0, 8), Buffer.from('<svg onload="alert(1)"/><html><script>alert(1)</script>')]),
      truncated: JPEG.subarray(0, JPEG.length >> 1),
      bomb: png(64, 1, { claim: [50000, 50000], rows: 1 }), // 2.5 gigapixels claimed
      liar: png(64, 8, { claim: [64, 4000] }), // fewer rows than its header says
    };
    for (const [name, bytes] of Object.entries(files)) {
      const type = bytes[0] === 0xff ? 'image/jpeg' : 'image/png';
      const id = await uploaded(author.token, bytes, type);
      const started = Date.now();
      assertHidden(await thumbnail(id, author.token));
      assert.ok(Date.now() - started < 2000, `${name} answered in ${Date.now() - started} ms`);
      assert.deepEqual(stored(id).map((r) => r[3]), ['t'], `${name}: its refusal is stored`);
      assertHidden(await thumbnail(id, author.token));
    }
    // the same worker still makes thumbnails
    const photo = await uploaded(author.token, JPEG, 'image/jpeg');
    assertThumbnail(await thumbnail(photo, author.token), JPEG, 320, 240);
  });
});
