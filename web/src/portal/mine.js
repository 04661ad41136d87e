// mine.js - the rest of the personal cabinet: notifications (the unread count,
// mark one or all read) and the profile (name, municipality) with my ballots,
// poll answers and discussion comments (mine in moderation or rejected too,
// with the reason). The municipalities come from the public territory tree.
import { useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { described, ErrorSummary, Field, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';
import { useNotifications } from '../shared/notifications.js';
import { useLoad } from './common.js';

export function MyNotifications() {
  const { items, unread, next, loading, error, more, read, readAll } = useNotifications('/api/v1/my/notifications');
  return html`<section aria-labelledby="notifications" aria-busy=${loading ? 'true' : 'false'}>
    <h2 id="notifications">${t('p.notif.title')}</h2>
    <${ProblemNotice} error=${error} />
    <p role="status">${!loading && t('p.notif.unread', { n: unread })}</p>
    ${unread > 0 && html`<button type="button" class="secondary" onClick=${readAll}>${t('p.notif.read_all')}</button>`}
    ${!loading && !error && items.length === 0 && html`<p>${t('p.notif.empty')}</p>`}
    <ul class="notifications">${items.map((n) => html`<li key=${n.id} class=${n.read ? '' : 'unread'}>
      <div><a href=${`#/my/messages/${n.message_id}`} onClick=${() => !n.read && read(n)}>${n.title}</a>
        ${!n.read && html` <span class="tag">${t('p.notif.new')}</span>`}</div>
      <div class="hint">${t('p.notif.about', { id: n.message_id })} · ${when(n.created_at)}</div>
      ${!n.read && html`<button type="button" class="link" onClick=${() => read(n)}
        aria-label=${`${t('p.notif.read')}: ${n.title}`}>${t('p.notif.read')}</button>`}
    </li>`)}</ul>
    ${next && !loading && html`<button type="button" class="secondary" onClick=${more}>${t('p.my.more')}</button>`}
  </section>`;
}

/** The municipalities and settlements a citizen may pick (the public territory tree), by name. */
function Territory({ me, onSaved }) {
  const territories = useLoad('/api/v1/public/territories');
  const [code, setCode] = useState(me.territory?.code ?? '');
  const [saved, setSaved] = useState(false);
  const [state, submit] = useSubmit((body) => api('PATCH', '/api/v1/me', body), () => { setSaved(true); onSaved(); });
  const form = 'territory';
  const error = state.error?.fields?.territory;
  const all = territories.data?.items ?? [];
  const regions = Object.fromEntries(all.filter((x) => x.kind === 'region').map((x) => [x.code, x.name]));
  const local = all.filter((x) => x.kind !== 'region');
  return html`<form id=${form} class="action" novalidate onSubmit=${(e) => { e.preventDefault(); setSaved(false); submit({ territory: code }); }}>
    <h3>${t('p.profile.choose')}</h3>
    <${ErrorSummary} form=${form} error=${error ? state.error : null} labels=${{ territory: t('field.territory') }} />
    ${!error && html`<${ProblemNotice} error=${state.error ?? territories.error} />`}
    <${Field} form=${form} name="territory" label=${t('p.profile.territory')} hint=${t('p.profile.territory.hint')} error=${error}>
      <select ...${described(form, 'territory', true, error)} value=${code} onChange=${(e) => setCode(e.currentTarget.value)}>
        <option value="">${t('p.profile.territory.none')}</option>
        ${local.map((x) => html`<option value=${x.code}>${x.name}${regions[x.parent] ? ` (${regions[x.parent]})` : ''}</option>`)}
      </select>
    </${Field}>
    <button type="submit" disabled=${state.busy || !code}>${t('p.profile.save')}</button>
    <p role="status">${saved ? t('p.profile.saved') : ''}</p>
  </form>`;
}

/** One of my participation lists (GET /api/v1/my/...), newest first. */
function Mine({ id, title, path, render }) {
  const list = useLoad(withQuery(path, { limit: 100 }));
  const items = list.data?.items ?? [];
  return html`<section aria-labelledby=${id} aria-busy=${list.loading ? 'true' : 'false'}>
    <h3 id=${id}>${title}</h3>
    <${ProblemNotice} error=${list.error} />
    ${!list.loading && !list.error && items.length === 0 && html`<p>${t('p.mine.none')}</p>`}
    <ul class="mine">${items.map((x, i) => html`<li key=${x.id ?? i}>${render(x)}</li>`)}</ul>
  </section>`;
}

const linked = (kind, item) => html`<a href=${`#/${kind}/${item.id}`}>${item.title}</a>`;

function MyComment({ c }) {
  return html`${linked('discussion', c.discussion)}
    <blockquote>${c.text}</blockquote>
    <p><span class=${`comment-status comment-status--${c.status}`}>${t(`p.comment.${c.status}`)}</span>
      ${c.status === 'rejected' && c.reason_title && html` · ${t('p.mine.reason', { reason: c.reason_title })}`}
      <span class="hint"> · ${when(c.created_at)}</span></p>`;
}

export function MyProfile({ me, onChanged }) {
  return html`<section aria-labelledby="profile">
    <h2 id="profile">${t('p.profile.title')}</h2>
    <dl class="facts">
      <div><dt>${t('p.profile.name')}</dt><dd>${me.name}</dd></div>
      <div><dt>${t('p.profile.territory')}</dt><dd>${me.territory?.name ?? t('p.profile.territory.none')}</dd></div>
    </dl>
    <${Territory} me=${me} onSaved=${onChanged} />
  </section>
  <section aria-labelledby="mine">
    <h2 id="mine">${t('p.mine.title')}</h2>
    <${Mine} id="mine-ballots" title=${t('p.mine.ballots')} path="/api/v1/my/ballots"
      render=${(x) => html`${linked('voting', x.voting)} <span class="hint">${t('p.mine.voted', { date: when(x.cast_at) })}</span>
        <ul class="chosen">${x.projects.map((p) => html`<li key=${p.id}>${p.title}</li>`)}</ul>`} />
    <${Mine} id="mine-responses" title=${t('p.mine.responses')} path="/api/v1/my/poll-responses"
      render=${(x) => html`${linked('poll', x.poll)} <span class="hint">${t('p.mine.answered', { date: when(x.created_at) })}</span>`} />
    <${Mine} id="mine-comments" title=${t('p.mine.comments')} path="/api/v1/my/comments" render=${(c) => html`<${MyComment} c=${c} />`} />
  </section>`;
}
