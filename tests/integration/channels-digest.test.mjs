// channels-digest.test.mjs - staff e-mail digests: the scheduler gathers a
// person's unread staff notifications into one e-mail through the outbox, at
// most one an hour (the clock moved forward for the next one).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from './helpers.mjs';
import { accept, assign, ctl, send } from './journeys.mjs';
import { quietMail, startSmtp, until } from './channels.mjs';

let smtp;
before(async () => {
  smtp = await startSmtp();
  quietMail();
});
after(() => smtp?.close());

const digests = () => sql(`SELECT replace(params->>'text', E'\\n', ' ') FROM deliveries WHERE ordering_key = 'staff:' || (SELECT id FROM users WHERE esia_oid = 'executor1') ORDER BY id`).map((r) => r[0]);

describe('staff digests', () => {
  test('one e-mail lists the assignments; the next waits an hour', async () => {
    const first = await send(); await accept(first); await assign(first);
    ctl(['tick']);
    await until(() => smtp.mails.some((m) => m.to.includes('executor1@demo.example') && m.text.includes(`№ ${first}`)), 'the digest');
    const mail = smtp.mails.find((m) => m.text.includes(`№ ${first}`));
    assert.match(mail.subject, /^Отклик: новых уведомлений - \d+$/);
    assert.match(mail.text, new RegExp(`Вам назначено сообщение № ${first}`));
    assert.match(mail.text, /\/cabinet\/$/m);
    const before = digests().length;
    const second = await send(); await accept(second); await assign(second);
    ctl(['tick']);
    assert.equal(digests().length, before, 'a second digest within the hour');
    ctl(['tick'], { OTKLIK_CLOCK_OFFSET_SECONDS: String(3700) });
    const after = digests();
    assert.equal(after.length, before + 1);
    assert.match(after.at(-1), new RegExp(`№ ${second}`));
    assert.doesNotMatch(after.at(-1), new RegExp(`№ ${first}\\b`));
  });
});
