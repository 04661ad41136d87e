// analytics-xlsx.test.mjs - GET /api/v1/analytics/report.xlsx (modules/analytics/report.c,
// libxlsxwriter): opened with exceljs as a spreadsheet would; the same figures
// as /summary, /orgs and /series for the same filters; a formula-looking
// organisation name stays a string cell; the statistics' rights (another
// organisation 404, no token 401, a bad filter 422).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { api, assertProblem, sql } from './helpers.mjs';
import { fixture } from './analytics-fixture.mjs';

const f = fixture();
const PERIOD = { from: '2025-03-01', to: '2025-03-31' };
sql(`UPDATE organisations SET name = '=HYPERLINK("http://evil.example","x")' WHERE id = ${f.B}`);

async function workbook(who, params) {
  const res = await fetch(`${process.env.OTKLIK_BASE_URL}/api/v1/analytics/report.xlsx?${new URLSearchParams(params)}`,
    { headers: { authorization: `Bearer ${f.token(who)}` } });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /attachment; filename="report\.xlsx"/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await res.arrayBuffer()));
  return book;
}

/* A sheet's rows under its header as objects. */
function table(sheet, from = 1) {
  const head = sheet.getRow(from).values.slice(1);
  const rows = [];
  for (let r = from + 1; r <= sheet.rowCount; r++) {
    const values = sheet.getRow(r).values.slice(1);
    if (values.length === 0) break;
    rows.push(Object.fromEntries(head.map((k, i) => [k, values[i] ?? null])));
  }
  return rows;
}

const json = async (path, who, params) => (await api('GET', `${path}?${new URLSearchParams(params)}`, { auth: f.token(who) })).body;

test('the workbook holds the summary, orgs and days of /summary, /orgs and /series for the same filters', async () => {
  for (const [who, params] of [['modM', PERIOD], ['curA', PERIOD], ['modM', { ...PERIOD, rubric: String(f.rubrics[0]) }]]) {
    const book = await workbook(who, params);
    assert.deepEqual(book.worksheets.map((s) => s.name), ['summary', 'orgs', 'days']);
    const summary = await json('/api/v1/analytics/summary', who, params);
    const figures = Object.fromEntries(table(book.getWorksheet('summary')).filter((r) => r.figure).map((r) => [r.figure, r.value]));
    assert.equal(figures.received, summary.received);
    assert.equal(figures.from, summary.from);
    assert.equal(figures['overdue.count'], summary.overdue.count);
    assert.equal(figures['overdue.share'] ?? null, summary.overdue.share);
    assert.equal(figures['time_to_answer.median_minutes'] ?? null, summary.time_to_answer.median_minutes);
    assert.equal(figures['satisfaction.distribution.5'], summary.satisfaction.distribution['5']);
    assert.equal(figures['by_status.closed'], summary.by_status.closed);
    const orgs = await json('/api/v1/analytics/orgs', who, params);
    const sheet = table(book.getWorksheet('orgs'));
    assert.deepEqual(sheet.map((r) => r.org), orgs.items.map((o) => o.org));
    for (const [n, o] of orgs.items.entries())
      for (const k of ['received', 'overdue', 'answered', 'on_time_share', 'median_minutes', 'rating_median']) assert.equal(sheet[n][k], o[k], `${o.org} ${k}`);
    const series = await json('/api/v1/analytics/series', who, params);
    const days = table(book.getWorksheet('days'));
    assert.equal(days.length, series.days.length);
    assert.deepEqual(days.map((d) => [d.day, d.received, d.answered]), series.days.map((d) => [d.day, d.received, d.answered]));
  }
});

test('a formula-looking name is a string cell, not a formula', async () => {
  const book = await workbook('modM', PERIOD);
  const sheet = book.getWorksheet('orgs');
  let found = null;
  sheet.eachRow((row) => row.eachCell((cell) => { if (String(cell.value).startsWith('=HYPERLINK')) found = cell; }));
  assert.ok(found, 'the name is there');
  assert.equal(found.type, ExcelJS.ValueType.String);
  assert.equal(found.formula, undefined);
});

test('the statistics\' rights and checks: another organisation 404, no token 401, a bad date 422', async () => {
  assertProblem(await api('GET', `/api/v1/analytics/report.xlsx?org=${f.codes.B}`, { auth: f.token('curA') }), 404);
  assertProblem(await api('GET', '/api/v1/analytics/report.xlsx'), 401);
  assertProblem(await api('GET', '/api/v1/analytics/report.xlsx?from=2025-13-01', { auth: f.token('curA') }), 422);
  assertProblem(await api('GET', '/api/v1/analytics/report.xlsx', { auth: f.token('execA') }), 403);
});
