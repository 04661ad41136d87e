// list.js - one queue: the messages newest first, 50 at a time over the
// API's cursor, each a link to its card.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';

export function MessageList({ org, queue }) {
  const [state, setState] = useState({ items: [], next: null, loading: true, error: null });
  const load = async (cursor, items) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await api('GET', withQuery('/api/v1/staff/messages', { org, ...queue.query, limit: 50, cursor }));
      setState({ items: [...items, ...page.items], next: page.next_cursor, loading: false, error: null });
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
    }
  };
  useEffect(() => { load(null, []); }, [org, queue.id]);

  const { items, next, loading, error } = state;
  return html`<section aria-labelledby="queue-title" aria-busy=${loading ? 'true' : 'false'}>
    <h2 id="queue-title">${t(`queue.${queue.id}`)}</h2>
    ${error && html`<p class="notice notice--error" role="alert">${error.status === 0 ? t('app.offline') : error.message}</p>`}
    ${!loading && !error && items.length === 0 && html`<p class="empty">${t('queue.empty')}</p>`}
    ${items.length > 0 && html`<table class="messages">
      <thead><tr>
        <th scope="col">${t('list.number')}</th><th scope="col">${t('list.status')}</th>
        <th scope="col">${t('list.text')}</th><th scope="col">${t('list.organisation')}</th>
        <th scope="col">${t('list.due')}</th>
      </tr></thead>
      <tbody>${items.map((m) => html`<tr key=${m.id} class=${m.overdue ? 'overdue' : ''}>
        <td><a href=${`#/${org}/message/${m.id}`}>${m.id}</a></td>
        <td>${t(`status.${m.status}`)}</td>
        <td class="text">${m.text}</td>
        <td>${m.organisation ?? '—'}</td>
        <td>${when(m.due_at)}${m.overdue && html` <strong class="badge">${t('list.overdue')}</strong>`}</td>
      </tr>`)}</tbody>
    </table>`}
    ${loading && html`<p>${t('app.loading')}</p>`}
    ${next && !loading && html`<button type="button" class="secondary" onClick=${() => load(next, items)}>${t('queue.more')}</button>`}
  </section>`;
}
