// actions.js - the forms of a message's actions, each posting to its endpoint
// (POST /api/v1/messages/{id}/<action>) and showing the API's errors beside
// the fields. Choices come from the API: rubrics, the organisation's executors.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { described, ErrorSummary, Field, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';
import { useRubrics } from './rubrics.js';

export const REASONS = Array.from({ length: 10 }, (_, i) => i + 1);

/** Each action: its endpoint, its fields and how the form's values become the body. */
const ACTIONS = {
  accept: { path: 'moderate', fields: ['org', 'rubric_id'],
    body: (v) => ({ decision: 'accept', org: v.org, ...(v.rubric_id ? { rubric_id: Number(v.rubric_id) } : {}) }) },
  reject: { path: 'moderate', fields: ['reason_code', 'comment'],
    body: (v) => ({ decision: 'reject', reason_code: v.reason_code ? Number(v.reason_code) : undefined, comment: v.comment || undefined }) },
  assign: { path: 'assign', fields: ['executor_id'], body: (v) => ({ executor_id: v.executor_id ? Number(v.executor_id) : undefined }) },
  answer: { path: 'answer', fields: ['text', 'attachment_ids'],
    body: (v) => ({ text: v.text || undefined, ...(v.attachment_ids?.length ? { attachment_ids: v.attachment_ids } : {}) }) },
  redirect: { path: 'redirect', fields: ['org', 'comment'], body: (v) => ({ org: v.org || undefined, comment: v.comment || undefined }) },
  approve: { path: 'approve', fields: [], body: () => ({ approve: true }) },
  send_back: { path: 'approve', fields: ['comment'], body: (v) => ({ approve: false, comment: v.comment || undefined }) },
};

/** What a select needs: rubrics for accepting, executors for assigning. */
function useChoices(action, message) {
  const [choices, setChoices] = useState([]);
  useEffect(() => {
    let live = true;
    const load = action === 'assign'
      ? api('GET', `/api/v1/orgs/${encodeURIComponent(message.organisation)}/staff`)
        .then((staff) => staff.items.filter((p) => p.roles.includes('executor')).map((p) => ({ id: p.user_id, title: p.name })))
      : Promise.resolve([]);
    load.then((c) => live && setChoices(c), () => live && setChoices([]));
    return () => { live = false; };
  }, [action, message.id]);
  const rubrics = useRubrics();
  return action === 'accept' ? rubrics : choices;
}

function Control({ form, name, error, choices, value, onInput }) {
  const attrs = described(form, name, name === 'org', error);
  const set = (e) => onInput(name, e.currentTarget.value);
  switch (name) {
    case 'rubric_id':
    case 'executor_id':
      return html`<select ...${attrs} value=${value} onChange=${set}>
        <option value="">${name === 'rubric_id' ? t('field.rubric_id.keep') : t('field.choose')}</option>
        ${choices.map((c) => html`<option value=${c.id}>${c.title}</option>`)}
      </select>`;
    case 'reason_code':
      return html`<select ...${attrs} value=${value} onChange=${set}>
        <option value="">${t('field.choose')}</option>
        ${REASONS.map((code) => html`<option value=${code}>${code}. ${t(`reason.${code}`)}</option>`)}
      </select>`;
    case 'attachment_ids':
      return html`<input ...${attrs} type="file" multiple accept="image/jpeg,image/png,application/pdf"
        onChange=${(e) => onInput('files', [...e.currentTarget.files])} />`;
    case 'text':
    case 'comment':
      return html`<textarea ...${attrs} rows=${name === 'text' ? 8 : 3} value=${value} onInput=${set}></textarea>`;
    case 'org':
      return html`<${OrgInput} attrs=${attrs} value=${value} onInput=${onInput} />`;
    default:
      return html`<input ...${attrs} type="text" autocomplete="off" spellcheck="false" value=${value} onInput=${set} />`;
  }
}

/** An organisation's code, with suggestions by name as one types
 * (GET /api/v1/orgs?q=): the field stays the code the API wants. */
export function OrgInput({ attrs, value, onInput }) {
  const [options, setOptions] = useState([]);
  const list = `${attrs.id}-options`;
  useEffect(() => {
    if ([...value].length < 2) return undefined;
    let live = true;
    const timer = setTimeout(() => api('GET', withQuery('/api/v1/orgs', { q: value }))
      .then((found) => live && setOptions(found.items), () => {}), 200);
    return () => { live = false; clearTimeout(timer); };
  }, [value]);
  return html`<input ...${attrs} type="text" list=${list} autocomplete="off" spellcheck="false" value=${value}
      onInput=${(e) => onInput('org', e.currentTarget.value)} />
    <datalist id=${list}>${options.map((o) => html`<option value=${o.code}>${o.name}</option>`)}</datalist>`;
}

/** One action's form; done(message) after the API accepted it. */
export function ActionForm({ action, message, done }) {
  const spec = ACTIONS[action];
  const form = `action-${action}`;
  // accepting starts from the organisation the API suggests (a routing rule, the widget's)
  const [values, setValues] = useState(() => (action === 'accept' && message.suggested_org ? { org: message.suggested_org.code } : {}));
  const choices = useChoices(action, message);
  // files chosen are uploaded first (POST /api/v1/attachments), then named in the action
  const send = async (v) => {
    const attachment_ids = [];
    for (const file of v.files ?? []) attachment_ids.push((await api('POST', '/api/v1/attachments', file)).id);
    return api('POST', `/api/v1/messages/${message.id}/${spec.path}`, spec.body({ ...v, attachment_ids }));
  };
  const [state, submit] = useSubmit(send, done);
  const labels = Object.fromEntries(spec.fields.map((f) => [f, t(`field.${f}`)]));
  const onSubmit = (e) => {
    e.preventDefault();
    submit(values);
  };
  const onInput = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  return html`<form class="action" id=${form} onSubmit=${onSubmit} novalidate>
    <h3>${t(`action.${action}`)}</h3>
    <${ErrorSummary} form=${form} error=${state.error} labels=${labels} />
    ${spec.fields.map((name) => html`<${Field} form=${form} name=${name} label=${labels[name]}
        hint=${name === 'org' ? t('field.org.hint') : null} error=${state.error?.fields[name]}>
      <${Control} form=${form} name=${name} error=${state.error?.fields[name]} choices=${choices}
        value=${values[name] ?? ''} onInput=${onInput} />
    </${Field}>`)}
    <button type="submit" class=${action === 'reject' || action === 'send_back' ? 'warning' : ''} disabled=${state.busy}>${t(`action.${action}`)}</button>
  </form>`;
}
