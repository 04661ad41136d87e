// channels-outbox.test.mjs - госпаблики and the outbox: the register of an
// organisation's accounts, a content-plan post approved by the manager and
// published at its time (a notifier whose clock runs ahead), and a reply whose
// dispatcher is killed mid-send still delivered (at least once).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { api, assertProblem, sleep, sql } from './helpers.mjs';
import { NetworksStandIn } from './networks-standin.mjs';
import { account, acceptAndAnswer, hook, incidentOf, until } from './channels.mjs';

let vk, standin;
before(async () => {
  vk = await account('vk');
  standin = await new NetworksStandIn({ vkTokens: new Set([vk.token]) }).start();
});
after(() => standin?.stop());

describe('official accounts and their content plan', () => {
  test('the register: staff read it, admins add to it; others are refused; no secret is a field', async () => {
    const list = await api('GET', '/api/v1/orgs/demo-admin/accounts?limit=100', { auth: 'curator1' });
    assert.equal(list.status, 200, list.text);
    const mine = list.body.items.find((a) => a.id === vk.id);
    assert.deepEqual(Object.keys(mine).sort(), ['activity', 'address', 'created_at', 'external_id', 'id', 'network', 'org', 'verified']);
    assert.equal(mine.verified, true);
    assertProblem(await api('GET', '/api/v1/orgs/demo-admin/accounts', { auth: 'citizen1' }), 404);
    const body = { network: 'vk', address: 'https://vk.com/x', external_id: '1' };
    assertProblem(await api('POST', '/api/v1/orgs/demo-admin/accounts', { auth: 'executor1', body }), 403);
    assertProblem(await api('POST', '/api/v1/orgs/demo-admin/accounts', { auth: 'admin1', body: { ...body, network: 'fax' } }), 422);
    assertProblem(await api('POST', '/api/v1/orgs/demo-admin/accounts', { auth: 'admin1', body: { ...body, external_id: String(vk.group) } }), 409);
    assertProblem(await api('POST', '/api/v1/orgs/demo-admin/accounts', { auth: 'admin1', body: { ...body, token: 'secret' } }), 422);
  });

  test('a post is published only once approved, and only at its time', async () => {
    const at = new Date(Date.now() + 2 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const text = `Плановое отключение воды ${Date.now()}`;
    const created = await api('POST', `/api/v1/accounts/${vk.id}/posts`, { auth: 'executor1', body: { text, publish_at: at } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.status, 'draft');
    assertProblem(await api('POST', `/api/v1/accounts/${vk.id}/posts`, { auth: 'executor1', body: { text, publish_at: 'soon' } }), 422);
    assertProblem(await api('POST', `/api/v1/posts/${created.body.id}/approve`, { auth: 'executor1' }), 403);
    assertProblem(await api('POST', `/api/v1/posts/${created.body.id}/approve`, { auth: 'manager2' }), 404);
    const approved = await api('POST', `/api/v1/posts/${created.body.id}/approve`, { auth: 'manager1' });
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.body.status, 'approved');
    assertProblem(await api('POST', `/api/v1/posts/${created.body.id}/approve`, { auth: 'manager1' }), 409);
    await sleep(1500);
    assert.equal(standin.done('vk', 'wall.post').filter((c) => c.params.message === text).length, 0, 'published early');
    // a dispatcher whose clock is two hours ahead publishes it
    const ahead = spawn(`${process.env.OTKLIK_BIN}/otklik-notifier`, [], {
      env: { ...process.env, OTKLIK_CLOCK_OFFSET_SECONDS: String(2 * 3600 + 60), OTKLIK_WEBHOOK_URL: '' }, stdio: 'ignore',
    });
    try {
      await until(() => standin.done('vk', 'wall.post').some((c) => c.params.message === text), 'the post');
    } finally {
      ahead.kill('SIGTERM');
    }
    const call = standin.done('vk', 'wall.post').find((c) => c.params.message === text);
    assert.equal(call.params.owner_id, String(-vk.group));
    assert.equal(call.params.from_group, '1');
    await until(async () => (await api('GET', `/api/v1/accounts/${vk.id}/posts`, { auth: 'curator1' })).body.items
      .some((p) => p.id === created.body.id && p.status === 'published' && p.external_id !== null), 'published in the plan');
    const listed = await api('GET', '/api/v1/orgs/demo-admin/accounts?limit=100', { auth: 'curator1' });
    assert.equal(listed.body.items.find((a) => a.id === vk.id).activity.posts_week, 1);
  });
});

describe('the dispatcher killed mid-send', () => {
  test('the reply is still delivered', async () => {
    const event = {
      type: 'wall_reply_new', group_id: vk.group, secret: vk.secret,
      object: { id: 9001, from_id: 31337, date: 1767225600, text: 'Яма у школы номер 3', post_id: 7, owner_id: -vk.group },
    };
    assert.equal((await hook(`/hooks/vk/${vk.id}`, event)).text, 'ok');
    standin.hangMs = 3000;
    standin.fail('hang');
    const message = await acceptAndAnswer(incidentOf('vk', `wall${-vk.group}_7?reply=9001`), 'Яму у школы заделали.');
    const arrived = () => standin.arrivals.filter((b) => new URLSearchParams(b).get('message') === 'Яму у школы заделали.').length;
    await until(() => arrived() === 1, 'the first attempt');
    const supervisor = readFileSync(`${process.env.OTKLIK_VAR}/run/notifier.pid`, 'utf8').trim();
    const [child] = execFileSync('pgrep', ['-P', supervisor]).toString().trim().split('\n');
    process.kill(Number(child), 'SIGKILL');
    await until(() => sql(`SELECT delivered_at IS NOT NULL FROM deliveries WHERE message_id = ${message}`)[0][0] === 't', 'delivered', 40000);
    assert.ok(standin.done('vk', 'wall.createComment').some((c) => c.params.message === 'Яму у школы заделали.'));
    assert.ok(arrived() >= 2, 'not sent again after the kill');
  });
});
