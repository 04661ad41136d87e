// channels-telegram.test.mjs - the Telegram Bot API webhook end to end: the
// secret token header, a chat message becoming one incident, accepted and
// answered, and the answer sent back as a reply in the same chat through the
// outbox, across Telegram's 429 with retry_after.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, rubricId } from './helpers.mjs';
import { NetworksStandIn } from './networks-standin.mjs';
import { account, acceptAndAnswer, hook, incidentCount, incidentOf, inQueue, until } from './channels.mjs';

let bot, standin;
before(async () => {
  bot = await account('telegram');
  standin = await new NetworksStandIn({ telegramTokens: new Set([bot.token]) }).start();
});
after(() => standin?.stop());

let seq = 100;
function update(text, { chat = bot.group, from = { id: 555, is_bot: false, first_name: 'Иван', last_name: 'Петров' } } = {}) {
  const id = seq++;
  return { update_id: 90000 + id, message: { message_id: id, from, chat: { id: chat, type: 'supergroup', title: 'Демоград', username: 'demograd_chat' }, date: 1767225600, text } };
}
const send = (body, token = bot.secret) =>
  hook(`/hooks/telegram/${bot.id}`, body, token === null ? {} : { 'x-telegram-bot-api-secret-token': token });

describe('Telegram Bot API webhook', () => {
  test('a missing secret token is 401, a wrong one 403, and nothing is stored', async () => {
    const before = incidentCount();
    assertProblem(await send(update('Яма на дороге'), null), 401);
    assertProblem(await send(update('Яма на дороге'), 'x'.repeat(bot.secret.length)), 403);
    assertProblem(await send(update('Яма на дороге'), 'short'), 403);
    assert.equal(incidentCount(), before);
  });

  test('a chat message becomes one incident however often Telegram repeats the update', async () => {
    const u = update('Во дворе дома 3 не горит фонарь уже неделю');
    for (let i = 0; i < 3; i++) assert.equal((await send(u)).status, 200);
    const id = incidentOf('telegram', `${bot.group}:${u.message.message_id}`);
    const seen = await inQueue(id);
    assert.equal(seen.channel, 'telegram');
    assert.equal(seen.author.name, 'Иван Петров');
    assert.equal(seen.url, `https://t.me/demograd_chat/${u.message.message_id}`);
    assert.equal(seen.suggested_rubric.id, rubricId('lighting-streets'));
    assert.equal(seen.account.org, 'demo-admin');
  });

  test('bots\' messages and updates without text are acknowledged and ignored', async () => {
    const before = incidentCount();
    assert.equal((await send(update('Спасибо!', { from: { id: 1, is_bot: true, first_name: 'bot' } }))).status, 200);
    assert.equal((await send({ update_id: 1, my_chat_member: {} })).status, 200);
    assert.equal(incidentCount(), before);
  });

  test('accepted and answered: a reply to the same message, after a 429', async () => {
    const u = update('На остановке сломан павильон, автобус не видно');
    await send(u);
    const id = incidentOf('telegram', `${bot.group}:${u.message.message_id}`);
    standin.fail('tg-429');
    const message = await acceptAndAnswer(id, 'Павильон заменят до пятницы.');
    const card = await api('GET', `/api/v1/messages/${message}`, { auth: 'coordinator1' });
    assert.equal(card.body.channel, 'telegram');
    await until(() => standin.done('telegram', 'sendMessage').some((c) => c.params.text === 'Павильон заменят до пятницы.'), 'the reply', 30000);
    const call = standin.done('telegram', 'sendMessage').find((c) => c.params.text === 'Павильон заменят до пятницы.');
    assert.equal(call.params.chat_id, bot.group);
    assert.equal(call.params.reply_to_message_id, u.message.message_id);
    assert.equal(call.token, bot.token);
    const limited = standin.calls.find((c) => c.network === 'telegram' && !c.ok);
    assert.ok(limited, 'the 429 was not met');
    assert.ok(call.at - limited.at >= 900, `retry_after not honoured: ${call.at - limited.at} ms`);
  });
});
