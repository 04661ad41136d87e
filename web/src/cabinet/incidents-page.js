// incidents-page.js - the chunk of incidents.js's pages.
//
// IncidentsPageOf: the moderation organisation's queue of incidents
// (GET /api/v1/incidents?status=), each with its source, author, text, a link
// to the post, the suggested rubric and when it came; a moderator accepts one
// as a message (POST /api/v1/incidents/{id}/accept: the organisation starts
// as the account's, the rubric as the suggested one) or dismisses it with a
// reason (POST .../dismiss).
//
// AccountsPageOf: the organisation's official accounts
// (GET/POST /api/v1/orgs/{code}/accounts) with their activity, and each
// account's content plan (GET/POST /api/v1/accounts/{id}/posts): staff write
// posts with their time, the manager approves them
// (POST /api/v1/posts/{id}/approve), the outbox publishes them.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { described, ErrorSummary, Field, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { addWords, t, when } from '../shared/i18n.js';
import { OrgInput, REASONS } from './actions.js';
import { useRubrics } from './rubrics.js';

addWords({
  ru: {
    'incidents.title': 'Инциденты из соцсетей', 'incidents.status': 'Какие показать',
    'incidents.status.new': 'Новые', 'incidents.status.accepted': 'Принятые', 'incidents.status.dismissed': 'Отклонённые',
    'incidents.empty': 'Инцидентов нет.', 'incidents.item': 'Инцидент №{id}', 'incidents.source': 'Источник',
    'incidents.author': 'Автор', 'incidents.link': 'Открыть пост', 'incidents.rubric': 'Предлагаемая рубрика',
    'incidents.received': 'Получен', 'incidents.territory': 'Территория', 'incidents.none': '—',
    'incidents.accept': 'Принять как сообщение', 'incidents.dismiss': 'Отклонить', 'incidents.cancel': 'Отмена',
    'incidents.accepted': 'Инцидент №{id} принят: сообщение №{message}.', 'incidents.dismissed': 'Инцидент №{id} отклонён.',
    'incidents.message': 'Открыть сообщение №{id}', 'incidents.reason': 'Причина',
    'incidents.field.reason_code': 'Причина отклонения', 'incidents.more': 'Показать ещё',
    'accounts.title': 'Госпаблики', 'accounts.empty': 'Официальных аккаунтов нет.', 'accounts.network': 'Сеть',
    'accounts.address': 'Адрес', 'accounts.external_id': 'Номер сообщества или чата', 'accounts.verified': 'Подтверждён',
    'accounts.yes': 'да', 'accounts.no': 'нет', 'accounts.activity': 'Активность',
    'accounts.activity.text': 'постов за неделю: {posts}; инцидентов за 30 дней: {incidents}, с ответом: {share}',
    'accounts.register': 'Зарегистрировать аккаунт', 'accounts.registered': 'Аккаунт зарегистрирован.',
    'accounts.plan': 'Контент-план', 'accounts.plan.of': 'Контент-план: {address}', 'accounts.plan.empty': 'Постов нет.',
    'accounts.post.text': 'Текст поста', 'accounts.post.publish_at': 'Когда опубликовать',
    'accounts.post.write': 'Написать пост', 'accounts.post.save': 'Сохранить черновик', 'accounts.post.saved': 'Пост сохранён: его утвердит руководитель.',
    'accounts.post.approve': 'Утвердить', 'accounts.post.approved': 'Пост утверждён: он будет опубликован в своё время.',
    'accounts.post.status': 'Статус', 'post.draft': 'черновик', 'post.approved': 'утверждён', 'post.published': 'опубликован',
    'network.vk': 'ВКонтакте', 'network.telegram': 'Telegram',
  },
  en: {
    'incidents.title': 'Social media incidents', 'incidents.status': 'Show',
    'incidents.status.new': 'New', 'incidents.status.accepted': 'Accepted', 'incidents.status.dismissed': 'Dismissed',
    'incidents.empty': 'No incidents.', 'incidents.item': 'Incident {id}', 'incidents.source': 'Source',
    'incidents.author': 'Author', 'incidents.link': 'Open the post', 'incidents.rubric': 'Suggested rubric',
    'incidents.received': 'Received', 'incidents.territory': 'Territory', 'incidents.none': '—',
    'incidents.accept': 'Accept as a message', 'incidents.dismiss': 'Dismiss', 'incidents.cancel': 'Cancel',
    'incidents.accepted': 'Incident {id} accepted: message {message}.', 'incidents.dismissed': 'Incident {id} dismissed.',
    'incidents.message': 'Open message {id}', 'incidents.reason': 'Reason',
    'incidents.field.reason_code': 'Reason for dismissal', 'incidents.more': 'Show more',
    'accounts.title': 'Official accounts', 'accounts.empty': 'No official accounts.', 'accounts.network': 'Network',
    'accounts.address': 'Address', 'accounts.external_id': 'Community or chat number', 'accounts.verified': 'Verified',
    'accounts.yes': 'yes', 'accounts.no': 'no', 'accounts.activity': 'Activity',
    'accounts.activity.text': 'posts this week: {posts}; incidents in 30 days: {incidents}, answered: {share}',
    'accounts.register': 'Register an account', 'accounts.registered': 'The account is registered.',
    'accounts.plan': 'Content plan', 'accounts.plan.of': 'Content plan: {address}', 'accounts.plan.empty': 'No posts.',
    'accounts.post.text': 'Text of the post', 'accounts.post.publish_at': 'When to publish',
    'accounts.post.write': 'Write a post', 'accounts.post.save': 'Save the draft', 'accounts.post.saved': 'The post is saved: the manager will approve it.',
    'accounts.post.approve': 'Approve', 'accounts.post.approved': 'The post is approved: it will be published at its time.',
    'accounts.post.status': 'Status', 'post.draft': 'draft', 'post.approved': 'approved', 'post.published': 'published',
    'network.vk': 'VK', 'network.telegram': 'Telegram',
  },
});

