// admin.js - the cabinet's "Администрирование" section: which of its pages a
// person sees (operators: all of them; an organisation's admin or manager:
// polls and discussions of that organisation) and the page the address names
// (#/<org>/admin/<page>?org=CODE). The API decides in the end. The pages
// themselves (admin-pages.js and what it imports) are a chunk of their own,
// loaded when the section is first opened, so that a moderator's first screen
// does not pay for them.
import { html } from '../shared/html.js';
import { addWords, t } from '../shared/i18n.js';
import { lazyPage } from './chunk.js';

addWords({
  ru: {
    'admin.section': 'Администрирование',
    'admin.territories': 'Территории', 'admin.orgs': 'Организации', 'admin.import': 'Импорт из CSV', 'admin.rubrics': 'Рубрики',
    'admin.routing': 'Правила маршрутизации', 'admin.widgets': 'Виджеты организаций', 'admin.people': 'Сотрудники и роли',
    'admin.polls': 'Опросы', 'admin.discussions': 'Общественные обсуждения', 'admin.audit': 'Журнал изменений',
    'admin.forbidden': 'Этот раздел вам недоступен.',
  },
  en: {
    'admin.section': 'Administration',
    'admin.territories': 'Territories', 'admin.orgs': 'Organisations', 'admin.import': 'CSV import', 'admin.rubrics': 'Rubrics',
    'admin.routing': 'Routing rules', 'admin.widgets': 'Organisations\' widgets', 'admin.people': 'Staff and roles',
    'admin.polls': 'Polls', 'admin.discussions': 'Public discussions', 'admin.audit': 'Change log',
    'admin.forbidden': 'This section is not open to you.',
  },
});

const OPERATOR_PAGES = ['territories', 'orgs', 'import', 'rubrics', 'routing', 'widgets', 'people', 'polls', 'discussions', 'audit'];
const MANAGER_PAGES = ['polls', 'discussions'];
export const MANAGES = ['admin', 'manager', 'operator', 'root_operator'];

const isOperator = (me) => (me.roles ?? []).some((r) => r.role === 'operator' || r.role === 'root_operator');

/** The administration pages the person may open. */
export function adminPages(me) {
  if (isOperator(me)) return OPERATOR_PAGES;
  return (me.roles ?? []).some((r) => MANAGES.includes(r.role)) ? MANAGER_PAGES : [];
}

export function AdminNav({ me, org, current }) {
  const pages = adminPages(me);
  if (pages.length === 0) return null;
  return html`<h2 class="nav-heading" id="admin-nav">${t('admin.section')}</h2>
    <ul class="queues" aria-labelledby="admin-nav">${pages.map((p) => html`<li><a href=${`#/${org}/admin/${p}`}
      aria-current=${current === p ? 'page' : undefined}>${t(`admin.${p}`)}</a></li>`)}</ul>`;
}

const Pages = lazyPage(() => import('./admin-pages.js'), 'AdminPageOf');

export function AdminPage(props) {
  if (!adminPages(props.me).includes(props.page)) return html`<p>${t('admin.forbidden')}</p>`;
  return html`<${Pages} ...${props} />`;
}
