// my.js - the personal cabinet: my messages, a message with its timeline
// (every public event with its date), the organisation, the due date, the
// answer and its files, the rejection's reason and the moderator's comment;
// rating 1-5 and return for rework with the API's errors beside the fields.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { described, ErrorSummary, Field, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { errorText, t, when } from '../shared/i18n.js';
import { day } from './common.js';

/** The cabinet's tabs: messages, notifications (with the unread count), profile. */
export function MyTabs({ current, unread }) {
  const tab = (id, href, label) => html`<li><a href=${href} aria-current=${current === id ? 'page' : undefined}>${label}</a></li>`;
  return html`<nav class="tabs" aria-label=${t('p.my.title')}><ul>
    ${tab('messages', '#/my', t('p.my.messages'))}
    ${tab('notifications', '#/my/notifications', html`${t('p.my.notifications')}${unread > 0 && html` <span class="count">${unread}<span class="visually-hidden"> ${t('p.notif.new')}</span></span>`}`)}
    ${tab('profile', '#/my/profile', t('p.my.profile'))}
  </ul></nav>`;
}

const Status = ({ status }) => html`<span class="status" data-status=${status}>${t(`status.${status}`)}</span>`;

export function MyMessages() {
  const [state, setState] = useState({ items: [], next: null, loading: true, error: null });
  const load = async (cursor, items) => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api('GET', withQuery('/api/v1/my/messages', { limit: 20, cursor }));
      setState({ items: [...items, ...page.items], next: page.next_cursor, loading: false, error: null });
    } catch (error) {
      setState((s) => ({ ...s, loading: false, error }));
    }
  };
  useEffect(() => { load(null, []); }, []);
  const { items, next, loading, error } = state;
  return html`<section aria-labelledby="my-messages" aria-busy=${loading ? 'true' : 'false'}>
    <h2 id="my-messages">${t('p.my.messages')}</h2>
    <${ProblemNotice} error=${error} />
    ${!loading && !error && items.length === 0 && html`<p>${t('p.my.empty')} <a href="#/report">${t('p.nav.report')}</a></p>`}
    <ul class="cards">${items.map((m) => html`<li key=${m.id} class="card">
      <h3><a href=${`#/my/messages/${m.id}`}>${t('p.msg.title', { id: m.id })}</a></h3>
      <p><${Status} status=${m.status} />${m.overdue && html` <span class="badge">${t('p.msg.overdue')}</span>`}</p>
      <p class="excerpt">${m.text}</p>
      <p class="hint">${t('p.my.sent', { date: when(m.created_at) })}${m.organisation_name && ` · ${m.organisation_name}`}</p>
    </li>`)}</ul>
    ${next && !loading && html`<button type="button" class="secondary" onClick=${() => load(next, items)}>${t('p.my.more')}</button>`}
  </section>`;
}

/** What an event says: the status it led to, its comment, a rejection's reason. */
function Timeline({ message }) {
  return html`<ol class="timeline">
    ${message.events.map((e) => html`<li key=${e.id}>
      <time datetime=${e.at}>${when(e.at)}</time>
      <strong>${e.from === null || e.from === undefined ? t('p.msg.created_event') : t(`status.${e.to}`)}</strong>
      ${e.reason_title && html`<div>${t('p.msg.reason')}: ${e.reason_title}</div>`}
      ${e.comment && html`<blockquote>${e.comment}</blockquote>`}
    </li>`)}
  </ol>`;
}

function Files({ files, label }) {
  return html`<ul class="files">${files.map((a) => html`<li key=${a.id}>
    <a href=${`/api/v1/attachments/${a.id}`} download>${label(a.id)}</a> <span class="hint">(${a.content_type}, ${Math.ceil(a.size / 1024)} KB)</span>
  </li>`)}</ul>`;
}

/** A form of one action on the message (rating or rework): the API's errors beside its fields. */
function ActionForm({ id, action, title, button, fields, labels, onDone }) {
  const [values, setValues] = useState({});
  const [state, submit] = useSubmit((body) => api('POST', `/api/v1/messages/${id}/${action}`, body), onDone);
  const form = `action-${action}`;
  const errors = state.error?.fields ?? {};
  const send = (e) => {
    e.preventDefault();
    const body = {};
    for (const f of fields) if (values[f.name] !== undefined && values[f.name] !== '') body[f.name] = f.number ? Number(values[f.name]) : values[f.name];
    submit(body);
  };
  return html`<form id=${form} class="action" novalidate onSubmit=${send}>
    <h3>${title}</h3>
    <${ErrorSummary} form=${form} error=${Object.keys(errors).length ? state.error : null} labels=${labels} />
    ${!Object.keys(errors).length && html`<${ProblemNotice} error=${state.error} />`}
    ${fields.map((f) => (f.scale
      ? html`<fieldset id=${`${form}-${f.name}`} class=${`field scale${errors[f.name] ? ' field--error' : ''}`}
          aria-describedby=${errors[f.name] ? `${form}-${f.name}-error` : undefined} tabindex="-1">
          <legend>${f.label}</legend>
          ${errors[f.name] && html`<p class="field-error" id=${`${form}-${f.name}-error`}>${errorText(errors[f.name])}</p>`}
          ${[1, 2, 3, 4, 5].map((n) => html`<label class="choice"><input type="radio" name=${f.name} value=${n}
            checked=${values[f.name] === String(n)} onChange=${() => setValues({ ...values, [f.name]: String(n) })} />
            <span>${n}</span><span class="visually-hidden"> ${t('p.rate.star', { n })}</span></label>`)}
        </fieldset>`
      : html`<${Field} form=${form} name=${f.name} label=${f.label} hint=${f.hint} error=${errors[f.name]}>
          <textarea rows="3" ...${described(form, f.name, f.hint, errors[f.name])} value=${values[f.name] ?? ''}
            onInput=${(e) => setValues({ ...values, [f.name]: e.currentTarget.value })}></textarea>
        </${Field}>`))}
    <button type="submit" disabled=${state.busy}>${button}</button>
  </form>`;
}

