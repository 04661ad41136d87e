// admin-territories.js - the territory tree of the operator (GET
// /api/v1/territories): create one, rename or move it (the API refuses a
// cycle), and give it a boundary from a GeoJSON file, previewed on the map
// before it is sent (map.js, Leaflet loaded lazily).
import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { ErrorSummary, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { errorText, t } from '../shared/i18n.js';
import { Control, Notice, territoryOptions, useRound, useTerritories } from './admin-ui.js';
import { BoundaryMap } from './map.js';

const KINDS = ['region', 'municipality', 'settlement'];

/** The geometry of a GeoJSON file's text: a Polygon or MultiPolygon, or the
 * one such geometry of a Feature or FeatureCollection; null otherwise. */
export function geometryOf(text) {
  let json;
  try { json = JSON.parse(text); } catch { return null; }
  if (json?.type === 'FeatureCollection' && json.features?.length === 1) json = json.features[0];
  if (json?.type === 'Feature') json = json.geometry;
  return ['Polygon', 'MultiPolygon'].includes(json?.type) ? json : null;
}

/** A boundary file chooser with its preview; onGeometry(geometry | null). */
function BoundaryInput({ form, geometry, onGeometry, error }) {
  const [bad, setBad] = useState(false);
  const id = `${form}-boundary`;
  const read = async (e) => {
    const file = e.currentTarget.files?.[0];
    if (!file) return;
    const found = geometryOf(await file.text());
    setBad(!found);
    onGeometry(found);
  };
  const message = bad ? t('territories.boundary.bad') : error && errorText(error);
  return html`<div class=${`field${message ? ' field--error' : ''}`}>
    <label for=${id}>${t('territories.boundary')}</label>
    <div class="hint" id=${`${id}-hint`}>${t('territories.boundary.hint')}</div>
    ${message && html`<p class="field-error" id=${`${id}-error`}>${message}</p>`}
    <input id=${id} type="file" accept=".geojson,.json,application/geo+json,application/json" onChange=${read}
      aria-describedby=${[`${id}-hint`, message && `${id}-error`].filter(Boolean).join(' ')} aria-invalid=${message ? 'true' : undefined} />
    ${geometry && html`<${BoundaryMap} geometry=${geometry} label=${t('territories.preview')} />`}
  </div>`;
}

function CreateForm({ items, done }) {
  const [values, setValues] = useState({ code: '', name: '', kind: items.length ? 'municipality' : 'region', parent: items[0]?.code ?? '' });
  const [geometry, setGeometry] = useState(null);
  const [state, submit] = useSubmit((body) => api('POST', '/api/v1/territories', body), done);
  const form = 'territory-new';
  const labels = { code: t('admin.code'), name: t('admin.name'), kind: t('admin.kind'), parent: t('territories.parent'), boundary: t('territories.boundary') };
  const e = state.error?.fields ?? {};
  const onSubmit = (ev) => {
    ev.preventDefault();
    submit({ code: values.code, name: values.name, kind: values.kind, ...(values.kind !== 'region' && { parent: values.parent }), ...(geometry && { boundary: geometry }) });
  };
  return html`<form id=${form} onSubmit=${onSubmit} novalidate aria-labelledby="territory-new-title">
    <h3 id="territory-new-title">${t('territories.create')}</h3>
    <${ErrorSummary} form=${form} error=${state.error} labels=${labels} />
    <${Control} form=${form} name="code" label=${labels.code} hint=${t('admin.code.hint')} error=${e.code} values=${values} set=${setValues} />
    <${Control} form=${form} name="name" label=${labels.name} error=${e.name} values=${values} set=${setValues} />
    <${Control} form=${form} name="kind" kind="select" label=${labels.kind} error=${e.kind} values=${values} set=${setValues}
      options=${KINDS.map((k) => [k, t(`territory.${k}`)])} />
    ${values.kind !== 'region' && html`<${Control} form=${form} name="parent" kind="select" label=${labels.parent} error=${e.parent}
      values=${values} set=${setValues} options=${territoryOptions(items)} />`}
    <${BoundaryInput} form=${form} geometry=${geometry} onGeometry=${setGeometry} error=${e.boundary} />
    <button type="submit" disabled=${state.busy}>${t('territories.create')}</button>
  </form>`;
}

function EditForm({ territory, items, done }) {
  const [values, setValues] = useState({ name: territory.name, parent: territory.parent ?? '' });
  const [geometry, setGeometry] = useState(null);
  const [state, submit] = useSubmit((body) => api('PATCH', `/api/v1/territories/${encodeURIComponent(territory.code)}`, body), done);
  const form = 'territory-edit';
  const labels = { name: t('admin.name'), parent: t('territories.parent'), boundary: t('territories.boundary') };
  const e = state.error?.fields ?? {};
  const onSubmit = (ev) => {
    ev.preventDefault();
    const body = { name: values.name };
    if (territory.kind !== 'region' && values.parent !== territory.parent) body.parent = values.parent;
    if (geometry) body.boundary = geometry;
    submit(body);
  };
  return html`<form id=${form} onSubmit=${onSubmit} novalidate aria-labelledby="territory-edit-title">
    <h3 id="territory-edit-title">${t('territories.edit', { name: territory.name })}</h3>
    <${ErrorSummary} form=${form} error=${state.error} labels=${labels} />
    <${Control} form=${form} name="name" label=${labels.name} error=${e.name} values=${values} set=${setValues} />
    ${territory.kind !== 'region' && html`<${Control} form=${form} name="parent" kind="select" label=${labels.parent} error=${e.parent}
      hint=${t('territories.move.hint')} values=${values} set=${setValues} options=${territoryOptions(items.filter((x) => x.code !== territory.code))} />`}
    ${territory.has_boundary && !geometry && html`<p>${t('territories.has_boundary')}</p>`}
    <${BoundaryInput} form=${form} geometry=${geometry} onGeometry=${setGeometry} error=${e.boundary} />
    <button type="submit" disabled=${state.busy}>${t('admin.save')}</button>
    ${territory.has_boundary && html` <button type="button" class="secondary" onClick=${() => submit({ boundary: null })}>${t('territories.boundary.remove')}</button>`}
  </form>`;
}

export function TerritoriesAdmin() {
  const [notice, setNotice] = useState(null);
  const [selected, setSelected] = useState(null);
  const [fresh, renew] = useRound();
  const tree = useTerritories([]);
  const items = tree.data ?? [];
  const saved = (text) => () => { setNotice(text); tree.reload(); };
  const created = () => { renew(); saved(t('territories.created'))(); };
  const current = items.find((x) => x.code === selected);
  return html`<section aria-labelledby="territories-title">
    <h2 id="territories-title">${t('admin.territories')}</h2>
    <${Notice} text=${notice} />
    <${ProblemNotice} error=${tree.error} />
    <table class="staff admin-table">
      <caption class="visually-hidden">${t('admin.territories')}</caption>
      <thead><tr><th scope="col">${t('admin.name')}</th><th scope="col">${t('admin.code')}</th><th scope="col">${t('admin.kind')}</th>
        <th scope="col">${t('territories.boundary')}</th></tr></thead>
      <tbody>${items.map((x) => html`<tr key=${x.code}>
        <td class=${`depth-${Math.min(x.depth, 3)}`}><button type="button" class="link" aria-pressed=${selected === x.code ? 'true' : 'false'}
          onClick=${() => setSelected(x.code)}>${x.name}</button></td>
        <td>${x.code}</td><td>${t(`territory.${x.kind}`)}</td><td>${x.has_boundary ? t('admin.yes') : '—'}</td></tr>`)}</tbody>
    </table>
    ${current && html`<${EditForm} key=${current.code} territory=${current} items=${items} done=${saved(t('admin.saved'))} />`}
    ${tree.data && html`<${CreateForm} key=${fresh} items=${items} done=${created} />`}
  </section>`;
}
