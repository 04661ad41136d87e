// widgets.js - the organisation's widgets for its admin: the origins allowed
// to embed each, the rubrics it offers, its texts, and the embed snippet to
// copy onto the agency's site. Origins are written one per line; the API's
// errors (allowed_origins[i]) are shown by line. A new widget is made by its
// title, then set up here (by the organisation's admin or an operator).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { ErrorSummary, Field, ProblemNotice, described, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { errorText, t } from '../shared/i18n.js';
import { useRubrics } from './rubrics.js';

const TEXTS = ['button', 'intro', 'sent'];

/** The form's values from the admin's view of a widget. */
const valuesOf = (w) => ({
  title: w.title ?? '',
  origins: (w.allowed_origins ?? []).join('\n'),
  rubric_ids: new Set(w.rubric_ids ?? []),
  ...Object.fromEntries(TEXTS.map((k) => [k, w.texts?.[k] ?? ''])),
});

/** The API's field errors, with allowed_origins[i] told by line. */
function originErrors(error) {
  return Object.entries(error?.fields ?? {})
    .filter(([field]) => field.startsWith('allowed_origins'))
    .map(([field, code]) => {
      const line = field.match(/\[(\d+)\]/);
      return line ? t('widgets.line', { line: Number(line[1]) + 1, error: errorText(code) }) : errorText(code);
    });
}

function WidgetForm({ widget, done }) {
  const [values, setValues] = useState(valuesOf(widget));
  useEffect(() => setValues(valuesOf(widget)), [widget]);
  const rubrics = useRubrics();
  const [state, submit] = useSubmit((body) => api('PATCH', `/api/v1/widgets/${encodeURIComponent(widget.key)}`, body), done);
  const form = 'widget';
  const labels = { title: t('widgets.title_field'), allowed_origins: t('widgets.origins'), rubric_ids: t('widgets.rubrics'),
    ...Object.fromEntries(TEXTS.map((k) => [`texts.${k}`, t(`widgets.text.${k}`)])) };
  const set = (name) => (e) => setValues({ ...values, [name]: e.currentTarget.value });
  const toggle = (id) => {
    const ids = new Set(values.rubric_ids);
    if (ids.has(id)) ids.delete(id); else ids.add(id);
    setValues({ ...values, rubric_ids: ids });
  };
  const onSubmit = (e) => {
    e.preventDefault();
    submit({
      title: values.title,
      allowed_origins: values.origins.split('\n').map((o) => o.trim()).filter(Boolean),
      rubric_ids: [...values.rubric_ids],
      texts: Object.fromEntries(TEXTS.map((k) => [k, values[k] === '' ? null : values[k]])),
    });
  };
  const copy = () => navigator.clipboard?.writeText(widget.embed_snippet);
  const origins = originErrors(state.error);
  return html`<form id=${form} onSubmit=${onSubmit} novalidate>
    <${ErrorSummary} form=${form} error=${state.error} labels=${labels} />
    <h3>${t('widgets.snippet')}</h3>
    <pre class="snippet"><code>${widget.embed_snippet}</code></pre>
    <button type="button" class="secondary" onClick=${copy}>${t('widgets.copy')}</button>
    <${Field} form=${form} name="title" label=${labels.title} error=${state.error?.fields.title}>
      <input ...${described(form, 'title', false, state.error?.fields.title)} type="text" value=${values.title} onInput=${set('title')} />
    </${Field}>
    <div class=${`field${origins.length ? ' field--error' : ''}`}>
      <label for="widget-allowed_origins">${labels.allowed_origins}</label>
      <div class="hint" id="widget-allowed_origins-hint">${t('widgets.origins.hint')}</div>
      ${origins.map((o) => html`<p class="field-error">${o}</p>`)}
      <textarea id="widget-allowed_origins" name="allowed_origins" rows="4" spellcheck="false"
        aria-describedby="widget-allowed_origins-hint" aria-invalid=${origins.length ? 'true' : undefined}
        value=${values.origins} onInput=${set('origins')}></textarea>
    </div>
    <fieldset class="rubrics">
      <legend>${labels.rubric_ids}</legend>
      <div class="hint">${t('widgets.rubrics.hint')}</div>
      ${rubrics.map((r) => html`<label class="check"><input type="checkbox" checked=${values.rubric_ids.has(r.id)}
        onChange=${() => toggle(r.id)} /> ${r.title}</label>`)}
    </fieldset>
    ${TEXTS.map((k) => html`<${Field} form=${form} name=${`texts.${k}`} label=${labels[`texts.${k}`]} error=${state.error?.fields[`texts.${k}`]}>
      <textarea ...${described(form, `texts.${k}`, false, state.error?.fields[`texts.${k}`])} rows=${k === 'intro' ? 4 : 2}
        value=${values[k]} onInput=${set(k)}></textarea>
    </${Field}>`)}
    <button type="submit" disabled=${state.busy}>${t('widgets.save')}</button>
  </form>`;
}

