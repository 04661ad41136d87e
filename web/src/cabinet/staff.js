// staff.js - the organisation's people for its administrator: who holds which
// role, revoking one, and granting one to a person found by name or ESIA oid.
// The API's rules stand (the last admin cannot be revoked): its refusals are
// shown as they come.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { ErrorSummary, Field, ProblemNotice, described, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';

const ROLES = ['moderator', 'coordinator', 'executor', 'manager', 'curator', 'admin'];

function GrantForm({ org, done }) {
  const [q, setQ] = useState('');
  const [people, setPeople] = useState(null);
  const [values, setValues] = useState({ user_id: '', role: 'executor' });
  const [state, submit] = useSubmit((body) => api('POST', `/api/v1/orgs/${encodeURIComponent(org)}/staff`, body), done);
  const [search, setSearch] = useState({ error: null });
  const find = async (e) => {
    e.preventDefault();
    try {
      const found = await api('GET', withQuery('/api/v1/users', { q }));
      setPeople(found.items);
      setSearch({ error: null });
      if (found.items.length > 0) setValues((v) => ({ ...v, user_id: String(found.items[0].id) }));
    } catch (error) {
      setPeople(null);
      setSearch({ error });
    }
  };
  const labels = { user_id: t('field.user_id'), role: t('field.role'), q: t('staff.find') };
  return html`<section aria-labelledby="grant-title">
    <h3 id="grant-title">${t('staff.grant')}</h3>
    <form id="find" role="search" onSubmit=${find} novalidate>
      <${ErrorSummary} form="find" error=${search.error} labels=${labels} />
      <${Field} form="find" name="q" label=${t('staff.find')} hint=${t('staff.find.hint')} error=${search.error?.fields.q}>
        <input ...${described('find', 'q', true, search.error?.fields.q)} type="search" value=${q} onInput=${(e) => setQ(e.currentTarget.value)} />
      </${Field}>
      <button type="submit" class="secondary">${t('filter.apply')}</button>
    </form>
    ${people && people.length === 0 && html`<p>${t('staff.nobody')}</p>`}
    ${people && people.length > 0 && html`<form id="grant" novalidate onSubmit=${(e) => { e.preventDefault(); submit({ user_id: Number(values.user_id), role: values.role }); }}>
      <${ErrorSummary} form="grant" error=${state.error} labels=${labels} />
      <${Field} form="grant" name="user_id" label=${t('staff.person')} error=${state.error?.fields.user_id}>
        <select ...${described('grant', 'user_id', false, state.error?.fields.user_id)} value=${values.user_id}
          onChange=${(e) => setValues({ ...values, user_id: e.currentTarget.value })}>
          ${people.map((p) => html`<option value=${p.id}>${p.name} (${p.esia_oid})</option>`)}
        </select>
      </${Field}>
      <${Field} form="grant" name="role" label=${t('staff.role')} error=${state.error?.fields.role}>
        <select ...${described('grant', 'role', false, state.error?.fields.role)} value=${values.role}
          onChange=${(e) => setValues({ ...values, role: e.currentTarget.value })}>
          ${ROLES.map((r) => html`<option value=${r}>${t(`role.${r}`)}</option>`)}
        </select>
      </${Field}>
      <button type="submit" disabled=${state.busy}>${t('staff.grant')}</button>
    </form>`}
  </section>`;
}

export function StaffAdmin({ org }) {
  const [state, setState] = useState({ items: [], error: null, notice: null });
  const load = (notice = null) => api('GET', withQuery(`/api/v1/orgs/${encodeURIComponent(org)}/staff`, { limit: 500 }))
    .then((page) => setState({ items: page.items, error: null, notice }), (error) => setState((s) => ({ ...s, error })));
  useEffect(() => { load(); }, [org]);
  const revoke = (person, role) => api('DELETE', `/api/v1/orgs/${encodeURIComponent(org)}/staff`, { user_id: person.user_id, role })
    .then(() => load(t('staff.revoked')), (error) => setState((s) => ({ ...s, error, notice: null })));
  const { items, error, notice } = state;
  return html`<section aria-labelledby="staff-title">
    <h2 id="staff-title">${t('staff.title')}</h2>
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    <${ProblemNotice} error=${error} />
    <table class="staff">
      <thead><tr><th scope="col">${t('staff.name')}</th><th scope="col">${t('staff.roles')}</th></tr></thead>
      <tbody>${items.map((p) => html`<tr key=${p.user_id}><td>${p.name}</td><td class="roles">
        ${p.roles.map((r) => html`<button type="button" class="secondary" onClick=${() => revoke(p, r)}
          aria-label=${t('staff.revoke', { role: t(`role.${r}`), name: p.name })}>${t(`role.${r}`)} ✕</button>`)}
      </td></tr>`)}</tbody>
    </table>
    <${GrantForm} org=${org} done=${() => load(t('staff.granted'))} />
  </section>`;
}
