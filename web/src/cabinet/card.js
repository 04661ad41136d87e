// card.js - a message as staff see it: the text, where (on a map), the
// organisation suggested to the moderator, the pre-check flags
// by their reason titles, the due date, the whole history with internal
// comments, and exactly the actions the person may take now.
import { useEffect, useState } from 'preact/hooks';
import { api, problemText } from '../shared/api.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';
import { ActionForm } from './actions.js';
import { Attachments } from './attachments.js';
import { MessageMap } from './map.js';
import { actionsFor } from './queues.js';

function History({ events }) {
  return html`<ol class="history">${events.map((e) => html`<li key=${e.id} class=${e.internal ? 'internal' : ''}>
    <span class="when">${when(e.at)}</span>
    <span>${t(`role.${e.actor_role}`)}: ${e.from ? `${t(`status.${e.from}`)} → ` : ''}${t(`status.${e.to}`)}</span>
    ${e.comment && html`<blockquote>${e.comment}${e.internal && html` <em>(${t('card.internal')})</em>`}</blockquote>`}
  </li>`)}</ol>`;
}

export function MessageCard({ me, id, back }) {
  const [state, setState] = useState({ message: null, error: null, notice: null });
  const load = (notice = null) => api('GET', `/api/v1/messages/${id}`).then(
    (message) => setState({ message, error: null, notice }),
    (error) => setState({ message: null, error, notice: null }));
  useEffect(() => { load(); }, [id]);

  const { message: m, error, notice } = state;
  if (error) {
    return html`<section><a href=${back}>${t('card.back')}</a>
      <h2>${error.status === 404 ? t('card.not_found') : problemText(error, t('app.offline'))}</h2></section>`;
  }
  if (!m) return html`<p>${t('app.loading')}</p>`;
  const actions = actionsFor(me, m);
  const flags = m.staff?.flags ?? [];
  return html`<article class="card" aria-labelledby="card-title">
    <a href=${back}>${t('card.back')}</a>
    <h2 id="card-title">${t('card.title', { id: m.id })} <span class="status">${t(`status.${m.status}`)}</span></h2>
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <div class="card-grid">
      <div>
        <h3>${t('card.text')}</h3>
        <p class="message-text">${m.text}</p>
        ${m.address && html`<p><strong>${t('card.address')}:</strong> ${m.address}</p>`}
        ${m.location && html`<h3>${t('card.location')}</h3><${MessageMap} location=${m.location} />`}
        ${m.answer && html`<h3>${t('card.answer')}</h3><p class="message-text">${m.answer}</p>`}
        ${m.staff?.answer_draft && html`<h3>${t('card.draft')}</h3><p class="message-text">${m.staff.answer_draft}</p>`}
        ${m.staff?.redirect_to && html`<p><strong>${t('card.redirect_to')}:</strong> ${m.staff.redirect_to}</p>`}
        <h3>${t('card.history')}</h3>
        <${History} events=${m.events ?? []} />
      </div>
      <aside>
        <dl>
          ${m.staff?.author && html`<dt>${t('card.author')}</dt><dd>${m.staff.author.name}</dd>`}
          <dt>${t('list.organisation')}</dt><dd>${m.organisation ?? '—'}</dd>
          ${m.suggested_org && html`<dt>${t('card.suggested')}</dt><dd>${m.suggested_org.name} (${m.suggested_org.code})</dd>`}
          <dt>${t('card.created')}</dt><dd>${when(m.created_at)}</dd>
          ${m.channel && html`<dt>${t('card.channel')}</dt><dd>${t(`channel.${m.channel}`)}</dd>`}
          <dt>${t('card.due')}</dt><dd>${when(m.due_at) || '—'}${m.overdue && html` <strong class="badge">${t('list.overdue')}</strong>`}</dd>
        </dl>
        <h3>${t('card.flags')}</h3>
        ${flags.length === 0 ? html`<p>${t('card.no_flags')}</p>`
          : html`<ul class="flags">${flags.map((f) => html`<li>${f.code}. ${t(`reason.${f.code}`)}</li>`)}</ul>`}
        <${Attachments} files=${m.attachments} />
      </aside>
    </div>
    <section class="actions" aria-labelledby="actions-title">
      <h2 id="actions-title">${t('card.actions')}</h2>
      ${actions.length === 0 ? html`<p>${t('card.no_actions')}</p>`
        : actions.map((a) => html`<${ActionForm} key=${`${m.id}-${m.status}-${a}`} action=${a} message=${m}
            done=${(updated) => load(t('action.done', { status: t(`status.${updated?.status ?? m.status}`) }))} />`)}
    </section>
  </article>`;
}
