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

const STATUSES = ['moderation', 'registered', 'in_progress', 'approval', 'redirect_approval', 'answered',
  'returned', 'rejected', 'closed'];

/** The bar's fields in order; the organisation's "all" means every one of the person's. */
const FILTERS = [
  { name: 'q', type: 'search' },
  { name: 'status', type: 'select' },
  { name: 'rubric', type: 'select' },
  { name: 'org', type: 'select' },
  { name: 'territory', type: 'territory' },
  { name: 'assignee', type: 'select' },
  { name: 'due_within_days', type: 'number' },
  { name: 'from', type: 'date' },
  { name: 'to', type: 'date' },
  { name: 'overdue', type: 'checkbox' },
];

/** The executors of an organisation, by name (GET /api/v1/orgs/{code}/staff). */
function useExecutors(org) {
  const [executors, setExecutors] = useState([]);
  useEffect(() => {
    let live = true;
    api('GET', `/api/v1/orgs/${encodeURIComponent(org)}/staff`).then(
      (staff) => live && setExecutors(staff.items.filter((p) => p.roles.includes('executor'))),
      () => live && setExecutors([]));
    return () => { live = false; };
  }, [org]);
  return executors;
}

/** The choices of each select of the bar. */
function useOptions(org, orgs) {
  const rubrics = useRubrics();
  const executors = useExecutors(org);
  return {
    status: [{ value: '', title: t('filter.any') }, ...STATUSES.map((s) => ({ value: s, title: t(`status.${s}`) }))],
    rubric: [{ value: '', title: t('filter.any') }, ...rubrics.map((r) => ({ value: String(r.id), title: r.title }))],
    org: [...orgs.map((code) => ({ value: code, title: code })), { value: 'all', title: t('filter.org.all') }],
    assignee: [{ value: '', title: t('filter.anyone') }, { value: 'me', title: t('filter.assignee.me') },
      ...executors.map((p) => ({ value: String(p.user_id), title: p.name }))],
  };
}

function FilterControl({ f, attrs, values, set, options, territories }) {
  const value = values[f.name] ?? '';
  if (f.type === 'select') {
    return html`<select ...${attrs} value=${value} onChange=${(e) => set(f.name, e.currentTarget.value)}>
      ${options[f.name].map((o) => html`<option value=${o.value}>${o.title}</option>`)}
    </select>`;
  }
  if (f.type === 'checkbox') {
    return html`<input ...${attrs} type="checkbox" checked=${value === 'true'}
      onChange=${(e) => set(f.name, e.currentTarget.checked ? 'true' : '')} />`;
  }
  if (f.type === 'territory') {
    return html`<input ...${attrs} type="text" list="filters-territories" autocomplete="off" spellcheck="false"
        value=${value} onInput=${(e) => set(f.name, e.currentTarget.value)} />
      <datalist id="filters-territories">${territories.map((tr) => html`<option value=${tr.code}>${tr.name}</option>`)}</datalist>`;
  }
  return html`<input ...${attrs} type=${f.type} min=${f.type === 'number' ? 1 : undefined}
    max=${f.type === 'number' ? 365 : undefined} value=${value} onInput=${(e) => set(f.name, e.currentTarget.value)} />`;
}

/** The bar: filters are what the address holds; the organisation defaults to
 * the one worked in (org), so it is kept only when another is chosen. */
function FilterBar({ org, orgs, filters, error, territories, onFilters }) {
  const initial = () => ({ org, ...filters });
  const [values, setValues] = useState(initial);
  const options = useOptions(org, orgs);
  useEffect(() => setValues(initial()), [org, JSON.stringify(filters)]);
  const labels = Object.fromEntries(FILTERS.map((f) => [f.name, t(`filter.${f.name}`)]));
  const fieldError = (name) => (error?.status === 422 ? error.fields[name] : undefined);
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  const submit = (e) => {
    e.preventDefault();
    onFilters(Object.fromEntries(Object.entries(values)
      .filter(([k, v]) => v !== '' && v !== undefined && !(k === 'org' && v === org))));
  };
  return html`<form class="filters" id="filters" role="search" onSubmit=${submit} novalidate>
    <h3 class="visually-hidden">${t('filter.title')}</h3>
    ${error?.status === 422 && html`<${ErrorSummary} form="filters" error=${error} labels=${labels} />`}
    <div class="filter-row">
      ${FILTERS.map((f) => html`<${Field} form="filters" name=${f.name} label=${labels[f.name]} error=${fieldError(f.name)}>
        <${FilterControl} f=${f} attrs=${described('filters', f.name, false, fieldError(f.name))} values=${values}
          set=${set} options=${options} territories=${territories} />
      </${Field}>`)}
    </div>
    <button type="submit">${t('filter.apply')}</button>
    ${Object.keys(filters).length > 0 && html` <button type="button" class="secondary" onClick=${() => onFilters({})}>${t('filter.reset')}</button>`}
  </form>`;
}

/** The territories of the messages listed, and the one filtered by, for the
 * territory field's suggestions. */
function territoriesOf(items, filters) {
  const byCode = new Map(items.filter((m) => m.territory).map((m) => [m.territory.code, m.territory]));
  if (filters.territory && !byCode.has(filters.territory)) byCode.set(filters.territory, { code: filters.territory, name: '' });
  return [...byCode.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The API address of a queue's page of 50 (cursor null: the first). */
export function listPath(org, queue, filters, cursor) {
  const only = filters.org === 'all' ? undefined : (filters.org ?? org);
  return withQuery('/api/v1/staff/messages', { ...queue.query, ...filters, org: only, limit: 50, cursor });
}

/* The first page the address names, asked for while /api/v1/me is on its way
 * (prefetchList): taken once, by the list that asks for the same address. */
let prefetched = null;

/** Starts reading a queue's first page before the person is known. */
export function prefetchList(path) {
  const promise = api('GET', path);
  promise.catch(() => {}); /* unused when the person has no such queue */
  prefetched = { path, promise };
}

function firstPage(path) {
  const early = prefetched?.path === path ? prefetched.promise : null;
  prefetched = null;
  return early ?? api('GET', path);
}

export function MessageList({ org, orgs, queue, filters, onFilters }) {
  const [state, setState] = useState({ items: [], next: null, loading: true, error: null });
  const load = async (cursor, items) => {
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const path = listPath(org, queue, filters, cursor);
      const page = await (cursor ? api('GET', path) : firstPage(path));
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
    <${FilterBar} org=${org} orgs=${orgs} filters=${filters} error=${error} territories=${territoriesOf(items, filters)} onFilters=${onFilters} />
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
          ${m.widget_key && html`<div class="hint">${t('list.widget', { key: m.widget_key })}</div>`}
          ${m.channel && m.channel !== 'widget' && html`<div class="hint">${t('list.channel', { channel: t(`channel.${m.channel}`) })}</div>`}</td>
        <td>${m.organisation ?? (m.suggested_org ? html`<span class="hint">${t('list.suggested', { name: m.suggested_org.name })}</span>` : '—')}</td>
        <td>${when(m.due_at)}${m.overdue && html` <strong class="badge">${t('list.overdue')}</strong>`}</td>
      </tr>`)}</tbody>
    </table>`}
    ${loading && html`<p>${t('app.loading')}</p>`}
    ${next && !loading && html`<button type="button" class="secondary" onClick=${() => load(next, items)}>${t('queue.more')}</button>`}
  </section>`;
}
