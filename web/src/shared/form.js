// form.js - forms the GOV.UK way: a label and hint per field, the error beside
// the field in words, and an error summary at the top that links to each field.
// The errors come from the API (ApiError.fields), so the server's rules are the
// only rules.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { problemText } from './api.js';
import { errorText, t } from './i18n.js';

export const fieldId = (form, name) => `${form}-${name}`;

/** A labelled control; error is the API's code for this field, if any. */
export function Field({ form, name, label, hint, error, children }) {
  const id = fieldId(form, name);
  return html`<div class=${`field${error ? ' field--error' : ''}`}>
    <label for=${id}>${label}</label>
    ${hint && html`<div class="hint" id=${`${id}-hint`}>${hint}</div>`}
    ${error && html`<p class="field-error" id=${`${id}-error`}>${errorText(error)}</p>`}
    ${children}
  </div>`;
}

/** The error summary: the detail and a link to every field in error. */
export function ErrorSummary({ form, error, labels }) {
  if (!error) return null;
  const fields = Object.entries(error.fields);
  return html`<div class="error-summary" role="alert" tabindex="-1">
    <h3>${t('errors.summary')}</h3>
    <p>${fields.length > 0 ? t('errors.fields') : problemText(error, t('app.offline'))}</p>
    ${fields.length > 0 && html`<ul>${fields.map(([name, code]) => {
      // an item of a list field ("allowed_origins[2]") links to the list's control
      const [, base, index] = name.match(/^(.*)\[(\d+)\]$/) ?? [null, name, null];
      const label = labels[name] ?? `${labels[base] ?? base}${index !== null ? `, ${t('errors.item', { n: Number(index) + 1 })}` : ''}`;
      return html`<li><a href=${`#${fieldId(form, base)}`}>${label}: ${errorText(code)}</a></li>`;
    })}</ul>`}
  </div>`;
}

/** A form's state: submit(body) calls send(body); busy while it runs; the ApiError if it failed. */
export function useSubmit(send, done) {
  const [state, setState] = useState({ busy: false, error: null });
  const submit = async (body) => {
    setState({ busy: true, error: null });
    try {
      const result = await send(body);
      setState({ busy: false, error: null });
      done?.(result);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return [state, submit];
}

/** The controls' attributes that tie them to their hint and error. */
export function described(form, name, hint, error) {
  const ids = [hint && `${fieldId(form, name)}-hint`, error && `${fieldId(form, name)}-error`].filter(Boolean);
  return { id: fieldId(form, name), name, 'aria-describedby': ids.join(' ') || undefined, 'aria-invalid': error ? 'true' : undefined };
}

/** An ApiError that no field explains, as a notice read out at once. */
export function ProblemNotice({ error }) {
  return error ? html`<p class="notice notice--error" role="alert">${problemText(error, t('app.offline'))}</p>` : null;
}