export function MyMessage({ id }) {
  const [state, setState] = useState({ message: null, error: null, done: '' });
  const load = (done = '') => api('GET', `/api/v1/messages/${id}`)
    .then((message) => setState({ message, error: null, done }), (error) => setState({ message: null, error, done: '' }));
  useEffect(() => { load(); }, [id]);
  const { message, error, done } = state;
  const heading = html`<p><a href="#/my">${t('p.msg.back')}</a></p><h1 tabindex="-1">${t('p.msg.title', { id })}</h1>`;
  if (error) return html`${heading}${error.status === 404 ? html`<p class="notice notice--error">${t('p.msg.not_found')}</p>` : html`<${ProblemNotice} error=${error} />`}`;
  if (!message) return html`${heading}<p>${t('app.loading')}</p>`;
  const mine = message.attachments.filter((a) => a.purpose === 'message');
  const answerFiles = message.attachments.filter((a) => a.purpose === 'answer');
  const after = (status) => load(t('p.done', { status: t(`status.${status}`) }));
  const canRate = ['answered', 'closed'].includes(message.status) && message.answer && message.rating === null;
  return html`${heading}
    <p class="notice" role="status">${done}</p>
    <dl class="facts">
      <div><dt>${t('p.msg.status')}</dt><dd><${Status} status=${message.status} /></dd></div>
      <div><dt>${t('p.msg.organisation')}</dt><dd>${message.organisation_name ?? message.organisation ?? t('p.msg.organisation.none')}</dd></div>
      <div><dt>${t('p.msg.created')}</dt><dd>${when(message.created_at)}</dd></div>
      ${message.due_at && html`<div><dt>${t('p.msg.due')}</dt><dd>${day(message.due_at)}${message.overdue && html` <span class="badge">${t('p.msg.overdue')}</span>`}</dd></div>`}
    </dl>
    ${message.rejection && html`<section class="panel panel--error" aria-labelledby="rejected">
      <h2 id="rejected">${t('p.msg.rejected')}</h2>
      <p><strong>${t('p.msg.reason')}:</strong> ${message.rejection.reason_title}</p>
      ${message.rejection.comment && html`<p><strong>${t('p.msg.moderator_comment')}:</strong> ${message.rejection.comment}</p>`}
    </section>`}
    ${message.answer && html`<section class="panel panel--ok" aria-labelledby="answer">
      <h2 id="answer">${t('p.msg.answer')}</h2>
      <p class="hint">${when(message.answered_at)}</p>
      <div class="message-text">${message.answer}</div>
      ${answerFiles.length > 0 && html`<h3>${t('p.msg.answer_files')}</h3><${Files} files=${answerFiles} label=${(n) => t('p.msg.answer_file', { id: n })} />`}
    </section>`}
    ${message.rating !== null && html`<p class="notice">${t('p.rate.done', { score: message.rating })}</p>`}
    ${message.status === 'answered' && html`<${ActionForm} id=${id} action="rework" title=${t('p.rework.title')} button=${t('p.rework.send')}
      fields=${[{ name: 'comment', label: t('p.rework.comment'), hint: t('p.rework.hint') }]}
      labels=${{ comment: t('p.rework.comment') }} onDone=${(m) => after(m.status)} />`}
    ${canRate && html`<${ActionForm} id=${id} action="rating" title=${t('p.rate.title')} button=${t('p.rate.send')}
      fields=${[{ name: 'score', label: t('p.rate.score'), scale: true, number: true }, { name: 'comment', label: t('p.rate.comment') }]}
      labels=${{ score: t('field.score'), comment: t('p.rate.comment') }} onDone=${(m) => after(m.status)} />`}
    <h2>${t('p.msg.text')}</h2>
    <div class="message-text">${message.text}</div>
    ${message.address && html`<p><strong>${t('p.msg.address')}:</strong> ${message.address}</p>`}
    ${mine.length > 0 && html`<h3>${t('p.msg.photos')}</h3><${Files} files=${mine} label=${(n) => t('p.msg.file', { id: n })} />`}
    <h2>${t('p.msg.timeline')}</h2>
    <${Timeline} message=${message} />`;
}
