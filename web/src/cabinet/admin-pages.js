// admin-pages.js - the pages of the "Администрирование" section (admin.js
// decides who may open which and loads this module, with everything it
// imports, as a chunk of its own when the section is first opened).
import { html } from '../shared/html.js';
import './admin-words.js';
import { MANAGES } from './admin.js';
import { AuditAdmin, OrgPages } from './admin-people.js';
import { ImportAdmin } from './admin-import.js';
import { OrgsAdmin } from './admin-orgs.js';
import { ParticipationAdmin } from './admin-participation.js';
import { RoutingAdmin, RubricsAdmin } from './admin-rubrics.js';
import { TerritoriesAdmin } from './admin-territories.js';

/** The organisations the person creates polls and discussions for. */
const managedOrgs = (me) => [...new Set((me.roles ?? []).filter((r) => MANAGES.includes(r.role)).map((r) => r.org))];

/** The page the address names (admin.js has checked it is one of the person's). */
export function AdminPageOf({ me, org, page, filters }) {
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
