// admin-orgs.js - the operator's organisations (GET /api/v1/orgs, ?q= to
// search, ?territory= to narrow, 50 at a time): create one, edit it,
// deactivate it (the API answers 409 while it has open messages: they must be
// redirected first, and the page says so), and open its staff and widgets.
import { useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { ErrorSummary, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';
import { Control, Notice, territoryOptions, useLoad, useRound, useTerritories, yesNo } from './admin-ui.js';

export const ORG_KINDS = ['authority', 'municipality', 'school', 'hospital', 'employment_centre', 'management_company', 'other'];

function OrgForm({ org, territories, done }) {
  const creating = !org;
  const [values, setValues] = useState(org ?? { code: '', name: '', kind: 'authority', territory: territories[0]?.code ?? '', is_moderation: false, is_active: true });
  const [state, submit] = useSubmit((body) => (creating ? api('POST', '/api/v1/orgs', body)
    : api('PATCH', `/api/v1/orgs/${encodeURIComponent(org.code)}`, body)), done);
  const form = creating ? 'org-new' : 'org-edit';
  const labels = { code: t('admin.code'), name: t('admin.name'), kind: t('admin.kind'), territory: t('admin.territory'), is_moderation: t('orgs.moderation'), is_active: t('orgs.active') };
  const e = state.error?.fields ?? {};
  const onSubmit = (ev) => {
    ev.preventDefault();
    const { code, name, kind, territory, is_moderation, is_active } = values;
    submit(creating ? { code, name, kind, territory, is_moderation } : { name, kind, territory, is_moderation, is_active });
  };
  const conflict = state.error?.status === 409;
  return html`<form id=${form} onSubmit=${onSubmit} novalidate aria-labelledby=${`${form}-heading`}>
    <h3 id=${`${form}-heading`}>${creating ? t('orgs.create') : t('orgs.edit', { name: org.name })}</h3>
    ${conflict ? html`<div class="error-summary" role="alert"><h3>${t('orgs.open.title')}</h3>
      <p>${t('orgs.open.explain', { count: org?.open_messages ?? '' })}</p><p>${state.error.message}</p></div>`
    : html`<${ErrorSummary} form=${form} error=${state.error} labels=${labels} />`}
    ${creating && html`<${Control} form=${form} name="code" label=${labels.code} hint=${t('admin.code.hint')} error=${e.code} values=${values} set=${setValues} />`}
    <${Control} form=${form} name="name" label=${labels.name} error=${e.name} values=${values} set=${setValues} />
    <${Control} form=${form} name="kind" kind="select" label=${labels.kind} error=${e.kind} values=${values} set=${setValues}
      options=${ORG_KINDS.map((k) => [k, t(`org.kind.${k}`)])} />
    <${Control} form=${form} name="territory" kind="select" label=${labels.territory} error=${e.territory} values=${values} set=${setValues}
      options=${territoryOptions(territories)} />
    <${Control} form=${form} name="is_moderation" kind="checkbox" label=${labels.is_moderation} values=${values} set=${setValues} />
    ${!creating && html`<${Control} form=${form} name="is_active" kind="checkbox" label=${labels.is_active} hint=${t('orgs.active.hint')} values=${values} set=${setValues} />`}
    <button type="submit" disabled=${state.busy}>${creating ? t('orgs.create') : t('admin.save')}</button>
  </form>`;
}

export function OrgsAdmin({ base }) {
  const [notice, setNotice] = useState(null);
  const [query, setQuery] = useState({ q: '', territory: '' });
  const [applied, setApplied] = useState(query);
  const [selected, setSelected] = useState(null);
  const [fresh, renew] = useRound();
  const territories = useTerritories([]);
  const list = useLoad(() => api('GET', withQuery('/api/v1/orgs', { q: applied.q, territory: applied.q ? '' : applied.territory, limit: 50 })), [applied]);
  const items = list.data?.items ?? [];
  const open = (code) => api('GET', `/api/v1/orgs/${encodeURIComponent(code)}`).then(setSelected, () => setSelected(null));
  const saved = (text) => (org) => { setNotice(text); list.reload(); if (org?.code) setSelected(org); };
  return html`<section aria-labelledby="orgs-title">
    <h2 id="orgs-title">${t('admin.orgs')}</h2>
    <${Notice} text=${notice} />
    <${ProblemNotice} error=${list.error} />
    <form id="orgs-find" role="search" class="filter-row" onSubmit=${(e) => { e.preventDefault(); setApplied(query); }} novalidate>
      <${Control} form="orgs-find" name="q" kind="search" label=${t('orgs.search')} hint=${t('orgs.search.hint')} values=${query} set=${setQuery} />
      <${Control} form="orgs-find" name="territory" kind="select" label=${t('admin.territory')} values=${query} set=${setQuery}
        options=${territoryOptions(territories.data, t('admin.any'))} />
      <div class="field"><button type="submit" class="secondary">${t('filter.apply')}</button></div>
    </form>
    ${list.data && items.length === 0 && html`<p>${t('queue.empty')}</p>`}
    ${items.length > 0 && html`<table class="staff admin-table">
      <thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('admin.code')}</th><th scope="col">${t('admin.kind')}</th>
        <th scope="col">${t('orgs.links')}</th></tr></thead>
      <tbody>${items.map((o) => html`<tr key=${o.code}>
        <td><button type="button" class="link" onClick=${() => open(o.code)}>${o.name}</button>${o.is_active === false ? ` (${t('orgs.inactive')})` : ''}</td>
        <td>${o.code}</td><td>${t(`org.kind.${o.kind}`)}</td>
        <td><a href=${`${base}/people?org=${encodeURIComponent(o.code)}`}>${t('nav.staff')}</a> · <a href=${`${base}/widgets?org=${encodeURIComponent(o.code)}`}>${t('nav.widgets')}</a></td>
      </tr>`)}</tbody></table>`}
    ${selected && html`<p>${t('orgs.summary', { moderation: yesNo(selected.is_moderation), active: yesNo(selected.is_active), open: selected.open_messages ?? 0 })}</p>
      <${OrgForm} key=${selected.code} org=${selected} territories=${territories.data ?? []} done=${saved(t('admin.saved'))} />`}
    ${territories.data && html`<${OrgForm} key=${fresh} territories=${territories.data} done=${(org) => { renew(); saved(t('orgs.created'))(org); }} />`}
  </section>`;
}
