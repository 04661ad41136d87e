// channels-language.test.mjs - e-mail in the recipient's language (sql/071):
// Russian by default; a person who chose English (PATCH /api/v1/me
// {language}) gets the staff digest in English, and a citizen an intake
// operator entered as English-speaking gets the notifications of his
// message, its answer and the unsubscribe line in English, as the SMTP server
// (npm smtp-server) receives them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, rubricId } from './helpers.mjs';
import { accept, answer, approve, assign, ctl, send } from './journeys.mjs';
import { quietMail, startSmtp, until } from './channels.mjs';

let smtp;
before(async () => {
  smtp = await startSmtp();
  quietMail();
});
after(async () => {
  await api('PATCH', '/api/v1/me', { auth: 'executor1', body: { language: 'ru' } });
  smtp?.close();
});

describe('the language of e-mail', () => {
  test('GET /api/v1/me shows it (ru by default); PATCH sets it; anything but ru or en is 422', async () => {
    const me = await api('GET', '/api/v1/me', { auth: 'executor1' });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.language, 'ru');
    assertProblem(await api('PATCH', '/api/v1/me', { auth: 'executor1', body: { language: 'de' } }), 422);
    assertProblem(await api('PATCH', '/api/v1/me', { auth: 'executor1', body: {} }), 422);
    const set = await api('PATCH', '/api/v1/me', { auth: 'executor1', body: { language: 'en' } });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.body.language, 'en');
    assert.equal((await api('GET', '/api/v1/me', { auth: 'executor1' })).body.language, 'en');
  });

  test('a staff member who chose English gets the digest in English', async () => {
    const id = await send(); await accept(id); await assign(id);
    ctl(['tick']);
    await until(() => smtp.mails.some((m) => m.to.includes('executor1@demo.example') && m.text.includes(`Message ${id} `)), 'the digest');
    const mail = smtp.mails.find((m) => m.text.includes(`Message ${id} `));
    assert.match(mail.subject, /^Otklik: new notifications - \d+$/);
    assert.match(mail.text, new RegExp(`^Hello, .+!$`, 'm'));
    assert.match(mail.text, new RegExp(`^- Message ${id} is assigned to you$`, 'm'));
    assert.match(mail.text, /The organisation's cabinet: \S+\/cabinet\/$/m);
    assert.doesNotMatch(mail.text.replace(/^Hello, .*$/m, ''), /[А-Яа-яЁё]{3}/u, 'Russian words in the English digest');
    assert.match(mail.head, /^Content-Language: en/m);
  });

  test('a citizen entered as English-speaking gets his message\'s e-mails in English; others stay Russian', async () => {
    const body = (citizen) => ({
      channel: 'phone', rubric_id: rubricId('utilities-heating'), text: 'Звонок: в подъезде не работает освещение, просит проверить.',
      citizen: { notify_by_email: true, ...citizen },
    });
    const res = await api('POST', '/api/v1/intake/messages', { auth: 'callcenter1',
      body: body({ name: 'John Smith', phone: '+7 900 555-77-01', email: 'john@example.org', language: 'en' }) });
    assert.equal(res.status, 201, res.text);
    assertProblem(await api('POST', '/api/v1/intake/messages', { auth: 'callcenter1',
      body: body({ name: 'X', phone: '+7 900 555-77-02', email: 'x@example.org', language: 'english' }) }), 422);
    const ru = await api('POST', '/api/v1/intake/messages', { auth: 'callcenter1',
      body: body({ name: 'Иванов Пётр', phone: '+7 900 555-77-03', email: 'petr@example.org' }) });
    assert.equal(ru.status, 201, ru.text);
    const id = res.body.id;
    await accept(id); await accept(ru.body.id);
    await assign(id); await answer(id, 'executor1', 'Освещение починили.'); await approve(id);
    const mine = () => smtp.mails.filter((m) => m.to.includes('john@example.org'));
    await until(() => mine().some((m) => m.text.includes('Освещение починили.')), 'the answer by e-mail');
    const answered = mine().find((m) => m.text.includes('Освещение починили.'));
    assert.equal(answered.subject, `Otklik: message ${id} - Your message is answered`);
    assert.match(answered.text, /^Hello, John Smith!$/m);
    assert.match(answered.text, /^The answer:\nОсвещение починили\.$/m);
    assert.match(answered.text, /^Unsubscribe from these e-mails: \S+key=/m);
    const registered = mine().find((m) => m.subject === `Otklik: message ${id} - Your message is registered`);
    assert.ok(registered, JSON.stringify(mine().map((m) => m.subject)));
    await until(() => smtp.mails.some((m) => m.to.includes('petr@example.org')), 'the Russian e-mail');
    const russian = smtp.mails.find((m) => m.to.includes('petr@example.org'));
    assert.match(russian.subject, new RegExp(`^Отклик: сообщение № ${ru.body.id} - `));
    assert.match(russian.text, /^Здравствуйте, Иванов Пётр!$/m);
  });
});
