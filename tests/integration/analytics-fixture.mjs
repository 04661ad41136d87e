// analytics-fixture.mjs - a world of its own for the analytics tests: a
// territory T (under region 99) with organisations A and B and the moderation
// organisation M, a territory R2 beside it with organisation C, their staff, and a
// generated data set of messages with their events and ratings, written
// straight into the tables (the triggers of sql/040 keep the aggregates).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from './helpers.mjs';

export const scalar = (query) => sql(query)[0][0];
export const num = (query) => Number(scalar(query));
const ctl = (args) => execFileSync(`${process.env.OTKLIK_BIN}/otklikctl`, args).toString().trim();

/* Times to answer in minutes, each a multiple of its bucket's width
 * (sql/040: analytics_tta_bucket), with ties. */
const TTAS = [10, 10, 25, 45, 90, 300, 10, 2880];

function dataSet(ids, rubrics) {
  const messages = [], events = [], ratings = [];
  const add = (m) => { messages.push(m); return messages.length; };
  const at = (t) => `'${new Date(t).toISOString()}'`;
  const MIN = 60000, DAY = 86400000;
  for (let i = 0; i < 60; i++) {
    const rubric = rubrics[i % 7 < 4 ? 0 : i % 7 < 6 ? 1 : 2];
    const org = [ids.A, ids.B, ids.A][Math.floor(i / 6) % 3];
    const sent = Date.parse(`2025-03-${String(1 + (i % 10)).padStart(2, '0')}T08:00:00Z`) + i * MIN;
    const kind = i % 6;
    const tta = TTAS[i % TTAS.length] * MIN;
    const m = { rubric, org, sent, status: 'registered', due: sent + 10 * DAY, round: 0, text: `Сообщение ${i}`, events: [] };
    m.events.push([null, 'moderation', sent]);
    if (kind === 0) Object.assign(m, { org: null, status: 'moderation', due: null });
    if (kind !== 0 && kind !== 5) m.events.push(['moderation', 'registered', sent + MIN / 2]);
    if (kind === 2) {
      Object.assign(m, { status: 'closed', round: 1 });
      m.events.push(['approval', 'answered', sent + tta], ['answered', 'closed', sent + tta + DAY]);
      m.rating = [1 + (i % 5), sent + tta + DAY];
    }
    if (kind === 3) {
      Object.assign(m, { status: 'answered', round: 1 });
      m.events.push(['approval', 'answered', sent + 12 * DAY]);
    }
    if (kind === 4) {
      Object.assign(m, { status: 'returned', round: 1, due: sent + tta + DAY + 10 * DAY });
      m.events.push(['approval', 'answered', sent + tta], ['answered', 'returned', sent + tta + DAY]);
    }
    if (kind === 5) {
      Object.assign(m, { status: 'rejected', due: null });
      m.events.push(['moderation', 'rejected', sent + 2 * 60 * MIN]);
    }
    add(m);
  }
  // the previous period (trends), one message on 2025-04-01, and C's
  for (let i = 0; i < 6; i++) {
    const sent = Date.parse(`2025-02-${20 + i}T09:00:00Z`);
    add({ rubric: rubrics[i % 2], org: ids.A, sent, status: 'registered', due: sent + 10 * DAY, round: 0, text: `Прошлое ${i}`, events: [[null, 'moderation', sent]] });
  }
  const single = Date.parse('2025-04-01T10:00:00Z');
  add({ rubric: rubrics[2], org: ids.A, sent: single, status: 'closed', due: single + 10 * DAY, round: 1, text: 'Одно', rating: [5, single + 60 * MIN],
    events: [[null, 'moderation', single], ['approval', 'answered', single + 35 * MIN], ['answered', 'closed', single + 60 * MIN]] });
  for (let i = 0; i < 5; i++) {
    const sent = Date.parse('2025-03-05T12:00:00Z') + i * MIN;
    add({ rubric: rubrics[0], org: ids.C, territory: ids.R2, sent, status: 'registered', due: sent + 10 * DAY, round: 0, text: `Чужое ${i}`, events: [[null, 'moderation', sent]] });
  }
  // formula-looking texts for the CSV
  messages[1].text = '=HYPERLINK("http://evil.example","нажмите")';
  messages[4].text = '+7 (999) 000-00-00; -1; @SUM(A1)';
  return { messages, at };
}

