// admin-rubrics.js - the rubricator (GET /api/v1/rubrics?all=true, the
// operators' uncached tree with the inactive rubrics) and routing rules
// (GET/POST/PATCH/DELETE /api/v1/routing-rules): a rubric is created under a
// parent, its deadline, accelerated and active flags changed (deactivated,
// never deleted: it stays listed here, so it can be reactivated); a rule sends
// an active rubric of a territory to an organisation, routing it without a
// moderator when auto_route is on.
import { useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { ErrorSummary, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';
import { Control, Notice, territoryOptions, useLoad, useRound, useTerritories, yesNo } from './admin-ui.js';

const allRubrics = () => api('GET', withQuery('/api/v1/rubrics', { all: true })).then((r) => flat(r.items));
const flat = (items) => items.flatMap((r) => [{ ...r, depth: 0 }, ...(r.children ?? []).map((c) => ({ ...c, depth: 1, parent_id: r.id }))]);

function RubricForm({ rubric, parents, done }) {
  const creating = !rubric;
  const [values, setValues] = useState(rubric
    ? { title: rubric.title, deadline_days: String(rubric.deadline_days), accelerated: rubric.accelerated, is_active: rubric.is_active ?? true }
    : { code: '', title: '', deadline_days: '30', parent_id: '', accelerated: false });
  const [state, submit] = useSubmit((body) => (creating ? api('POST', '/api/v1/rubrics', body) : api('PATCH', `/api/v1/rubrics/${rubric.id}`, body)), done);
  const form = creating ? 'rubric-new' : 'rubric-edit';
  const labels = { code: t('admin.code'), title: t('admin.name'), deadline_days: t('rubrics.deadline'), parent_id: t('rubrics.parent'), accelerated: t('rubrics.accelerated'), is_active: t('rubrics.active') };
  const e = state.error?.fields ?? {};
  const onSubmit = (ev) => {
    ev.preventDefault();
    const common = { title: values.title, deadline_days: Number(values.deadline_days) || values.deadline_days, accelerated: values.accelerated };
    submit(creating ? { ...common, code: values.code, ...(values.parent_id && { parent_id: Number(values.parent_id) }) } : { ...common, is_active: values.is_active });
  };
  return html`<form id=${form} onSubmit=${onSubmit} novalidate aria-labelledby=${`${form}-heading`}>
    <h3 id=${`${form}-heading`}>${creating ? t('rubrics.create') : t('rubrics.edit', { name: rubric.title })}</h3>
    <${ErrorSummary} form=${form} error=${state.error} labels=${labels} />
    ${creating && html`<${Control} form=${form} name="code" label=${labels.code} hint=${t('admin.code.hint')} error=${e.code} values=${values} set=${setValues} />`}
    <${Control} form=${form} name="title" label=${labels.title} error=${e.title} values=${values} set=${setValues} />
    <${Control} form=${form} name="deadline_days" kind="number" label=${labels.deadline_days} error=${e.deadline_days} values=${values} set=${setValues} />
    ${creating && html`<${Control} form=${form} name="parent_id" kind="select" label=${labels.parent_id} error=${e.parent_id} values=${values} set=${setValues}
      options=${[['', t('rubrics.top')], ...parents.map((p) => [String(p.id), p.title])]} />`}
    <${Control} form=${form} name="accelerated" kind="checkbox" label=${labels.accelerated} hint=${t('rubrics.accelerated.hint')} values=${values} set=${setValues} />
    ${!creating && html`<${Control} form=${form} name="is_active" kind="checkbox" label=${labels.is_active} hint=${t('rubrics.active.hint')} values=${values} set=${setValues} />`}
    <button type="submit" disabled=${state.busy}>${creating ? t('rubrics.create') : t('admin.save')}</button>
  </form>`;
}

export function RubricsAdmin() {
  const [notice, setNotice] = useState(null);
  const [selected, setSelected] = useState(null);
  const [fresh, renew] = useRound();
  const tree = useLoad(allRubrics, []);
  const items = tree.data ?? [];
  const saved = () => { setSelected(null); setNotice(t('admin.saved')); tree.reload(); };
  const current = items.find((r) => r.id === selected);
  return html`<section aria-labelledby="rubrics-title">
    <h2 id="rubrics-title">${t('admin.rubrics')}</h2>
    <${Notice} text=${notice} />
    <${ProblemNotice} error=${tree.error} />
    <table class="staff admin-table">
      <thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('rubrics.deadline')}</th>
        <th scope="col">${t('rubrics.accelerated')}</th><th scope="col">${t('rubrics.active')}</th></tr></thead>
      <tbody>${items.map((r) => html`<tr key=${r.id}>
        <td class=${`depth-${r.depth}`}><button type="button" class="link" onClick=${() => setSelected(r.id)}>${r.title}</button></td>
        <td>${r.deadline_days}</td><td>${yesNo(r.accelerated)}</td><td>${yesNo(r.is_active)}</td></tr>`)}</tbody>
    </table>
    ${current && html`<${RubricForm} key=${current.id} rubric=${current} parents=${[]} done=${saved} />`}
    <${RubricForm} key=${fresh} parents=${items.filter((r) => r.depth === 0)} done=${(r) => { renew(); saved(r); }} />
  </section>`;
}

function RuleForm({ rubrics, territories, done }) {
  const [values, setValues] = useState({ rubric_id: String(rubrics[0]?.id ?? ''), territory: territories[0]?.code ?? '', org: '', auto_route: false });
  const [state, submit] = useSubmit((body) => api('POST', '/api/v1/routing-rules', body), done);
  const form = 'rule-new';
  const labels = { rubric_id: t('routing.rubric'), territory: t('admin.territory'), org: t('routing.org'), auto_route: t('routing.auto') };
  const e = state.error?.fields ?? {};
  const onSubmit = (ev) => { ev.preventDefault(); submit({ ...values, rubric_id: Number(values.rubric_id) }); };
  return html`<form id=${form} onSubmit=${onSubmit} novalidate aria-labelledby="rule-new-title">
    <h3 id="rule-new-title">${t('routing.create')}</h3>
    <${ErrorSummary} form=${form} error=${state.error} labels=${labels} />
    <${Control} form=${form} name="rubric_id" kind="select" label=${labels.rubric_id} error=${e.rubric_id} values=${values} set=${setValues}
      options=${rubrics.map((r) => [String(r.id), `${'— '.repeat(r.depth)}${r.title}`])} />
    <${Control} form=${form} name="territory" kind="select" label=${labels.territory} error=${e.territory} values=${values} set=${setValues}
      options=${territoryOptions(territories)} />
    <${Control} form=${form} name="org" label=${labels.org} hint=${t('routing.org.hint')} error=${e.org} values=${values} set=${setValues} />
    <${Control} form=${form} name="auto_route" kind="checkbox" label=${labels.auto_route} hint=${t('routing.auto.hint')} values=${values} set=${setValues} />
    <button type="submit" disabled=${state.busy}>${t('routing.create')}</button>
  </form>`;
}

export function RoutingAdmin() {
  const [notice, setNotice] = useState(null);
  const [error, setError] = useState(null);
  const [fresh, renew] = useRound();
  const rules = useLoad(() => api('GET', withQuery('/api/v1/routing-rules', { limit: 100 })), []);
  const rubrics = useLoad(() => allRubrics().then((items) => items.filter((r) => r.is_active)), []);
  const territories = useTerritories([]);
  const act = (promise, text) => promise.then(() => { setError(null); setNotice(text); rules.reload(); }, setError);
  const items = rules.data?.items ?? [];
  return html`<section aria-labelledby="routing-title">
    <h2 id="routing-title">${t('admin.routing')}</h2>
    <${Notice} text=${notice} />
    <${ProblemNotice} error=${rules.error ?? error} />
    ${rules.data && items.length === 0 && html`<p>${t('queue.empty')}</p>`}
    ${items.length > 0 && html`<table class="staff admin-table">
      <thead><tr><th scope="col">${t('routing.rubric')}</th><th scope="col">${t('admin.territory')}</th><th scope="col">${t('routing.org')}</th>
        <th scope="col">${t('routing.auto')}</th><th scope="col">${t('admin.actions')}</th></tr></thead>
      <tbody>${items.map((r) => html`<tr key=${r.id}><td>${r.rubric}</td><td>${r.territory}</td><td>${r.org}</td>
        <td><label class="check"><input type="checkbox" checked=${r.auto_route}
          onChange=${(e) => act(api('PATCH', `/api/v1/routing-rules/${r.id}`, { auto_route: e.currentTarget.checked }), t('admin.saved'))} />
          <span class="visually-hidden">${t('routing.auto.for', { rubric: r.rubric, territory: r.territory })}</span> ${yesNo(r.auto_route)}</label></td>
        <td><button type="button" class="secondary" aria-label=${t('routing.delete.for', { rubric: r.rubric, territory: r.territory })}
          onClick=${() => act(api('DELETE', `/api/v1/routing-rules/${r.id}`), t('routing.deleted'))}>${t('routing.delete')}</button></td></tr>`)}</tbody></table>`}
    ${rubrics.data && territories.data && html`<${RuleForm} key=${fresh} rubrics=${rubrics.data} territories=${territories.data}
      done=${() => { renew(); setNotice(t('routing.created')); rules.reload(); }} />`}
  </section>`;
}
