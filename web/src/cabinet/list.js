// list.js - one queue: a search and filter bar (kept in the address, so a
// reload keeps it), then the messages newest first, 50 at a time over the
// API's cursor, each a link to its card. The API checks the filters; its
// errors appear beside the fields.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { ErrorSummary, Field, ProblemNotice, described } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';
import { useRubrics } from './rubrics.js';

const FILTERS = [
  { name: 'q', type: 'search' },
  { name: 'rubric', type: 'rubric' },
  { name: 'due_within_days', type: 'number' },
  { name: 'from', type: 'date' },
  { name: 'to', type: 'date' },
];

function FilterBar({ filters, error, onFilters }) {
  const [values, setValues] = useState(filters);
  const rubrics = useRubrics();
  useEffect(() => setValues(filters), [JSON.stringify(filters)]);
  const labels = Object.fromEntries(FILTERS.map((f) => [f.name, t(`filter.${f.name}`)]));
  const fieldError = (name) => (error?.status === 422 ? error.fields[name] : undefined);
  const submit = (e) => {
    e.preventDefault();
    onFilters(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '' && v !== undefined)));
  };
  return html`<form class="filters" id="filters" role="search" onSubmit=${submit} novalidate>
    <h3 class="visually-hidden">${t('filter.title')}</h3>
    ${error?.status === 422 && html`<${ErrorSummary} form="filters" error=${error} labels=${labels} />`}
    <div class="filter-row">
      ${FILTERS.map((f) => html`<${Field} form="filters" name=${f.name} label=${labels[f.name]} error=${fieldError(f.name)}>
        ${f.type === 'rubric'
          ? html`<select ...${described('filters', f.name, false, fieldError(f.name))} value=${values.rubric ?? ''}
              onChange=${(e) => setValues({ ...values, rubric: e.currentTarget.value })}>
              <option value="">${t('filter.any')}</option>
              ${rubrics.map((r) => html`<option value=${r.id}>${r.title}</option>`)}
            </select>`
          : html`<input ...${described('filters', f.name, false, fieldError(f.name))} type=${f.type}
              min=${f.type === 'number' ? 1 : undefined} max=${f.type === 'number' ? 365 : undefined}
              value=${values[f.name] ?? ''} onInput=${(e) => setValues({ ...values, [f.name]: e.currentTarget.value })} />`}
      </${Field}>`)}
    </div>
    <button type="submit">${t('filter.apply')}</button>
    ${Object.keys(filters).length > 0 && html` <button type="button" class="secondary" onClick=${() => onFilters({})}>${t('filter.reset')}</button>`}
  </form>`;
}

export function MessageList({ org, queue, filters, onFilters }) {
  const [state, setState] = useState({ items: [], next: null, loading: true, error: null });
  const load = async (cursor, items) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await api('GET', withQuery('/api/v1/staff/messages', { org, ...queue.query, ...filters, limit: 50, cursor }));
      setState({ items: [...items, ...page.items], next: page.next_cursor, loading: false, error: null });
    } catch (error) {
      setState({ items: [], next: null, loading: false, error });
    }
  };
  const key = JSON.stringify(filters);
  useEffect(() => { load(null, []); }, [org, queue.id, key]);

  const { items, next, loading, error } = state;
  return html`<section aria-labelledby="queue-title" aria-busy=${loading ? 'true' : 'false'}>
    <h2 id="queue-title">${t(`queue.${queue.id}`)}</h2>
    <${FilterBar} filters=${filters} error=${error} onFilters=${onFilters} />
    <${ProblemNotice} error=${error?.status === 422 ? null : error} />
    ${!loading && !error && items.length === 0 && html`<p class="empty">${t('queue.empty')}</p>`}
    ${items.length > 0 && html`<table class="messages">
      <thead><tr>
        <th scope="col">${t('list.number')}</th><th scope="col">${t('list.status')}</th>
        <th scope="col">${t('list.text')}</th><th scope="col">${t('list.organisation')}</th>
        <th scope="col">${t('list.due')}</th>
      </tr></thead>
      <tbody>${items.map((m) => html`<tr key=${m.id} class=${m.overdue ? 'overdue' : ''}>
        <td><a href=${`#/${org}/message/${m.id}`}>${m.id}</a></td>
        <td>${t(`status.${m.status}`)}</td>
        <td class="text">${m.text}
          ${(m.flags ?? []).length > 0 && html`<ul class="flag-list">${m.flags.map((f) => html`<li>${t(`reason.${f.code}`)}</li>`)}</ul>`}
          ${m.widget_key && html`<div class="hint">${t('list.widget', { key: m.widget_key })}</div>`}</td>
        <td>${m.organisation ?? '—'}</td>
        <td>${when(m.due_at)}${m.overdue && html` <strong class="badge">${t('list.overdue')}</strong>`}</td>
      </tr>`)}</tbody>
    </table>`}
    ${loading && html`<p>${t('app.loading')}</p>`}
    ${next && !loading && html`<button type="button" class="secondary" onClick=${() => load(next, items)}>${t('queue.more')}</button>`}
  </section>`;
}