function insertDataSet(ids, rubrics, citizen) {
  const { messages, at } = dataSet(ids, rubrics);
  const tag = `an-${ids.suffix}`;
  const values = messages.map((m, n) => `(${citizen}, ${m.rubric}, ${sqlText(m.text)}, ${m.territory ?? ids.T}, ${m.org ?? 'NULL'}, '${m.status}',
    ${at(m.sent)}, ${m.due ? at(m.due) : 'NULL'}, ${m.round}, '${tag}-${n}')`);
  const ids2 = sql(`INSERT INTO messages (author_id, rubric_id, text, territory_id, organisation_id, status, created_at, due_at, answer_round, idempotency_key)
    VALUES ${values.join(',\n')} RETURNING id`).map((r) => Number(r[0]));
  const events = [], ratings = [];
  messages.forEach((m, n) => {
    for (const [from, to, t] of m.events) events.push(`(${ids2[n]}, 'system', ${from ? `'${from}'` : 'NULL'}, '${to}', ${at(t)})`);
    if (m.rating) ratings.push(`(${ids2[n]}, 1, ${citizen}, ${m.rating[0]}, ${at(m.rating[1])})`);
  });
  sql(`INSERT INTO message_events (message_id, actor_role, from_status, to_status, created_at) VALUES ${events.join(',')}`);
  sql(`INSERT INTO message_ratings (message_id, answer_round, author_id, score, created_at) VALUES ${ratings.join(',')}`);
  return ids2;
}

const sqlText = (s) => `'${s.replace(/'/g, "''")}'`;

export function fixture() {
  const suffix = randomBytes(4).toString('hex');
  const codes = { T: `an-${suffix}`, R2: `anr-${suffix}`, A: `an-a-${suffix}`, B: `an-b-${suffix}`, M: `an-m-${suffix}`, C: `an-c-${suffix}` };
  sql(`INSERT INTO territories (code, name, kind, parent_id) SELECT '${codes.R2}', 'Другой район ${suffix}', 'municipality', id FROM territories WHERE code = '99'`);
  sql(`INSERT INTO territories (code, name, kind, parent_id) SELECT '${codes.T}', 'Аналитинск ${suffix}', 'municipality', id FROM territories WHERE code = '99'`);
  const ids = { suffix };
  ids.T = num(`SELECT id FROM territories WHERE code = '${codes.T}'`);
  ids.R2 = num(`SELECT id FROM territories WHERE code = '${codes.R2}'`);
  for (const [key, territory, moderation] of [['A', 'T', false], ['B', 'T', false], ['M', 'T', true], ['C', 'R2', false]]) {
    ids[key] = num(`INSERT INTO organisations (code, name, territory_id, is_moderation)
      VALUES ('${codes[key]}', 'Организация ${key} ${suffix}', ${ids[territory]}, ${moderation}) RETURNING id`);
  }
  const users = {};
  const oids = {};
  for (const [name, org, role] of [['citizen'], ['curA', 'A', 'curator'], ['coordA', 'A', 'coordinator'], ['execA', 'A', 'executor'],
    ['manA', 'A', 'manager'], ['manB', 'B', 'manager'], ['modM', 'M', 'moderator'], ['curC', 'C', 'curator']]) {
    oids[name] = `an-${name.toLowerCase()}-${suffix}`;
    users[name] = num(`INSERT INTO users (esia_oid, name, territory_id) VALUES ('${oids[name]}', 'Тест ${name}', ${ids.T}) RETURNING id`);
    if (org) sql(`INSERT INTO staff_roles (user_id, organisation_id, role) VALUES (${users[name]}, ${ids[org]}, '${role}')`);
  }
  const rubrics = sql(`SELECT id FROM rubrics WHERE parent_id = (SELECT id FROM rubrics WHERE code = 'roads') ORDER BY id LIMIT 3`).map((r) => Number(r[0]));
  const messages = insertDataSet(ids, rubrics, users.citizen);
  const tokens = new Map();
  return {
    ...ids, codes, users, rubrics, messages,
    token(name) {
      if (!tokens.has(name)) tokens.set(name, ctl(['token', '--esia-oid', oids[name]]));
      return tokens.get(name);
    },
    ctl,
  };
}