const STATUSES = ['new', 'accepted', 'dismissed'];

/** A page of path's items with "show more": {items, more, error, reload}. */
function usePages(path) {
  const [state, setState] = useState({ items: [], next: null, error: null, loaded: false });
  const load = (cursor, items) => api('GET', withQuery(path, { cursor: cursor ?? undefined })).then(
    (page) => setState({ items: [...items, ...page.items], next: page.next_cursor, error: null, loaded: true }),
    (error) => setState({ items, next: null, error, loaded: true }));
  useEffect(() => { setState({ items: [], next: null, error: null, loaded: false }); load(null, []); }, [path]);
  return { ...state, more: () => load(state.next, state.items), reload: () => load(null, []) };
}

/** A form of fields (name -> {label, control(attrs, value, set)}) posting body(values) to path. */
function DecisionForm({ id, title, submitLabel, fields, initial, post, done, onCancel, warning }) {
  const [values, setValues] = useState(initial);
  const [state, submit] = useSubmit(post, done);
  const labels = Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, f.label]));
  const onSubmit = (e) => { e.preventDefault(); submit(values); };
  const set = (name, value) => setValues((v) => ({ ...v, [name]: value }));
  return html`<form class="action" id=${id} onSubmit=${onSubmit} novalidate>
    <h4>${title}</h4>
    <${ErrorSummary} form=${id} error=${state.error} labels=${labels} />
    ${Object.entries(fields).map(([name, f]) => html`<${Field} form=${id} name=${name} label=${f.label}
        hint=${f.hint} error=${state.error?.fields[name]}>
      ${f.control(described(id, name, Boolean(f.hint), state.error?.fields[name]), values[name] ?? '', (value) => set(name, value))}
    </${Field}>`)}
    <button type="submit" class=${warning ? 'warning' : ''} disabled=${state.busy}>${submitLabel}</button>
    ${onCancel && html` <button type="button" class="secondary" onClick=${onCancel}>${t('incidents.cancel')}</button>`}
  </form>`;
}

const textarea = (attrs, value, set) => html`<textarea ...${attrs} rows="3" value=${value} onInput=${(e) => set(e.currentTarget.value)}></textarea>`;
const optional = (value) => value || undefined;

