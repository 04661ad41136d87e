// main.js - the staff cabinet (ЛКО) at /cabinet/: who is logged in
// (/api/v1/me), the organisation worked in, its queues by role, a message's
// card. The place is kept in the address (#/<org>/<queue> or
// #/<org>/message/<id>), so a reload or a shared link opens the same view.
import './words.js';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { language, setLanguage, t } from '../shared/i18n.js';
import { MessageCard } from './card.js';
import { MessageList, listPath, prefetchList } from './list.js';
import { useUnread } from '../shared/notifications.js';
import { Notifications } from './notifications.js';
import { StaffAdmin } from './staff.js';
import { WidgetsAdmin } from './widgets.js';
import { AdminNav, AdminPage, adminPages } from './admin.js';
import { AnalyticsPage, readsAnalytics } from './analytics.js';
import { RatingPage } from './rating.js';
import { IntakePage, takesIntake } from './intake.js';
import { AccountsPage, IncidentsPage, readsAccounts, worksOnIncidents } from './incidents.js';
import { QUEUES, organisations, queuesFor, useCounts } from './queues.js';

/** The view the address names: #/<org>/<queue>?filters, #/<org>/message/<id>,
 * #/<org>/notifications, #/<org>/staff, #/<org>/widgets, #/<org>/analytics, #/<org>/rating,
 * #/<org>/intake, #/<org>/incidents, #/<org>/accounts or #/<org>/admin/<page>. */
function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const [, org = '', kind = '', id = ''] = path.split('/').map(decodeURIComponent);
  const filters = Object.fromEntries(new URLSearchParams(query));
  if (kind === 'message') return { org, message: Number(id) || null, filters };
  if (kind === 'admin') return { org, page: 'admin', admin: id || 'territories', filters };
  if (['notifications', 'staff', 'widgets', 'analytics', 'rating', 'intake', 'incidents', 'accounts'].includes(kind)) return { org, page: kind, filters };
  return { org, queue: kind, filters };
}

function Login() {
  const href = `/auth/esia/login?return_to=${encodeURIComponent(`${location.origin}/cabinet/`)}`;
  return html`<section class="login"><h2>${t('login.title')}</h2><p>${t('login.lead')}</p>
    <a class="button" href=${href}>${t('login.button')}</a></section>`;
}

