// voting.js - the public page of a budget voting: projects, choice within the
// rules, one ballot, live results.
import { $, api, h, loginLink, param, rubles, say } from './common.js';

async function results(id) {
  const r = await api('GET', `/api/v1/votings/${id}/results`);
  if (r.status !== 200) return;
  $('#results').replaceChildren(h('h2', {}, 'Результаты'), h('p', {}, `Проголосовали: ${r.body.voters}`),
    h('ol', {}, r.body.projects.map((p) => h('li', {}, `${p.title} — ${p.votes}`))));
}

async function start() {
  let id = param('id');
  if (!id) {
    const list = await api('GET', '/api/v1/votings?limit=1');
    id = list.body?.items?.[0]?.id;
  }
  const v = (await api('GET', `/api/v1/votings/${id}`)).body;
  if (!v) { say('Голосование не найдено.'); return; }
  document.title = v.title;
  $('#title').textContent = v.title;
  $('#description').textContent = v.description;
  $('#rules').textContent = `Можно выбрать до ${v.max_choices} проектов${v.budget ? ` на сумму до ${rubles(v.budget)}` : ''}.`;
  const mine = await api('GET', `/api/v1/votings/${id}/ballot`);
  const chosen = () => [...document.querySelectorAll('input[name=project]:checked')].map((i) => Number(i.value));
  const total = h('p', { id: 'total', 'aria-live': 'polite' });
  const update = () => {
    const sum = v.projects.filter((p) => chosen().includes(p.id)).reduce((a, p) => a + p.cost, 0);
    total.textContent = `Выбрано: ${chosen().length} из ${v.max_choices}, на ${rubles(sum)}`;
  };
  const form = h('form', { id: 'ballot', onsubmit: async (event) => {
    event.preventDefault();
    const r = await api('POST', `/api/v1/votings/${id}/ballots`, { project_ids: chosen() });
    if (r.status === 201) { say('Ваш голос учтён. Спасибо!'); form.remove(); results(id); }
    else if (r.status === 401) say('Чтобы проголосовать, войдите через Госуслуги.');
    else say(r.body?.detail ?? 'Не получилось. Попробуйте ещё раз.');
  } },
  h('fieldset', {}, h('legend', {}, 'Проекты'), v.projects.map((p) => h('div', { class: 'project' },
    h('input', { type: 'checkbox', name: 'project', value: String(p.id), id: `p${p.id}`, onchange: update }),
    h('label', { for: `p${p.id}` }, h('strong', {}, p.title), ` — ${rubles(p.cost)}`, h('br'), p.description)))),
  total, h('button', { type: 'submit', id: 'vote' }, 'Проголосовать'));
  update();
  if (mine.status === 200) say('Вы уже проголосовали в этом голосовании.');
  else if (mine.status === 401) $('#login-box').append(loginLink());
  else if (v.state === 'open') $('#form').append(form);
  else say(v.state === 'upcoming' ? 'Голосование ещё не началось.' : 'Голосование завершено.');
  results(id);
}

start();
