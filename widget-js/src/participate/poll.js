// poll.js - the public page of a poll: its questions, one response, results.
import { $, api, h, loginLink, param, say } from './common.js';

async function results(id) {
  const r = await api('GET', `/api/v1/polls/${id}/results`);
  if (r.status !== 200) return;
  $('#results').replaceChildren(h('h2', {}, 'Результаты'), h('p', {}, `Ответили: ${r.body.respondents}`),
    r.body.questions.filter((q) => q.kind !== 'text').map((q) => h('section', {}, h('h3', {}, q.text),
      h('ul', {}, q.options.map((o) => h('li', {}, `${o.text} — ${o.votes}`))))));
}

async function start() {
  const id = param('id') ?? '1';
  const poll = (await api('GET', `/api/v1/polls/${id}`)).body;
  if (!poll) { say('Опрос не найден.'); return; }
  document.title = poll.title;
  $('#title').textContent = poll.title;
  $('#description').textContent = poll.description;
  const me = await api('GET', '/api/v1/me');
  if (me.status === 401) { $('#login-box').append(loginLink()); results(id); return; }
  const form = h('form', { id: 'poll', onsubmit: async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const answers = [];
    for (const q of poll.questions) {
      if (q.kind === 'text') {
        const text = String(data.get(`q${q.id}`) ?? '').trim();
        if (text) answers.push({ question_id: q.id, text });
      } else {
        const ids = data.getAll(`q${q.id}`).map(Number);
        if (ids.length) answers.push({ question_id: q.id, option_ids: ids });
      }
    }
    const r = await api('POST', `/api/v1/polls/${id}/responses`, { answers });
    if (r.status === 201) { say('Спасибо за ответ!'); form.remove(); results(id); }
    else say(r.body?.detail ?? 'Не получилось. Попробуйте ещё раз.');
  } }, poll.questions.map((q) => h('fieldset', {}, h('legend', {}, q.text, q.required ? ' *' : ''),
    q.kind === 'text'
      ? h('textarea', { name: `q${q.id}`, 'aria-label': q.text, maxlength: '2000' })
      : q.options.map((o) => h('div', {}, h('input', { type: q.kind === 'single' ? 'radio' : 'checkbox', name: `q${q.id}`, value: String(o.id), id: `o${o.id}` }),
        h('label', { for: `o${o.id}` }, ` ${o.text}`))))),
  h('button', { type: 'submit', id: 'answer' }, 'Ответить'));
  if (poll.state === 'open') $('#form').append(form); else say('Опрос закрыт.');
  results(id);
}

start();
