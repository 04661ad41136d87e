// answer-visibility.test.mjs - what the citizen sees of the staff's work on
// an answer: a draft's files only once the answer is approved (before the
// fix, any approved answer before made every later draft's files visible), and
// a manager's comment on an approval stays with the staff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api } from './helpers.mjs';
import { accept, assign, ok, send, uploaded } from './journeys.mjs';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const draft = async (id, text) => {
  const file = await uploaded('executor1', PDF, 'application/pdf');
  await ok('executor1', id, 'answer', { text, attachment_ids: [file] }, 'approval');
  return file;
};
const citizenSees = async (id) => {
  const res = await api('GET', `/api/v1/messages/${id}`, { auth: 'citizen1' });
  assert.equal(res.status, 200, res.text);
  return res.body;
};
const fileStatus = async (file, who = 'citizen1') => (await api('GET', `/api/v1/attachments/${file}`, { auth: who })).status;

test("a rework's new draft keeps its files from the citizen until approved; a manager's approval comment stays internal", async () => {
  const id = await send('citizen1');
  await accept(id);
  await assign(id);
  const first = await draft(id, 'Яму заделали.');
  await ok('manager1', id, 'approve', { approve: true, comment: 'Проверено, можно отправлять. Внутреннее.' }, 'answered');

  let seen = await citizenSees(id);
  assert.deepEqual(seen.attachments.map((a) => a.id), [first]);
  assert.equal(await fileStatus(first), 200);
  assert.ok(!JSON.stringify(seen.events).includes('Внутреннее'), 'the approval comment reached the citizen');
  const staff = await api('GET', `/api/v1/messages/${id}`, { auth: 'manager1' });
  const approval = staff.body.events.find((e) => e.to === 'answered');
  assert.equal(approval.comment, 'Проверено, можно отправлять. Внутреннее.');
  assert.equal(approval.comment_internal, true);

  // rework: the second draft's file waits for its approval
  await ok('citizen1', id, 'rework', { comment: 'Яма осталась.' }, 'returned');
  const second = await draft(id, 'Заделали ещё раз.');
  seen = await citizenSees(id);
  assert.deepEqual(seen.attachments.map((a) => a.id), [first]);
  assert.equal(await fileStatus(second), 404);
  assert.equal(await fileStatus(second, 'executor1'), 200);

  // sent back: still hidden; the draft keeps it, and approval publishes both
  await ok('manager1', id, 'approve', { approve: false, comment: 'Нужна фотография.' }, 'in_progress');
  assert.equal(await fileStatus(second), 404);
  const third = await draft(id, 'Заделали, фото приложено.');
  assert.equal(await fileStatus(third), 404);
  await ok('manager1', id, 'approve', { approve: true }, 'answered');
  seen = await citizenSees(id);
  assert.deepEqual(seen.attachments.map((a) => a.id).sort((a, b) => a - b), [first, second, third]);
  assert.equal(await fileStatus(third), 200);
});
