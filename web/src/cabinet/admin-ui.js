// admin-ui.js - what the administration pages (admin*.js) share beyond
// shared/form.js: a loader hook, labelled controls bound to a values object
// (each a form.js Field, so the API's errors show beside it), the operator's
// territories for selects, and datetime-local values to and from the API's
// RFC 3339.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { Field, described } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';

/** load() run on mount and whenever deps change: {data, error, reload}. */
export function useLoad(load, deps) {
  const [state, setState] = useState({ data: null, error: null });
  const reload = () => load().then((data) => setState({ data, error: null }), (error) => setState((s) => ({ ...s, error })));
  useEffect(() => { reload(); }, deps);
  return { ...state, reload };
}

/** A creation form's key and the function that renews it: the form starts
 * empty again after each creation, and only then (keying it on the list's
 * length would also wipe what the user typed whenever the list loads). */
export function useRound() {
  const [round, setRound] = useState(0);
  return [`new-${round}`, () => setRound((r) => r + 1)];
}

/** A control of form for values[name]; kind: text, number, textarea,
 * datetime-local, select (options: [[value, label]]) or checkbox. */
export function Control({ form, name, label, hint, error, values, set, kind = 'text', options = [], disabled, rows = 4 }) {
  const attrs = { ...described(form, name, hint, error), disabled };
  const value = values[name] ?? '';
  const onInput = (e) => set({ ...values, [name]: e.currentTarget.value });
  if (kind === 'checkbox')
    return html`<div class="field"><label class="check"><input ...${attrs} type="checkbox" checked=${Boolean(values[name])}
      onChange=${(e) => set({ ...values, [name]: e.currentTarget.checked })} /> ${label}</label>
      ${hint && html`<div class="hint" id=${`${form}-${name}-hint`}>${hint}</div>`}</div>`;
  let control;
  if (kind === 'select') control = html`<select ...${attrs} value=${value} onChange=${onInput}>${options.map(([v, l]) => html`<option value=${v}>${l}</option>`)}</select>`;
  else if (kind === 'textarea') control = html`<textarea ...${attrs} rows=${rows} value=${value} onInput=${onInput}></textarea>`;
  else control = html`<input ...${attrs} type=${kind} value=${value} onInput=${onInput} />`;
  return html`<${Field} form=${form} name=${name} label=${label} hint=${hint} error=${error}>${control}</${Field}>`;
}

/** The territories the caller sets up (GET /api/v1/territories), depth first. */
export function useTerritories(deps = []) {
  return useLoad(() => api('GET', '/api/v1/territories').then((r) => r.items), deps);
}

/** Territories as select options, indented by depth. */
export const territoryOptions = (items, empty) => [
  ...(empty ? [['', empty]] : []),
  ...(items ?? []).map((x) => [x.code, `${'— '.repeat(x.depth)}${x.name} (${x.code})`]),
];

/** An RFC 3339 time as a datetime-local value (the browser's zone), and back. */
export function toLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}
export const fromLocal = (local) => (local ? new Date(local).toISOString() : undefined);

/** A notice read out politely. */
export const Notice = ({ text }) => (text ? html`<p class="notice" role="status">${text}</p>` : null);

/** A heading's id and text, for aria-labelledby. */
export const Title = ({ id, text }) => html`<h2 id=${id}>${text}</h2>`;

export const yesNo = (v) => t(v ? 'admin.yes' : 'admin.no');