/** A new widget of org (POST /api/v1/widgets): its title; the rest is set after. */
function CreateWidget({ org, done }) {
  const [values, setValues] = useState({ title: '' });
  const [state, submit] = useSubmit((body) => api('POST', '/api/v1/widgets', body), done);
  const form = 'widget-new';
  return html`<form id=${form} novalidate onSubmit=${(e) => { e.preventDefault(); submit({ org, title: values.title }); }}>
    <h3>${t('widgets.create')}</h3>
    <${ErrorSummary} form=${form} error=${state.error} labels=${{ title: t('widgets.title_field'), org: t('org.label') }} />
    <${Field} form=${form} name="title" label=${t('widgets.title_field')} error=${state.error?.fields.title}>
      <input ...${described(form, 'title', false, state.error?.fields.title)} type="text" value=${values.title}
        onInput=${(e) => setValues({ title: e.currentTarget.value })} />
    </${Field}>
    <button type="submit" class="secondary" disabled=${state.busy}>${t('widgets.create')}</button>
  </form>`;
}

export function WidgetsAdmin({ org }) {
  const [state, setState] = useState({ keys: [], widget: null, error: null, notice: null });
  const open = (key, notice = null) => api('GET', `/api/v1/widgets/${encodeURIComponent(key)}`)
    .then((widget) => setState((s) => ({ ...s, widget, notice, error: null })), (error) => setState((s) => ({ ...s, error })));
  const list = (key = null, notice = null) => api('GET', `/api/v1/orgs/${encodeURIComponent(org)}/widgets`).then((page) => {
    setState((s) => ({ ...s, keys: page.items, widget: null }));
    if (page.items.length > 0) open(key ?? page.items[0].key, notice);
  }, (error) => setState((s) => ({ ...s, error })));
  useEffect(() => { list(); }, [org]);
  const { keys, widget, error, notice } = state;
  return html`<section aria-labelledby="widgets-title">
    <h2 id="widgets-title">${t('widgets.heading')}</h2>
    <${ProblemNotice} error=${error} />
    ${notice && html`<p class="notice" role="status">${notice}</p>`}
    ${keys.length === 0 && !error && html`<p>${t('widgets.none')}</p>`}
    ${keys.length > 1 && html`<div class="field"><label for="widget-key">${t('widgets.choose')}</label>
      <select id="widget-key" value=${widget?.key} onChange=${(e) => open(e.currentTarget.value)}>
        ${keys.map((w) => html`<option value=${w.key}>${w.title} (${w.key})</option>`)}
      </select></div>`}
    ${widget && html`<${WidgetForm} widget=${widget} done=${(saved) => open(saved.key, t('widgets.saved'))} />`}
    <${CreateWidget} key=${keys.length} org=${org} done=${(made) => list(made.key, t('widgets.created'))} />
  </section>`;
}
