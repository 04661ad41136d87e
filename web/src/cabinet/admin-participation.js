// admin-participation.js - polls (POST/PATCH /api/v1/polls: questions single,
// multiple or free text, required, options, period, territory, results) and
// public discussions (POST/PATCH /api/v1/discussions: the document, its
// files, the comment period, territory), created for an organisation the
// person manages them in. Once one has opened, what the API freezes (period,
// territory, results, questions; the document and files) is shown disabled.
import { useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { ErrorSummary, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';
import { Control, Notice, fromLocal, territoryOptions, toLocal, useLoad, useRound, useTerritories } from './admin-ui.js';

const KINDS = ['single', 'multiple', 'text'];
const blankQuestion = () => ({ text: '', kind: 'single', required: true, options: '' });

function Questions({ questions, set, frozen, errors }) {
  const change = (i, patch) => set(questions.map((q, j) => (j === i ? { ...q, ...patch } : q)));
  return html`<fieldset class="questions" disabled=${frozen}>
    <legend>${t('polls.questions')}</legend>
    ${questions.map((q, i) => {
      const form = `poll-q${i}`;
      const err = (name) => errors[`questions[${i}].${name}`];
      const setQ = (values) => change(i, values);
      return html`<div class="question" key=${i}>
        <${Control} form=${form} name="text" label=${t('polls.question', { n: i + 1 })} error=${err('text')} values=${q} set=${setQ} />
        <${Control} form=${form} name="kind" kind="select" label=${t('polls.kind')} error=${err('kind')} values=${q} set=${setQ}
          options=${KINDS.map((k) => [k, t(`polls.kind.${k}`)])} />
        <${Control} form=${form} name="required" kind="checkbox" label=${t('polls.required')} values=${q} set=${setQ} />
        ${q.kind !== 'text' && html`<${Control} form=${form} name="options" kind="textarea" rows="3" label=${t('polls.options')}
          hint=${t('polls.options.hint')} error=${err('options')} values=${q} set=${setQ} />`}
        ${questions.length > 1 && html`<button type="button" class="secondary" onClick=${() => set(questions.filter((_, j) => j !== i))}>
          ${t('polls.question.remove', { n: i + 1 })}</button>`}
      </div>`;
    })}
    <button type="button" class="secondary" onClick=${() => set([...questions, blankQuestion()])}>${t('polls.question.add')}</button>
  </fieldset>`;
}

/** The form's values from a poll or discussion (or blank ones for kind). */
function valuesOf(kind, item, orgs) {
  const base = { org: item?.organisation ?? orgs[0] ?? '', title: item?.title ?? '', territory: item?.territory?.code ?? '',
    opens_at: toLocal(item?.opens_at), closes_at: toLocal(item?.closes_at) };
  if (kind === 'polls') return { ...base, description: item?.description ?? '', results: item?.results ?? 'live' };
  return { ...base, document: item?.document ?? '' };
}

function ItemForm({ kind, item, orgs, territories, done }) {
  const creating = !item;
  const frozen = !creating && item.state !== 'upcoming';
  const [values, setValues] = useState(valuesOf(kind, item, orgs));
  const [questions, setQuestions] = useState(item?.questions?.map((q) => ({ ...q, options: q.options.map((o) => o.text).join('\n') })) ?? [blankQuestion()]);
  const [files, setFiles] = useState([]);
  const path = creating ? `/api/v1/${kind}` : `/api/v1/${kind}/${item.id}`;
  const [state, submit] = useSubmit(async (body) => {
    if (files.length) body.attachment_ids = [...(item?.attachment_ids ?? []), ...await Promise.all(files.map(async (f) => (await api('POST', '/api/v1/attachments', f)).id))];
    return api(creating ? 'POST' : 'PATCH', path, body);
  }, done);
  const form = `${kind}-form`;
  const e = state.error?.fields ?? {};
  const labels = { org: t('admin.org'), title: t('admin.title'), description: t('polls.description'), document: t('discussions.document'),
    territory: t('admin.territory'), opens_at: t('admin.opens_at'), closes_at: t('admin.closes_at'), results: t('polls.results'), questions: t('polls.questions') };
  const onSubmit = (ev) => {
    ev.preventDefault();
    const body = { title: values.title };
    if (creating) body.org = values.org;
    if (kind === 'polls') body.description = values.description || undefined;
    if (!frozen) {
      Object.assign(body, { territory: values.territory || undefined, opens_at: fromLocal(values.opens_at), closes_at: fromLocal(values.closes_at) });
      if (kind === 'polls') Object.assign(body, { results: values.results, questions: questions.map((q) => ({ text: q.text, kind: q.kind, required: q.required,
        ...(q.kind !== 'text' && { options: q.options.split('\n').map((o) => o.trim()).filter(Boolean) }) })) });
      else body.document = values.document;
    }
    submit(body);
  };
  const frozenHint = frozen ? t('participation.frozen') : undefined;
  return html`<form id=${form} onSubmit=${onSubmit} novalidate aria-labelledby=${`${form}-heading`}>
    <h3 id=${`${form}-heading`}>${creating ? t(`${kind}.create`) : t(`${kind}.edit`, { name: item.title })}</h3>
    ${frozen && html`<p class="notice">${t('participation.frozen')}</p>`}
    <${ErrorSummary} form=${form} error=${state.error} labels=${labels} />
    ${creating && html`<${Control} form=${form} name="org" kind="select" label=${labels.org} error=${e.org} values=${values} set=${setValues}
      options=${orgs.map((o) => [o, o])} />`}
    <${Control} form=${form} name="title" label=${labels.title} error=${e.title} values=${values} set=${setValues} />
    ${kind === 'polls' && html`<${Control} form=${form} name="description" kind="textarea" label=${labels.description} error=${e.description} values=${values} set=${setValues} />`}
    ${kind === 'discussions' && html`<${Control} form=${form} name="document" kind="textarea" rows="8" label=${labels.document} hint=${frozenHint}
      error=${e.document} values=${values} set=${setValues} disabled=${frozen} />
      <div class="field"><label for=${`${form}-files`}>${t('discussions.files')}</label>
        <div class="hint" id=${`${form}-files-hint`}>${t('discussions.files.hint', { count: item?.attachment_ids?.length ?? 0 })}</div>
        ${e.attachment_ids && html`<p class="field-error">${e.attachment_ids}</p>`}
        <input id=${`${form}-files`} type="file" multiple accept=".pdf,.jpg,.jpeg,.png" disabled=${frozen} aria-describedby=${`${form}-files-hint`}
          onChange=${(ev) => setFiles([...ev.currentTarget.files])} /></div>`}
    <${Control} form=${form} name="territory" kind="select" label=${labels.territory} hint=${frozenHint} error=${e.territory} values=${values} set=${setValues}
      disabled=${frozen} options=${territoryOptions(territories, t('participation.org_territory'))} />
    <${Control} form=${form} name="opens_at" kind="datetime-local" label=${labels.opens_at} hint=${frozenHint} error=${e.opens_at} values=${values} set=${setValues} disabled=${frozen} />
    <${Control} form=${form} name="closes_at" kind="datetime-local" label=${labels.closes_at} hint=${frozenHint} error=${e.closes_at} values=${values} set=${setValues} disabled=${frozen} />
    ${kind === 'polls' && html`<${Control} form=${form} name="results" kind="select" label=${labels.results} hint=${frozenHint} error=${e.results} values=${values} set=${setValues}
      disabled=${frozen} options=${[['live', t('polls.results.live')], ['after_close', t('polls.results.after_close')]]} />
      <${Questions} questions=${questions} set=${setQuestions} frozen=${frozen} errors=${e} />`}
    <button type="submit" disabled=${state.busy}>${creating ? t(`${kind}.create`) : t('admin.save')}</button>
  </form>`;
}

/** kind: polls or discussions; orgs: the codes the person manages them in. */
export function ParticipationAdmin({ kind, orgs }) {
  const [notice, setNotice] = useState(null);
  const [selected, setSelected] = useState(null);
  const [fresh, renew] = useRound();
  const tree = useTerritories([]);
  /* an organisation's admin sets up no territories: its form offers none but the organisation's */
  const territories = { data: tree.data ?? (tree.error ? [] : null) };
  const list = useLoad(() => api('GET', withQuery(`/api/v1/${kind}`, { limit: 50 })), [kind]);
  const mine = (list.data?.items ?? []).filter((x) => orgs.includes(x.organisation));
  const open = (id) => api('GET', `/api/v1/${kind}/${id}`).then(setSelected, () => setSelected(null));
  const saved = (text) => (item) => { setNotice(text); list.reload(); if (item?.id) open(item.id); };
  return html`<section aria-labelledby=${`${kind}-title`}>
    <h2 id=${`${kind}-title`}>${t(`admin.${kind}`)}</h2>
    <${Notice} text=${notice} />
    <${ProblemNotice} error=${list.error} />
    ${mine.length > 0 && html`<table class="staff admin-table">
      <thead><tr><th scope="col">${t('admin.title')}</th><th scope="col">${t('admin.org')}</th><th scope="col">${t('participation.period')}</th>
        <th scope="col">${t('participation.state')}</th></tr></thead>
      <tbody>${mine.map((x) => html`<tr key=${x.id}><td><button type="button" class="link" onClick=${() => open(x.id)}>${x.title}</button></td>
        <td>${x.organisation}</td><td>${when(x.starts_at)} — ${when(x.ends_at)}</td><td>${t(`participation.state.${x.state}`)}</td></tr>`)}</tbody></table>`}
    ${selected && html`<${ItemForm} key=${`edit-${selected.id}`} kind=${kind} item=${selected} orgs=${orgs} territories=${territories.data ?? []} done=${saved(t('admin.saved'))} />`}
    ${territories.data && orgs.length > 0 && html`<${ItemForm} key=${fresh} kind=${kind} orgs=${orgs} territories=${territories.data}
      done=${(item) => { renew(); saved(t(`${kind}.created`))(item); }} />`}
  </section>`;
}
