// report.js - "Сообщить о проблеме": the widget's form on a page of its own.
// The rubric from the rubricator, the text within the limits, the address,
// the place (the browser's geolocation), photos uploaded one by one before
// the message; the message is sent with an Idempotency-Key kept with the
// draft, so a retry after a lost answer finds the same message. The draft
// (not the photos) survives the trip to the login.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { described, ErrorSummary, Field, ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';
import { LoginPrompt, useLoad } from './common.js';

// the intake's limits (modules/widget/widget.h, messages.c; widget-js/src/frame.js)
const TEXT_MAX = 5000;
const ADDRESS_MAX = 500;
const PHOTOS_MAX = 5;
const PHOTO_BYTES_MAX = 5 * 1024 * 1024;
const DRAFT_KEY = 'otklik.portal.draft';

const FORM = 'report';
const labels = () => ({ rubric_id: t('p.report.rubric'), text: t('p.report.text'), address: t('p.report.address'),
  location: t('p.report.location'), attachment_ids: t('p.report.photos') });

function loadDraft() {
  try { return JSON.parse(localStorage.getItem(DRAFT_KEY)) ?? {}; } catch { return {}; }
}
function saveDraft(draft) {
  try { if (draft) localStorage.setItem(DRAFT_KEY, JSON.stringify(draft)); else localStorage.removeItem(DRAFT_KEY); } catch { /* storage blocked */ }
}

function RubricOptions({ rubrics }) {
  return rubrics.map((g) => (g.children.length === 0
    ? html`<option value=${g.id}>${g.title}</option>`
    : html`<optgroup label=${g.title}>${g.children.map((c) => html`<option value=${c.id}>${c.title}</option>`)}</optgroup>`));
}

function Photos({ photos, setPhotos, error, onProblem }) {
  const input = useRef(null);
  const add = (files) => {
    const next = [...photos];
    for (const f of files) {
      if (!['image/jpeg', 'image/png'].includes(f.type)) { onProblem(t('p.report.photo.type', { name: f.name })); continue; }
      if (f.size > PHOTO_BYTES_MAX) { onProblem(t('p.report.photo.size', { name: f.name })); continue; }
      if (next.length >= PHOTOS_MAX) { onProblem(t('p.report.photo.many', { max: PHOTOS_MAX })); break; }
      next.push({ file: f, url: URL.createObjectURL(f), id: null });
    }
    setPhotos(next);
  };
  const remove = (i) => {
    URL.revokeObjectURL(photos[i].url);
    setPhotos(photos.filter((_, j) => j !== i));
    input.current?.focus();
  };
  return html`<${Field} form=${FORM} name="attachment_ids" label=${t('p.report.photos')} hint=${t('p.report.photos.hint', { max: PHOTOS_MAX })} error=${error}>
    <input ref=${input} type="file" accept="image/jpeg,image/png" multiple ...${described(FORM, 'attachment_ids', true, error)}
      onChange=${(e) => { add([...e.currentTarget.files]); e.currentTarget.value = ''; }} />
    ${photos.length > 0 && html`<ul class="previews">${photos.map((p, i) => html`<li key=${p.url}>
      <img src=${p.url} alt=${p.file.name} />
      <button type="button" class="secondary" aria-label=${t('p.report.photo.remove', { name: p.file.name })} onClick=${() => remove(i)}>×</button>
    </li>`)}</ul>`}
  </${Field}>`;
}

function Located({ place, setPlace }) {
  const [status, setStatus] = useState('');
  const locate = () => {
    if (!navigator.geolocation) { setStatus(t('p.report.locate_failed')); return; }
    setStatus(t('p.report.locating'));
    navigator.geolocation.getCurrentPosition(
      (p) => { setPlace({ lat: p.coords.latitude, lon: p.coords.longitude }); setStatus(''); },
      () => setStatus(t('p.report.locate_failed')),
      { timeout: 10000 });
  };
  const fixed = (n) => n.toFixed(5);
  return html`<div class="field" id=${`${FORM}-location`} tabindex="-1">
    <span class="label">${t('p.report.location')}</span>
    <div class="row">
      <button type="button" class="secondary" onClick=${locate}>${t('p.report.locate')}</button>
      ${place && html`<button type="button" class="link" onClick=${() => setPlace(null)}>${t('p.report.location.clear')}</button>`}
    </div>
    <p class="hint" role="status" id="location-status">${place ? t('p.report.located', { lat: fixed(place.lat), lon: fixed(place.lon) }) : status}</p>
  </div>`;
}