function AcceptForm({ incident, done, onCancel }) {
  const rubrics = useRubrics();
  const fields = {
    org: { label: t('field.org'), hint: t('field.org.hint'),
      control: (attrs, value, set) => html`<${OrgInput} attrs=${attrs} value=${value} onInput=${(_, v) => set(v)} />` },
    rubric_id: { label: t('field.rubric_id'),
      control: (attrs, value, set) => html`<select ...${attrs} value=${value} onChange=${(e) => set(e.currentTarget.value)}>
        <option value="">${t('field.choose')}</option>
        ${rubrics.map((r) => html`<option value=${r.id}>${r.title}</option>`)}</select>` },
    comment: { label: t('field.comment'), control: textarea },
  };
  const post = (v) => api('POST', `/api/v1/incidents/${incident.id}/accept`,
    { org: v.org, rubric_id: v.rubric_id ? Number(v.rubric_id) : undefined, comment: optional(v.comment) });
  return html`<${DecisionForm} id=${`accept-${incident.id}`} title=${t('incidents.accept')} submitLabel=${t('incidents.accept')}
    fields=${fields} initial=${{ org: incident.account?.org ?? '', rubric_id: incident.suggested_rubric ? String(incident.suggested_rubric.id) : '' }}
    post=${post} done=${done} onCancel=${onCancel} />`;
}

function DismissForm({ incident, done, onCancel }) {
  const fields = {
    reason_code: { label: t('incidents.field.reason_code'),
      control: (attrs, value, set) => html`<select ...${attrs} value=${value} onChange=${(e) => set(e.currentTarget.value)}>
        <option value="">${t('field.choose')}</option>
        ${REASONS.map((code) => html`<option value=${code}>${code}. ${t(`reason.${code}`)}</option>`)}</select>` },
    comment: { label: t('field.comment'), control: textarea },
  };
  const post = (v) => api('POST', `/api/v1/incidents/${incident.id}/dismiss`,
    { reason_code: v.reason_code ? Number(v.reason_code) : undefined, comment: optional(v.comment) });
  return html`<${DecisionForm} id=${`dismiss-${incident.id}`} title=${t('incidents.dismiss')} submitLabel=${t('incidents.dismiss')}
    fields=${fields} initial=${{}} post=${post} done=${done} onCancel=${onCancel} warning=${true} />`;
}

function Incident({ org, incident: i, open, setOpen, decided }) {
  const heading = `incident-${i.id}`;
  return html`<li><article class="incident" aria-labelledby=${heading}>
    <h3 id=${heading}>${t('incidents.item', { id: i.id })}</h3>
    <p class="message-text">${i.text}</p>
    <dl class="incident-facts">
      <dt>${t('incidents.source')}</dt><dd>${t(`channel.${i.channel}`)}${i.account ? ` (${i.account.address})` : ''}</dd>
      <dt>${t('incidents.author')}</dt><dd>${i.author?.name ?? i.author?.external_id ?? t('incidents.none')}</dd>
      <dt>${t('incidents.rubric')}</dt><dd>${i.suggested_rubric?.title ?? t('incidents.none')}</dd>
      <dt>${t('incidents.territory')}</dt><dd>${i.territory?.name ?? t('incidents.none')}</dd>
      <dt>${t('incidents.received')}</dt><dd>${when(i.created_at)}</dd>
      ${i.dismiss_reason && html`<dt>${t('incidents.reason')}</dt><dd>${i.dismiss_reason}. ${t(`reason.${i.dismiss_reason}`)}</dd>`}
    </dl>
    <p>${i.url && html`<a href=${i.url} target="_blank" rel="noopener noreferrer">${t('incidents.link')}</a>`}
      ${i.message_id && html` <a href=${`#/${org}/message/${i.message_id}`}>${t('incidents.message', { id: i.message_id })}</a>`}</p>
    ${i.status === 'new' && !open && html`<div class="buttons">
      <button type="button" onClick=${() => setOpen({ id: i.id, action: 'accept' })}>${t('incidents.accept')}</button>
      <button type="button" class="warning" onClick=${() => setOpen({ id: i.id, action: 'dismiss' })}>${t('incidents.dismiss')}</button>
    </div>`}
    ${open === 'accept' && html`<${AcceptForm} incident=${i} done=${decided} onCancel=${() => setOpen(null)} />`}
    ${open === 'dismiss' && html`<${DismissForm} incident=${i} done=${decided} onCancel=${() => setOpen(null)} />`}
  </article></li>`;
}

