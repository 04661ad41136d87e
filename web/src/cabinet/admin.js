// admin.js - the cabinet's "Администрирование" section: which of its pages a
// person sees (operators: all of them; an organisation's admin or manager:
// polls and discussions of that organisation) and the page the address names
// (#/<org>/admin/<page>?org=CODE). The API decides in the end.
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';
import './admin-words.js';
import { AuditAdmin, OrgPages } from './admin-people.js';
import { ImportAdmin } from './admin-import.js';
import { OrgsAdmin } from './admin-orgs.js';
import { ParticipationAdmin } from './admin-participation.js';
import { RoutingAdmin, RubricsAdmin } from './admin-rubrics.js';
import { TerritoriesAdmin } from './admin-territories.js';

const OPERATOR_PAGES = ['territories', 'orgs', 'import', 'rubrics', 'routing', 'widgets', 'people', 'polls', 'discussions', 'audit'];
const MANAGER_PAGES = ['polls', 'discussions'];
const MANAGES = ['admin', 'manager', 'operator', 'root_operator'];

const isOperator = (me) => (me.roles ?? []).some((r) => r.role === 'operator' || r.role === 'root_operator');

/** The administration pages the person may open. */
export function adminPages(me) {
  if (isOperator(me)) return OPERATOR_PAGES;
  return (me.roles ?? []).some((r) => MANAGES.includes(r.role)) ? MANAGER_PAGES : [];
}

/** The organisations the person creates polls and discussions for. */
const managedOrgs = (me) => [...new Set((me.roles ?? []).filter((r) => MANAGES.includes(r.role)).map((r) => r.org))];

export function AdminNav({ me, org, current }) {
  const pages = adminPages(me);
  if (pages.length === 0) return null;
  return html`<h2 class="nav-heading" id="admin-nav">${t('admin.section')}</h2>
    <ul class="queues" aria-labelledby="admin-nav">${pages.map((p) => html`<li><a href=${`#/${org}/admin/${p}`}
      aria-current=${current === p ? 'page' : undefined}>${t(`admin.${p}`)}</a></li>`)}</ul>`;
}

export function AdminPage({ me, org, page, filters }) {
  if (!adminPages(me).includes(page)) return html`<p>${t('admin.forbidden')}</p>`;
  const base = `#/${org}/admin`;
  const onOrg = (code) => { location.hash = `${base}/${page}?org=${encodeURIComponent(code)}`; };
  switch (page) {
    case 'territories': return html`<${TerritoriesAdmin} />`;
    case 'orgs': return html`<${OrgsAdmin} base=${base} />`;
    case 'import': return html`<${ImportAdmin} />`;
    case 'rubrics': return html`<${RubricsAdmin} />`;
    case 'routing': return html`<${RoutingAdmin} />`;
    case 'widgets': case 'people': return html`<${OrgPages} key=${page} page=${page} org=${filters.org} onOrg=${onOrg} />`;
    case 'polls': case 'discussions': return html`<${ParticipationAdmin} key=${page} kind=${page} orgs=${managedOrgs(me)} />`;
    default: return html`<${AuditAdmin} />`;
  }
}
