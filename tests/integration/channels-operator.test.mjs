// channels-operator.test.mjs - intake by an operator: callcenter1 (intake
// operator of demo-cur) enters a message for a citizen who called; it is
// channel phone, its author the caller's profile (one per phone number), in
// the moderation queue, and then goes through the same lifecycle; the citizen
// who asked for e-mail gets its notifications and the answer through a real
// SMTP server (npm smtp-server) with authentication, sent by the outbox.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, rubricId, sql } from './helpers.mjs';
import { accept, answer, approve, assign } from './journeys.mjs';
import { startSmtp, until } from './channels.mjs';

let smtp;
before(async () => { smtp = await startSmtp(); });
after(() => smtp?.close());

const body = (extra = {}) => ({
  channel: 'phone', citizen: { name: 'Соколова Вера Павловна', phone: '+7 (900) 555-12-34', email: 'vera@example.org', notify_by_email: true },
  rubric_id: rubricId('utilities-heating'), text: 'Звонок: в квартире холодные батареи уже третий день, просит проверить.', address: 'ул. Ленина, 10', ...extra,
});

describe('intake by an operator', () => {
  test('a phone call becomes a message of channel phone in moderation, then answered like any other', async () => {
    const res = await api('POST', '/api/v1/intake/messages', { auth: 'callcenter1', body: body() });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.channel, 'phone');
    assert.equal(res.body.status, 'moderation');
    const again = await api('POST', '/api/v1/intake/messages', { auth: 'callcenter1', body: body({ channel: 'visit' }) });
    assert.equal(again.status, 201, again.text);
    const authors = sql(`SELECT DISTINCT u.esia_oid FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id IN (${res.body.id}, ${again.body.id})`);
    assert.deepEqual(authors, [['phone:+79005551234']]);
    assert.deepEqual(sql(`SELECT name, email, notify_by_email FROM message_contacts WHERE message_id = ${res.body.id}`)[0], ['Соколова Вера Павловна', 'vera@example.org', 't']);
    const card = await api('GET', `/api/v1/messages/${res.body.id}`, { auth: 'moderator1' });
    assert.equal(card.body.channel, 'phone');
    assert.equal(card.body.events[0].actor_role, 'intake_operator');
    await accept(res.body.id); await assign(res.body.id); await answer(res.body.id, 'executor1', 'Батареи прогрели, давление в норме.'); await approve(res.body.id);
    const mine = () => smtp.mails.filter((m) => m.subject?.includes(`№ ${res.body.id} `));
    await until(() => mine().some((m) => m.text.includes('Батареи прогрели, давление в норме.')), 'the answer by e-mail');
    const mail = mine().find((m) => m.text.includes('Батареи прогрели'));
    assert.deepEqual(mail.to, ['vera@example.org']);
    assert.equal(mail.from, 'otklik@demo.example');
    assert.equal(mail.user, 'otklik');
    assert.match(mail.text, /Соколова Вера Павловна/);
    assert.match(mail.head, /^Message-ID: <delivery-\d+@demo\.example>/m);
    assert.ok(mine().length >= 2, 'the registration was not mailed');
    // the unsubscribe link: a page with a button (GET changes nothing), then one click
    const link = /Отписаться от писем: (\S+)/.exec(mail.text)[1];
    assert.match(mail.head, new RegExp(`^List-Unsubscribe: <${link.replace(/[?.]/g, '\\$&')}>`, 'm'));
    const path = new URL(link).pathname + new URL(link).search;
    const page = await api('GET', path);
    assert.equal(page.status, 200);
    assert.match(page.text, /<form method="post">/);
    assert.equal(sql(`SELECT notify_by_email FROM message_contacts WHERE message_id = ${res.body.id}`)[0][0], 't');
    assertProblem(await api('POST', '/api/v1/intake/unsubscribe?key=0123'), 404);
    assertProblem(await api('POST', `/api/v1/intake/unsubscribe?key=${'0'.repeat(32)}`), 404);
    const done = await api('POST', path, { raw: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(done.status, 200, done.text);
    assert.deepEqual(sql(`SELECT DISTINCT notify_by_email FROM message_contacts WHERE email = 'vera@example.org'`), [['f']]);
    await accept(again.body.id);
    assert.equal(sql(`SELECT count(*) FROM deliveries WHERE channel = 'email' AND message_id = ${again.body.id}`)[0][0], '0');
    // the second message asked for e-mail too; a message without the wish gets none
    const quiet = await api('POST', '/api/v1/intake/messages', { auth: 'callcenter1', body: body({ citizen: { name: 'Без почты', phone: '+79005550000' } }) });
    await accept(quiet.body.id);
    assert.equal(sql(`SELECT count(*) FROM deliveries WHERE message_id = ${quiet.body.id}`)[0][0], '0');
  });

  test('only intake operators; bad channel, contact or rubric are 422', async () => {
    assertProblem(await api('POST', '/api/v1/intake/messages', { auth: 'moderator1', body: body() }), 403);
    assertProblem(await api('POST', '/api/v1/intake/messages', { auth: 'citizen1', body: body() }), 403);
    const before = Number(sql('SELECT count(*) FROM messages')[0][0]);
    for (const bad of [{ channel: 'vk' }, { citizen: { name: 'X', phone: '12' } }, { citizen: { name: 'X', phone: '+7 900 abc 12 34' } },
      { citizen: { name: 'X', notify_by_email: true } }, { citizen: { name: 'X', email: 'nope' } }, { rubric_id: 999999999 }]) {
      assertProblem(await api('POST', '/api/v1/intake/messages', { auth: 'callcenter1', body: body(bad) }), 422);
    }
    assert.equal(Number(sql('SELECT count(*) FROM messages')[0][0]), before);
  });
});