export function IncidentsPageOf({ org, filters }) {
  const status = STATUSES.includes(filters?.status) ? filters.status : 'new';
  const pages = usePages(withQuery('/api/v1/incidents', { status }));
  const [open, setOpen] = useState(null);
  const [notice, setNotice] = useState(null);
  const decided = (incident) => {
    setOpen(null);
    setNotice(incident.status === 'accepted'
      ? { text: t('incidents.accepted', { id: incident.id, message: incident.message_id }), message: incident.message_id }
      : { text: t('incidents.dismissed', { id: incident.id }) });
    pages.reload();
  };
  return html`<section aria-labelledby="incidents-title">
    <h2 id="incidents-title">${t('incidents.title')}</h2>
    <ul class="tabs" aria-label=${t('incidents.status')}>${STATUSES.map((s) => html`<li><a href=${`#/${org}/incidents?status=${s}`}
      aria-current=${s === status ? 'page' : undefined}>${t(`incidents.status.${s}`)}</a></li>`)}</ul>
    <div role="status">${notice && html`<p class="notice">${notice.text}
      ${notice.message && html` <a href=${`#/${org}/message/${notice.message}`}>${t('incidents.message', { id: notice.message })}</a>`}</p>`}</div>
    <${ProblemNotice} error=${pages.error} />
    ${!pages.loaded ? html`<p>${t('app.loading')}</p>` : pages.items.length === 0 && !pages.error ? html`<p>${t('incidents.empty')}</p>`
      : html`<ul class="incidents">${pages.items.map((i) => html`<${Incident} key=${i.id} org=${org} incident=${i}
          open=${open?.id === i.id ? open.action : null} setOpen=${setOpen} decided=${decided} />`)}</ul>`}
    ${pages.next !== null && html`<button type="button" class="secondary" onClick=${pages.more}>${t('incidents.more')}</button>`}
  </section>`;
}

/* ------------------------------------------------------- official accounts */

const input = (type) => (attrs, value, set) => html`<input ...${attrs} type=${type} value=${value}
  onInput=${(e) => set(e.currentTarget.value)} />`;

function RegisterForm({ org, done }) {
  const fields = {
    network: { label: t('accounts.network'),
      control: (attrs, value, set) => html`<select ...${attrs} value=${value} onChange=${(e) => set(e.currentTarget.value)}>
        <option value="vk">${t('network.vk')}</option><option value="telegram">${t('network.telegram')}</option></select>` },
    address: { label: t('accounts.address'), control: input('url') },
    external_id: { label: t('accounts.external_id'), control: input('text') },
  };
  const post = (v) => api('POST', `/api/v1/orgs/${encodeURIComponent(org)}/accounts`,
    { network: v.network, address: optional(v.address), external_id: optional(v.external_id), verified: true });
  return html`<${DecisionForm} id="account-new" title=${t('accounts.register')} submitLabel=${t('accounts.register')}
    fields=${fields} initial=${{ network: 'vk' }} post=${post} done=${done} />`;
}

/** A datetime-local value (the reader's zone) as RFC 3339. */
const instant = (local) => (local ? new Date(local).toISOString() : undefined);

function ContentPlan({ account, manages, setNotice }) {
  const pages = usePages(`/api/v1/accounts/${account.id}/posts`);
  const approve = (post) => api('POST', `/api/v1/posts/${post.id}/approve`, {}).then(
    () => { setNotice({ text: t('accounts.post.approved') }); pages.reload(); },
    (error) => setNotice({ error }));
  const fields = {
    text: { label: t('accounts.post.text'), control: (attrs, value, set) => html`<textarea ...${attrs} rows="5" value=${value}
      onInput=${(e) => set(e.currentTarget.value)}></textarea>` },
    publish_at: { label: t('accounts.post.publish_at'), control: input('datetime-local') },
  };
  const post = (v) => api('POST', `/api/v1/accounts/${account.id}/posts`, { text: optional(v.text), publish_at: instant(v.publish_at) });
  /* a saved post leaves an empty form for the next one (a new form: a new round) */
  const [round, setRound] = useState(0);
  const written = () => { setNotice({ text: t('accounts.post.saved') }); pages.reload(); setRound((r) => r + 1); };
  return html`<section aria-labelledby=${`plan-${account.id}`}>
    <h3 id=${`plan-${account.id}`}>${t('accounts.plan.of', { address: account.address })}</h3>
    <${ProblemNotice} error=${pages.error} />
    ${pages.items.length === 0 ? html`<p>${t('accounts.plan.empty')}</p>` : html`<table>
      <thead><tr><th scope="col">${t('accounts.post.text')}</th><th scope="col">${t('accounts.post.publish_at')}</th>
        <th scope="col">${t('accounts.post.status')}</th>${manages && html`<th scope="col"><span class="visually-hidden">${t('accounts.post.approve')}</span></th>`}</tr></thead>
      <tbody>${pages.items.map((p) => html`<tr key=${p.id}><td>${p.text}</td><td>${when(p.publish_at)}</td>
        <td>${t(`post.${p.status}`)}${p.published_at ? `, ${when(p.published_at)}` : ''}</td>
        ${manages && html`<td>${p.status === 'draft' && html`<button type="button" onClick=${() => approve(p)}>${t('accounts.post.approve')}</button>`}</td>`}</tr>`)}</tbody>
    </table>`}
    <${DecisionForm} key=${round} id=${`post-new-${account.id}`} title=${t('accounts.post.write')} submitLabel=${t('accounts.post.save')}
      fields=${fields} initial=${{}} post=${post} done=${written} />
  </section>`;
}

export function AccountsPageOf({ org, roles }) {
  const pages = usePages(`/api/v1/orgs/${encodeURIComponent(org)}/accounts`);
  const [chosen, setChosen] = useState(null);
  const [notice, setNotice] = useState(null);
  const manages = roles.includes('manager');
  const registers = manages || roles.includes('admin');
  const account = pages.items.find((a) => a.id === chosen);
  const share = (s) => (s === null || s === undefined ? t('incidents.none') : `${Math.round(s * 100)} %`);
  return html`<section aria-labelledby="accounts-title">
    <h2 id="accounts-title">${t('accounts.title')}</h2>
    <div role="status">${notice?.text && html`<p class="notice">${notice.text}</p>`}</div>
    <${ProblemNotice} error=${notice?.error ?? pages.error} />
    ${pages.items.length === 0 ? html`<p>${pages.loaded ? t('accounts.empty') : t('app.loading')}</p>` : html`<table>
      <thead><tr><th scope="col">${t('accounts.network')}</th><th scope="col">${t('accounts.address')}</th>
        <th scope="col">${t('accounts.verified')}</th><th scope="col">${t('accounts.activity')}</th>
        <th scope="col"><span class="visually-hidden">${t('accounts.plan')}</span></th></tr></thead>
      <tbody>${pages.items.map((a) => html`<tr key=${a.id}><td>${t(`network.${a.network}`)}</td><td>${a.address}</td>
        <td>${a.verified ? t('accounts.yes') : t('accounts.no')}</td>
        <td>${t('accounts.activity.text', { posts: a.activity?.posts_week ?? 0, incidents: a.activity?.incidents_month ?? 0, share: share(a.activity?.answered_share) })}</td>
        <td><button type="button" class="secondary" aria-pressed=${chosen === a.id ? 'true' : 'false'}
          onClick=${() => setChosen(a.id)}>${t('accounts.plan')}: ${a.address}</button></td></tr>`)}</tbody>
    </table>`}
    ${account && html`<${ContentPlan} key=${account.id} account=${account} manages=${manages} setNotice=${setNotice} />`}
    ${registers && html`<${RegisterForm} org=${org} done=${() => { setNotice({ text: t('accounts.registered') }); pages.reload(); }} />`}
  </section>`;
}