function Sent({ message, onAnother }) {
  const heading = useRef(null);
  useEffect(() => heading.current?.focus(), []);
  return html`<section class="panel panel--ok">
    <h2 ref=${heading} tabindex="-1">${t('p.report.sent', { id: message.id })}</h2>
    <p>${t('p.report.sent.status', { status: t(`status.${message.status}`) })}</p>
    <p class="row"><a class="button" href=${`#/my/messages/${message.id}`}>${t('p.report.open')}</a>
      <button type="button" class="secondary" onClick=${onAnother}>${t('p.report.another')}</button></p>
  </section>`;
}

export function Report({ me }) {
  const rubrics = useLoad('/api/v1/rubrics');
  const [draft, setDraftState] = useState(loadDraft);
  const [photos, setPhotos] = useState([]);
  const [place, setPlace] = useState(null);
  const [state, setState] = useState({ busy: false, error: null, sent: null, photoProblem: '' });
  const setDraft = (change) => { const next = { ...draft, ...change }; setDraftState(next); saveDraft(next); };
  const loggedIn = me.state === 'in';

  const submit = async (event) => {
    event.preventDefault();
    const key = draft.idempotency_key ?? crypto.randomUUID();
    setDraft({ idempotency_key: key });
    setState({ busy: true, error: null, sent: null, photoProblem: '' });
    try {
      const uploaded = [];
      for (const p of photos) {
        p.id ??= (await api('POST', '/api/v1/attachments', p.file)).id;
        uploaded.push(p.id);
      }
      const body = { rubric_id: draft.rubric_id ? Number(draft.rubric_id) : undefined, text: draft.text ?? '',
        address: draft.address?.trim() || undefined, location: place ?? undefined,
        attachment_ids: uploaded.length ? uploaded : undefined };
      const sent = await api('POST', '/api/v1/messages', body, { 'idempotency-key': key });
      photos.forEach((p) => URL.revokeObjectURL(p.url));
      setPhotos([]); setPlace(null); setDraftState({}); saveDraft(null);
      setState({ busy: false, error: null, sent, photoProblem: '' });
    } catch (error) {
      setState({ busy: false, error, sent: null, photoProblem: '' });
    }
  };
  useEffect(() => { if (state.error) document.querySelector('.error-summary, .notice--error')?.focus(); }, [state.error]);

  if (state.sent) return html`<h1 tabindex="-1">${t('p.report.title')}</h1><${Sent} message=${state.sent} onAnother=${() => setState({ busy: false, error: null, sent: null, photoProblem: '' })} />`;
  const fields = state.error?.fields ?? {};
  const length = [...(draft.text ?? '')].length;
  return html`<h1 tabindex="-1">${t('p.report.title')}</h1>
    <p class="lead">${t('p.report.lead')}</p>
    ${me.state === 'out' && html`<${LoginPrompt} text=${t('p.report.login')} />`}
    <form class="report" novalidate onSubmit=${submit}>
      <${ErrorSummary} form=${FORM} error=${Object.keys(fields).length ? state.error : null} labels=${labels()} />
      ${!Object.keys(fields).length && html`<${ProblemNotice} error=${state.error} />`}
      <${Field} form=${FORM} name="rubric_id" label=${t('p.report.rubric')} error=${fields.rubric_id}>
        <select ...${described(FORM, 'rubric_id', false, fields.rubric_id)} value=${draft.rubric_id ?? ''}
          onChange=${(e) => setDraft({ rubric_id: e.currentTarget.value })}>
          <option value="">${t('p.report.rubric.choose')}</option>
          ${rubrics.data && html`<${RubricOptions} rubrics=${rubrics.data.items} />`}
        </select>
      </${Field}>
      <${ProblemNotice} error=${rubrics.error} />
      <${Field} form=${FORM} name="text" label=${t('p.report.text')} hint=${t('p.report.text.hint', { max: TEXT_MAX })} error=${fields.text}>
        <textarea rows="7" maxlength=${TEXT_MAX} ...${described(FORM, 'text', true, fields.text)} value=${draft.text ?? ''}
          onInput=${(e) => setDraft({ text: e.currentTarget.value })}></textarea>
        <p class=${`hint counter${length > TEXT_MAX * 0.9 ? ' counter--near' : ''}`} aria-live="polite">${t('p.report.counter', { n: length, max: TEXT_MAX })}</p>
      </${Field}>
      <${Field} form=${FORM} name="address" label=${t('p.report.address')} hint=${t('p.report.address.hint')} error=${fields.address}>
        <input type="text" autocomplete="street-address" maxlength=${ADDRESS_MAX} ...${described(FORM, 'address', true, fields.address)}
          value=${draft.address ?? ''} onInput=${(e) => setDraft({ address: e.currentTarget.value })} />
      </${Field}>
      <${Located} place=${place} setPlace=${setPlace} />
      <${Photos} photos=${photos} setPhotos=${setPhotos} error=${fields.attachment_ids}
        onProblem=${(text) => setState((s) => ({ ...s, photoProblem: text }))} />
      ${state.photoProblem && html`<p class="notice notice--error" role="alert">${state.photoProblem}</p>`}
      ${loggedIn
        ? html`<button type="submit" disabled=${state.busy}>${state.busy ? t('p.report.sending') : t('p.report.send')}</button>`
        : me.state === 'out' && html`<a class="button" href=${`/auth/esia/login?return_to=${encodeURIComponent(`${location.origin}/#/report`)}`}>${t('p.login')}</a>`}
    </form>`;
}
