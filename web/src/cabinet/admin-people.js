// admin-people.js - the operator's people and audit. People: an organisation
// of the operator's territory found by name or code, then its staff page
// (staff.js: revoke, find a person by name or ESIA oid, grant a role); its
// widgets the same way (widgets.js). The audit (GET /api/v1/admin/events):
// who changed what, when, before → after.
import { useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';
import { Control, useLoad } from './admin-ui.js';
import { StaffAdmin } from './staff.js';
import { WidgetsAdmin } from './widgets.js';

/** Picks an organisation by a part of its name or code (GET /api/v1/orgs?q=). */
function OrgPicker({ org, onOrg }) {
  const [values, setValues] = useState({ q: org ?? '' });
  const [found, setFound] = useState({ items: null, error: null });
  const find = (e) => {
    e.preventDefault();
    api('GET', withQuery('/api/v1/orgs', { q: values.q })).then((r) => {
      setFound({ items: r.items, error: null });
      if (r.items.length === 1) onOrg(r.items[0].code);
    }, (error) => setFound({ items: null, error }));
  };
  return html`<form id="org-pick" role="search" onSubmit=${find} novalidate>
    <${ProblemNotice} error=${found.error} />
    <${Control} form="org-pick" name="q" kind="search" label=${t('people.org')} hint=${t('orgs.search.hint')} values=${values} set=${setValues} />
    <button type="submit" class="secondary">${t('filter.apply')}</button>
    ${found.items?.length === 0 && html`<p>${t('staff.nobody')}</p>`}
    ${found.items?.length > 1 && html`<ul>${found.items.map((o) => html`<li><button type="button" class="link" onClick=${() => onOrg(o.code)}>${o.name} (${o.code})</button></li>`)}</ul>`}
  </form>`;
}

/** page: people or widgets, for the organisation ?org= of the address. */
export function OrgPages({ page, org, onOrg }) {
  return html`<section aria-labelledby="org-pages-title">
    <h2 id="org-pages-title">${t(page === 'people' ? 'admin.people' : 'admin.widgets')}${org ? `: ${org}` : ''}</h2>
    <${OrgPicker} org=${org} onOrg=${onOrg} />
    ${org && (page === 'people' ? html`<${StaffAdmin} key=${org} org=${org} />` : html`<${WidgetsAdmin} key=${org} org=${org} />`)}
  </section>`;
}

const brief = (row) => (row ? JSON.stringify(row, null, 1) : '—');

export function AuditAdmin() {
  const [filter, setFilter] = useState({ object_kind: '', object_id: '' });
  const [applied, setApplied] = useState(filter);
  const [more, setMore] = useState([]);
  const page = useLoad(() => { setMore([]); return api('GET', withQuery('/api/v1/admin/events', { ...applied, limit: 50 })); }, [applied]);
  const items = [...(page.data?.items ?? []), ...more.flatMap((p) => p.items)];
  const cursor = more.length ? more[more.length - 1].next_cursor : page.data?.next_cursor;
  const next = () => api('GET', withQuery('/api/v1/admin/events', { ...applied, limit: 50, cursor })).then((p) => setMore([...more, p]));
  const kinds = ['', 'territory', 'organisation', 'rubric', 'routing_rule', 'staff_role', 'widget'];
  return html`<section aria-labelledby="audit-title">
    <h2 id="audit-title">${t('admin.audit')}</h2>
    <form id="audit-filter" class="filter-row" onSubmit=${(e) => { e.preventDefault(); setApplied(filter); }} novalidate>
      <${Control} form="audit-filter" name="object_kind" kind="select" label=${t('audit.kind')} values=${filter} set=${setFilter}
        options=${kinds.map((k) => [k, k ? t(`audit.kind.${k}`) : t('admin.any')])} />
      <${Control} form="audit-filter" name="object_id" label=${t('audit.object')} hint=${t('audit.object.hint')} values=${filter} set=${setFilter} />
      <div class="field"><button type="submit" class="secondary">${t('filter.apply')}</button></div>
    </form>
    <${ProblemNotice} error=${page.error} />
    ${page.data && items.length === 0 && html`<p>${t('queue.empty')}</p>`}
    ${items.length > 0 && html`<table class="staff admin-table audit">
      <thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('audit.what')}</th>
        <th scope="col">${t('audit.before')}</th><th scope="col">${t('audit.after')}</th></tr></thead>
      <tbody>${items.map((e) => html`<tr key=${e.id}><td>${when(e.at)}</td><td>${e.actor ? `${e.actor.name} (${e.actor.esia_oid})` : t('audit.console')}</td>
        <td>${t(`audit.action.${e.action}`)}: ${t(`audit.kind.${e.object_kind}`)} ${e.object_id}</td>
        <td><pre class="audit-row">${brief(e.before)}</pre></td><td><pre class="audit-row">${brief(e.after)}</pre></td></tr>`)}</tbody></table>`}
    ${cursor && html`<button type="button" class="secondary" onClick=${next}>${t('queue.more')}</button>`}
  </section>`;
}
