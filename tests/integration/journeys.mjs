// journeys.mjs - steps of a message's lifecycle with the demo users, shared by
// the tests that need a message in some status: each step asserts it worked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { api, cleanText, rubricId, userId } from './helpers.mjs';

/** otklikctl with extra environment (OTKLIK_CLOCK_OFFSET_SECONDS...). */
export const ctl = (args, env = {}) => execFileSync(`${process.env.OTKLIK_BIN}/otklikctl`, args, { env: { ...process.env, ...env } }).toString();

/** A file uploaded by auth (a token or a demo oid) under type; its id. */
export async function uploaded(auth, data, type) {
  const res = await api('POST', '/api/v1/attachments', { auth, raw: data, headers: { 'content-type': type } });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

/** A new message of auth's carrying the uploads ids; its id. */
export async function sendFiles(auth, ids) {
  const res = await api('POST', '/api/v1/messages', { auth, body: { rubric_id: rubricId(), text: cleanText(), attachment_ids: ids } });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}

/** A new message of oid's; its id. */
export async function send(oid = 'citizen1', rubric = 'roads-potholes') {
  const res = await api('POST', '/api/v1/messages', { auth: oid, body: { rubric_id: rubricId(rubric), text: cleanText() } });
  assert.equal(res.status, 201, res.text);
  return res.body.id;
}
export const act = (who, id, action, body) => api('POST', `/api/v1/messages/${id}/${action}`, { auth: who, body });
/** A transition that must succeed (into status, if given); the message after it. */
export async function ok(who, id, action, body, status) {
  const res = await act(who, id, action, body);
  assert.equal(res.status, 200, `${who} ${action}: ${res.text}`);
  if (status) assert.equal(res.body.status, status);
  return res.body;
}
export const accept = (id, org = 'demo-admin') => ok('moderator1', id, 'moderate', { decision: 'accept', org }, 'registered');
export const assign = (id, executor = 'executor1', who = 'coordinator1', comment = undefined) =>
  ok(who, id, 'assign', { executor_id: userId(executor), comment }, 'in_progress');
export const answer = (id, who = 'executor1', text = 'Яму заделали, спасибо за сообщение.') => ok(who, id, 'answer', { text }, 'approval');
export const approve = (id, who = 'manager1') => ok(who, id, 'approve', { approve: true });
/** A message of oid's answered by executor1 and approved by manager1. */
export async function answered(oid = 'citizen1') {
  const id = await send(oid);
  await accept(id); await assign(id); await answer(id); await approve(id);
  return id;
}
