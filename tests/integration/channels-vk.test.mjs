// channels-vk.test.mjs - VK's Callback API end to end: the confirmation
// handshake, the secret key, comments, posts and private messages becoming
// incidents once, accepted by a moderator and answered, and the answer
// arriving back in VK through the outbox (a comment under the same post, a
// private message), across VK's rate-limit errors.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertProblem, rubricId, sql } from './helpers.mjs';
import { NetworksStandIn } from './networks-standin.mjs';
import { account, acceptAndAnswer, hook, incidentCount, incidentOf, inQueue, until } from './channels.mjs';

let vk, standin;
before(async () => {
  vk = await account('vk');
  standin = await new NetworksStandIn({ vkTokens: new Set([vk.token]) }).start();
});
after(() => standin?.stop());

let seq = 1;
/** A wall_reply_new event: user 777 comments post 5 of the community. */
function comment(text, { secret = vk.secret, group = vk.group, id = seq++ } = {}) {
  return {
    type: 'wall_reply_new', group_id: group, event_id: `e${id}`, v: '5.199', secret,
    object: { id, from_id: 777, date: 1767225600, text, post_id: 5, owner_id: -group, parents_stack: [] },
  };
}

describe('VK Callback API', () => {
  test('the confirmation handshake answers the account\'s code as text; another community is refused', async () => {
    const res = await hook(`/hooks/vk/${vk.id}`, { type: 'confirmation', group_id: vk.group });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain/);
    assert.equal(res.text, 'c0nf1rm');
    assertProblem(await hook(`/hooks/vk/${vk.id}`, { type: 'confirmation', group_id: vk.group + 1 }), 403);
    assertProblem(await hook('/hooks/vk/999999999', { type: 'confirmation', group_id: vk.group }), 404);
  });

  test('a wrong or missing secret key, or another group: refused, nothing stored', async () => {
    const before = incidentCount();
    assertProblem(await hook(`/hooks/vk/${vk.id}`, comment('Яма на дороге', { secret: 'wrong' })), 403);
    const missing = comment('Яма на дороге');
    delete missing.secret;
    assertProblem(await hook(`/hooks/vk/${vk.id}`, missing), 403);
    assertProblem(await hook(`/hooks/vk/${vk.id}`, comment('Яма на дороге', { group: vk.group + 1 })), 403);
    assert.equal(incidentCount(), before);
  });

  test('unknown event types are acknowledged with ok and ignored; oversized bodies are 413', async () => {
    const before = incidentCount();
    const res = await hook(`/hooks/vk/${vk.id}`, { type: 'group_join', group_id: vk.group, secret: vk.secret, object: { user_id: 1 } });
    assert.equal(res.status, 200);
    assert.equal(res.text, 'ok');
    const big = JSON.stringify(comment('я'.repeat(300000)));
    const huge = await hook(`/hooks/vk/${vk.id}`, big);
    assert.equal(huge.status, 413);
    assert.equal(incidentCount(), before);
  });

  test('a comment becomes one incident (replays too), with flags and a suggested rubric, in the moderators\' queue', async () => {
    const event = comment('Огромная яма на дороге у дома 5, звоните +7 900 123-45-67');
    for (let i = 0; i < 3; i++) {
      const res = await hook(`/hooks/vk/${vk.id}`, event);
      assert.equal(res.status, 200);
      assert.equal(res.text, 'ok');
    }
    const id = incidentOf('vk', `wall${-vk.group}_5?reply=${event.object.id}`);
    assert.ok(id, 'no incident stored');
    assert.equal(Number(sql(`SELECT count(*) FROM incidents WHERE id = ${id}`)[0][0]), 1);
    const seen = await inQueue(id);
    assert.ok(seen, 'not in the moderator\'s queue');
    assert.equal(seen.channel, 'vk');
    assert.equal(seen.suggested_rubric.id, rubricId('roads-potholes'));
    assert.ok(seen.flags.some((f) => f.code === 4), JSON.stringify(seen.flags));
    assert.equal(seen.url, `https://vk.com/wall${-vk.group}_5?reply=${event.object.id}`);
    const citizen = await api('GET', '/api/v1/incidents', { auth: 'citizen1' });
    assertProblem(citizen, 403);
  });

  test('the community\'s own comments are not incidents', async () => {
    const before = incidentCount();
    const own = comment('Спасибо, передали в дорожную службу');
    own.object.from_id = -vk.group;
    assert.equal((await hook(`/hooks/vk/${vk.id}`, own)).text, 'ok');
    assert.equal(incidentCount(), before);
  });

  test('accepted, answered: the answer arrives as a comment under the same post, across a flood error', async () => {
    const event = comment('Не горит фонарь во дворе на улице Ленина');
    await hook(`/hooks/vk/${vk.id}`, event);
    const id = incidentOf('vk', `wall${-vk.group}_5?reply=${event.object.id}`);
    standin.fail('vk-flood');
    const message = await acceptAndAnswer(id, 'Фонарь починили.');
    const card = await api('GET', `/api/v1/messages/${message}`, { auth: 'coordinator1' });
    assert.equal(card.body.channel, 'vk');
    assert.equal(card.body.status, 'answered');
    assert.equal(sql(`SELECT u.esia_oid FROM messages m JOIN users u ON u.id = m.author_id WHERE m.id = ${message}`)[0][0], 'vk:777');
    await until(() => standin.done('vk', 'wall.createComment').some((c) => c.params.message === 'Фонарь починили.'), 'the comment');
    const call = standin.done('vk', 'wall.createComment').find((c) => c.params.message === 'Фонарь починили.');
    assert.equal(call.params.owner_id, String(-vk.group));
    assert.equal(call.params.post_id, '5');
    assert.equal(call.params.reply_to_comment, String(event.object.id));
    assert.equal(call.params.access_token, vk.token);
    assert.ok(standin.calls.some((c) => c.method === 'wall.createComment' && !c.ok), 'the flood error was not met');
    await until(() => sql(`SELECT delivered_at IS NOT NULL FROM deliveries WHERE message_id = ${message}`)[0]?.[0] === 't', 'delivered');
    const queue = await inQueue(id, 'accepted');
    assert.equal(queue.message_id, message);
    const accounts = await api('GET', '/api/v1/orgs/demo-admin/accounts?limit=100', { auth: 'curator1' });
    const activity = accounts.body.items.find((a) => a.id === vk.id).activity;
    assert.ok(activity.incidents_month >= 2, JSON.stringify(activity));
    assert.ok(activity.answered_share > 0 && activity.answered_share <= 1, JSON.stringify(activity));
    assert.equal(typeof activity.median_answer_hours, 'number');
    const again = await api('POST', `/api/v1/incidents/${id}/accept`, { auth: 'moderator1', body: { org: 'demo-admin' } });
    assertProblem(again, 409);
  });

  test('a private message is answered with messages.send to the same dialogue', async () => {
    const id = seq++;
    const event = {
      type: 'message_new', group_id: vk.group, event_id: `m${id}`, v: '5.199', secret: vk.secret,
      object: { message: { id, date: 1767225600, peer_id: 4242, from_id: 4242, text: 'Переполнены мусорные контейнеры во дворе', conversation_message_id: 1 }, client_info: {} },
    };
    assert.equal((await hook(`/hooks/vk/${vk.id}`, event)).text, 'ok');
    const incident = incidentOf('vk', `club${vk.group}_message${id}`);
    assert.equal((await inQueue(incident)).suggested_rubric.id, rubricId('waste-containers'));
    await acceptAndAnswer(incident, 'Контейнеры вывезли.');
    await until(() => standin.done('vk', 'messages.send').some((c) => c.params.message === 'Контейнеры вывезли.'), 'the private message');
    const call = standin.done('vk', 'messages.send').find((c) => c.params.message === 'Контейнеры вывезли.');
    assert.equal(call.params.peer_id, '4242');
    assert.match(call.params.random_id, /^\d+$/);
  });

  test('dismissed with a reason code; a wrong reason is 422; not the moderator\'s: 404', async () => {
    const event = comment('Реклама: купите наши окна недорого');
    await hook(`/hooks/vk/${vk.id}`, event);
    const id = incidentOf('vk', `wall${-vk.group}_5?reply=${event.object.id}`);
    assertProblem(await api('POST', `/api/v1/incidents/${id}/dismiss`, { auth: 'moderator1', body: { reason_code: 11 } }), 422);
    assertProblem(await api('POST', `/api/v1/incidents/${id}/dismiss`, { auth: 'executor1', body: { reason_code: 5 } }), 404);
    const res = await api('POST', `/api/v1/incidents/${id}/dismiss`, { auth: 'moderator1', body: { reason_code: 5, comment: 'реклама' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'dismissed');
    assert.equal(res.body.dismiss_reason, 5);
    assert.equal(await inQueue(id), undefined);
  });
});
