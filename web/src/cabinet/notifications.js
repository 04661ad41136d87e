// notifications.js - the staff member's notifications: assigned to me, waiting
// for my approval, due soon, overdue, returned. Opening one marks it read.
import { ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';
import { useNotifications } from '../shared/notifications.js';

export function Notifications({ org }) {
  const { items, next, loading, error, more, read, readAll } = useNotifications('/api/v1/staff/notifications');
  const open = (n) => { if (!n.read) read(n); };
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
    ${next && !loading && html`<button type="button" class="secondary" onClick=${more}>${t('queue.more')}</button>`}
  </section>`;
}