function App() {
  const [lang, setLang] = useState(language());
  const [me, setMe] = useState({ state: 'loading' });
  const [view, setView] = useState(parseHash());
  useEffect(() => {
    api('GET', '/api/v1/me').then((person) => setMe({ state: 'in', person }),
      (error) => setMe({ state: error.status === 401 ? 'out' : 'error', error }));
    const onHash = () => setView(parseHash());
    addEventListener('hashchange', onHash);
    onHash(); /* the address may have changed before this listener was there */
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const switchLanguage = () => { setLanguage(lang === 'ru' ? 'en' : 'ru'); setLang(language()); };
  const logout = () => api('POST', '/auth/logout').finally(() => setMe({ state: 'out' }));
  const unread = useUnread('/api/v1/staff/notifications', me.state === 'in');
  const orgs = me.state === 'in' ? organisations(me.person) : [];
  const org = orgs.find((o) => o.code === view.org) ?? orgs[0];
  const queues = org ? queuesFor(org.roles) : [];
  const counts = useCounts(queues.length > 0 ? org.code : null, location.hash);

  let main;
  if (me.state === 'loading') main = html`<p>${t('app.loading')}</p>`;
  else if (me.state === 'out') main = html`<${Login} />`;
  else if (me.state === 'error') main = html`<${ProblemNotice} error=${me.error} />`;
  else {
    if (!org) main = html`<p>${t('login.no_roles')}</p>`;
    else {
      const queue = queues.find((q) => q.id === view.queue) ?? queues[0];
      const admin = org.roles.includes('admin');
      const intake = takesIntake(org.roles);
      /* without a queue: an intake operator starts at the form, an operator in the
       * administration, anyone else in notifications */
      const start = queue?.id ?? (intake ? 'intake' : adminPages(me.person).length > 0 ? 'admin' : 'notifications');
      const page = view.page ?? (view.message || queue ? undefined : start);
      const current = (id) => (!view.message && (page ?? queue.id) === id ? 'page' : undefined);
      const setFilters = (filters) => {
        const query = new URLSearchParams(filters).toString();
        location.hash = `#/${org.code}/${queue.id}${query ? `?${query}` : ''}`;
      };
      let content;
      if (view.message) content = html`<${MessageCard} me=${me.person} id=${view.message} back=${`#/${org.code}/${start}`} />`;
      else if (page === 'intake' && intake) content = html`<${IntakePage} />`;
      else if (page === 'notifications') content = html`<${Notifications} org=${org.code} />`;
      else if (page === 'staff' && admin) content = html`<${StaffAdmin} org=${org.code} />`;
      else if (page === 'widgets' && admin) content = html`<${WidgetsAdmin} org=${org.code} />`;
      else if (page === 'analytics') {
        const onFilters = (filters) => { location.hash = `#/${org.code}/analytics?${new URLSearchParams(filters)}`; };
        content = html`<${AnalyticsPage} orgs=${orgs.map((o) => o.code)} filters=${view.filters} onFilters=${onFilters} />`;
      } else if (page === 'rating') {
        const onFilters = (filters) => { location.hash = `#/${org.code}/rating?${new URLSearchParams(filters)}`; };
        content = html`<${RatingPage} filters=${view.filters} onFilters=${onFilters} />`;
      } else if (page === 'incidents' && worksOnIncidents(org.roles)) content = html`<${IncidentsPage} org=${org.code} filters=${view.filters} />`;
      else if (page === 'accounts' && readsAccounts(org.roles)) content = html`<${AccountsPage} org=${org.code} roles=${org.roles} />`;
      else if (page === 'admin') content = html`<${AdminPage} me=${me.person} org=${org.code} page=${view.admin ?? adminPages(me.person)[0]} filters=${view.filters} />`;
      else if (!queue) content = html`<${Notifications} org=${org.code} />`;
      else content = html`<${MessageList} org=${org.code} orgs=${orgs.map((o) => o.code)} queue=${queue} filters=${view.filters} onFilters=${setFilters} />`;
      main = html`<div class="workspace">
        <nav aria-label=${t('queue.nav')}>
          <label for="org">${t('org.label')}</label>
          <select id="org" value=${org.code} onChange=${(e) => { location.hash = `#/${e.currentTarget.value}`; }}>
            ${orgs.map((o) => html`<option value=${o.code}>${o.code} (${o.roles.map((r) => t(`role.${r}`)).join(', ')})</option>`)}
          </select>
          <ul class="queues">${queues.map((q) => html`<li><a href=${`#/${org.code}/${q.id}`}
            aria-current=${current(q.id)}>${t(`queue.${q.id}`)}${counts?.counts[q.id] !== undefined
              && html` <span class="count">${counts.counts[q.id]}${counts.capped.includes(q.id) ? '+' : ''}</span>`}</a></li>`)}</ul>
          <ul class="queues">
            ${intake && html`<li><a href=${`#/${org.code}/intake`} aria-current=${current('intake')}>${t('nav.intake')}</a></li>`}
            <li><a href=${`#/${org.code}/notifications`} aria-current=${current('notifications')} class=${unread > 0 ? 'unread' : ''}>
              ${t('nav.notifications')}${unread > 0 && ` (${t('nav.unread', { count: unread })})`}</a></li>
            ${admin && html`<li><a href=${`#/${org.code}/staff`} aria-current=${current('staff')}>${t('nav.staff')}</a></li>
              <li><a href=${`#/${org.code}/widgets`} aria-current=${current('widgets')}>${t('nav.widgets')}</a></li>`}
            ${readsAnalytics(me.person) && html`<li><a href=${`#/${org.code}/analytics`} aria-current=${current('analytics')}>${t('nav.analytics')}</a></li>
              <li><a href=${`#/${org.code}/rating`} aria-current=${current('rating')}>${t('nav.rating')}</a></li>`}
            ${worksOnIncidents(org.roles) && html`<li><a href=${`#/${org.code}/incidents`} aria-current=${current('incidents')}>${t('nav.incidents')}</a></li>`}
            ${readsAccounts(org.roles) && html`<li><a href=${`#/${org.code}/accounts`} aria-current=${current('accounts')}>${t('nav.accounts')}</a></li>`}
          </ul>
          <${AdminNav} me=${me.person} org=${org.code} current=${page === 'admin' ? view.admin ?? adminPages(me.person)[0] : null} />
        </nav>
        <main id="main">${content}</main>
      </div>`;
    }
  }
  return html`<header class="top">
      <h1>${t('app.cabinet')}</h1>
      <div class="who">
        ${me.state === 'in' && html`<span>${me.person.name}</span>`}
        <button type="button" class="link" lang=${lang === 'ru' ? 'en' : 'ru'} aria-label=${t('app.language.label')} onClick=${switchLanguage}>${t('app.language')}</button>
        ${me.state === 'in' && html`<button type="button" class="secondary" onClick=${logout}>${t('app.logout')}</button>`}
      </div>
    </header>
    ${main}`;
}

/* A queue named by the address is read at once, beside /api/v1/me, rather
 * than after it: the first screen of the day waits for one round trip, not two. */
const first = parseHash();
const firstQueue = QUEUES.find((q) => q.id === first.queue);
if (first.org && firstQueue) prefetchList(listPath(first.org, firstQueue, first.filters, null));

setLanguage(language());
render(html`<${App} />`, document.getElementById('app'));
