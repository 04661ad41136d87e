// analytics-csv.test.mjs - GET /api/v1/staff/messages.csv (modules/analytics,
// streamed through COPY): opened and read as a spreadsheet would - the byte
// order mark, the header, a row per message the caller may see, the staff
// list's filters applied, formula-looking cells neutralised; another
// organisation is 404.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, sql } from './helpers.mjs';
import { fixture, num } from './analytics-fixture.mjs';

const f = fixture();

/* RFC 4180: rows of cells (quoted cells may hold commas, quotes, newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

async function csv(who, params = {}) {
  const res = await fetch(`${process.env.OTKLIK_BASE_URL}/api/v1/staff/messages.csv?${new URLSearchParams(params)}`,
    { headers: { authorization: `Bearer ${f.token(who)}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, bytes, rows: parseCsv(bytes.subarray(3).toString('utf8')) };
}

test('the CSV: a byte order mark, a header, every message of the organisation newest first', async () => {
  const { res, bytes, rows } = await csv('curA');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="messages\.csv"/);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const [header, ...data] = rows;
  assert.deepEqual(header, ['id', 'created_at', 'status', 'organisation', 'rubric', 'territory', 'address', 'text', 'due_at', 'overdue', 'answered_at', 'rating']);
  const want = sql(`SELECT id FROM messages WHERE organisation_id = ${f.A} ORDER BY id DESC`).map((r) => r[0]);
  assert.deepEqual(data.map((r) => r[0]), want);
  assert.ok(data.every((r) => r[3] === f.codes.A && r.length === header.length));
  const rated = data.find((r) => r[11] !== '');
  assert.equal(rated[11], String(num(`SELECT score FROM message_ratings WHERE message_id = ${rated[0]}`)));
});

test('cells that look like formulas are neutralised; the text is otherwise kept', async () => {
  const { rows } = await csv('curA');
  const texts = rows.map((r) => r[7]);
  assert.ok(texts.includes('\'=HYPERLINK("http://evil.example","нажмите")'), 'a formula gets an apostrophe');
  assert.ok(texts.includes('\'+7 (999) 000-00-00; -1; @SUM(A1)'));
  assert.ok(rows.slice(1).every((r) => !/^[=+\-@\t\r]/.test(r[7]) && !/^[=+\-@]/.test(r[4])));
  assert.ok(texts.includes('Сообщение 0') === false && texts.includes('Сообщение 3'), 'Cyrillic as it was');
});

test('the staff list\'s filters apply: status, overdue, rubric, dates, words', async () => {
  const closed = await csv('curA', { status: 'closed' });
  assert.deepEqual(closed.rows.slice(1).map((r) => r[0]),
    sql(`SELECT id FROM messages WHERE organisation_id = ${f.A} AND status = 'closed' ORDER BY id DESC`).map((r) => r[0]));
  assert.ok(closed.rows.length > 2);
  const overdue = await csv('curA', { overdue: 'true' });
  assert.deepEqual(overdue.rows.slice(1).map((r) => r[0]),
    sql(`SELECT id FROM messages WHERE organisation_id = ${f.A} AND status NOT IN ('answered', 'closed', 'rejected')
      AND due_at < now() ORDER BY id DESC`).map((r) => r[0]));
  assert.ok(overdue.rows.slice(1).every((r) => r[9] === 't'));
  const dated = await csv('curA', { from: '2025-03-02', to: '2025-03-03', rubric: String(f.rubrics[0]) });
  assert.deepEqual(dated.rows.slice(1).map((r) => r[0]),
    sql(`SELECT id FROM messages WHERE organisation_id = ${f.A} AND rubric_id = ${f.rubrics[0]}
      AND created_at >= '2025-03-02' AND created_at < '2025-03-04' ORDER BY id DESC`).map((r) => r[0]));
  const words = await csv('curA', { q: 'нажмите' });
  assert.deepEqual(words.rows.slice(1).map((r) => r[0]), [String(f.messages[1])]);
  const none = await csv('curA', { status: 'approval' });
  assert.equal(none.rows.length, 1, 'the header alone');
});

test('a moderation organisation exports its territory\'s queue; another organisation is 404; bad filters as the list', async () => {
  const queue = await csv('modM', { status: 'moderation' });
  assert.deepEqual(queue.rows.slice(1).map((r) => r[0]),
    sql(`SELECT id FROM messages WHERE territory_id = ${f.T} AND status = 'moderation' ORDER BY id DESC`).map((r) => r[0]));
  assert.ok(queue.rows.length > 3);
  const auth = (who) => ({ auth: f.token(who) });
  assertProblem(await api('GET', `/api/v1/staff/messages.csv?org=${f.codes.B}`, auth('curA')), 404);
  assertProblem(await api('GET', `/api/v1/staff/messages.csv?org=${f.codes.A}`, auth('curC')), 404);
  assertProblem(await api('GET', '/api/v1/staff/messages.csv?status=nonsense', auth('curA')), 400);
  assertProblem(await api('GET', '/api/v1/staff/messages.csv?from=yesterday', auth('curA')), 422);
  assertProblem(await api('GET', '/api/v1/staff/messages.csv', { auth: 'citizen1' }), 403);
  assertProblem(await api('GET', '/api/v1/staff/messages.csv'), 401);
  // C's curator gets C's rows only
  const c = await csv('curC');
  assert.equal(c.rows.length - 1, num(`SELECT count(*) FROM messages WHERE organisation_id = ${f.C}`));
});
