// notifications.js - the staff member's notifications: assigned to me, waiting
// for my approval, due soon, overdue, returned. Opening one marks it read.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';

/** The unread count once logged in, polled while the page is open (a minute apart). */
export function useUnread(loggedIn) {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (!loggedIn) return undefined;
    let live = true;
    const poll = () => api('GET', withQuery('/api/v1/staff/notifications', { limit: 1 }))
      .then((page) => live && setUnread(page.unread ?? 0), () => {});
    poll();
    const timer = setInterval(poll, 60_000);
    addEventListener('otklik:notifications', poll);
    return () => { live = false; clearInterval(timer); removeEventListener('otklik:notifications', poll); };
  }, [loggedIn]);
  return unread;
}

const changed = () => dispatchEvent(new Event('otklik:notifications'));

export function Notifications({ org }) {
  const [state, setState] = useState({ items: [], next: null, loading: true, error: null });
  const load = async (cursor, items) => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api('GET', withQuery('/api/v1/staff/notifications', { limit: 50, cursor }));
      setState({ items: [...items, ...page.items], next: page.next_cursor, loading: false, error: null });
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
    }
  };
  useEffect(() => { load(null, []); }, []);
  const open = (n) => {
    if (!n.read) api('POST', `/api/v1/staff/notifications/${n.id}/read`).then(changed, () => {});
  };
  const readAll = () => api('POST', '/api/v1/staff/notifications/read-all').then(() => { changed(); load(null, []); }, () => {});
  const { items, next, loading, error } = state;
  return html`<section aria-labelledby="notifications-title" aria-busy=${loading ? 'true' : 'false'}>
    <h2 id="notifications-title">${t('notifications.title')}</h2>
    <${ProblemNotice} error=${error} />
    ${items.some((n) => !n.read) && html`<button type="button" class="secondary" onClick=${readAll}>${t('notifications.read_all')}</button>`}
    ${!loading && !error && items.length === 0 && html`<p>${t('notifications.empty')}</p>`}
    <ul class="notifications">${items.map((n) => html`<li key=${n.id} class=${n.read ? '' : 'unread'}>
      <a href=${`#/${org}/message/${n.message_id}`} onClick=${() => open(n)}>${n.title}</a>
      ${!n.read && html` <span class="visually-hidden">(${t('notifications.new')})</span>`}
      <div class="hint">${when(n.created_at)}</div>
    </li>`)}</ul>
    ${next && !loading && html`<button type="button" class="secondary" onClick=${() => load(next, items)}>${t('queue.more')}</button>`}
  </section>`;
}
