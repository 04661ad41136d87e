// participate.js - votings, polls and discussions: the catalogue of the
// visitor's territory (and those above it), a voting with its project cards,
// the choices and budget left while choosing, the ballot and the results; a
// poll with its questions and results; a discussion with its document,
// comments, comment form and final report. Without an id, the one actually
// open is shown (the catalogue's first open item). The poll's free-text
// answers are shown to its organisation's staff (the API gives them only
// to them).
import { useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
import { described, ErrorSummary, Field, ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { t, when } from '../shared/i18n.js';
import { Bars, day, LoginPrompt, money, stateText, tn, useLoad } from './common.js';

export const KINDS = [
  { kind: 'voting', path: '/api/v1/votings', title: 'p.part.votings' },
  { kind: 'poll', path: '/api/v1/polls', title: 'p.part.polls' },
  { kind: 'discussion', path: '/api/v1/discussions', title: 'p.part.discussions' },
];

/** One catalogue's items of the visitor's territory and those above it (all
 * for a visitor without one), open first, then upcoming, then finished. */
export function useCatalogue(path, me, state, limit = 50) {
  const list = useLoad(path && withQuery(path, { territory: me?.territory?.code, state, limit }));
  return { ...list, items: list.data?.items ?? [] };
}

function Item({ kind, item }) {
  return html`<li class="card" key=${item.id}>
    <p class="kind">${t(`p.kind.${kind}`)}</p>
    <h3><a href=${`#/${kind}/${item.id}`}>${item.title}</a></h3>
    <p class=${`state state--${item.state}`}>${stateText(item)}</p>
    ${item.territory && html`<p class="hint">${item.territory.name}</p>`}
  </li>`;
}

/** The items of one kind that are open now (the home page's "Сейчас идут"). */
export function OpenItems({ kind, path, me }) {
  const list = useCatalogue(path, me, 'open');
  return list.items.map((x) => html`<${Item} kind=${kind} item=${x} />`);
}

function CatalogueSection({ kind, path, title, me }) {
  const list = useCatalogue(path, me);
  const { items } = list;
  return html`<section aria-labelledby=${`cat-${kind}`}>
    <h2 id=${`cat-${kind}`}>${t(title)}</h2>
    <${ProblemNotice} error=${list.error} />
    ${!list.loading && !list.error && items.length === 0 && html`<p>${t('p.part.empty')}</p>`}
    <ul class="cards">${items.map((x) => html`<${Item} kind=${kind} item=${x} />`)}</ul>
  </section>`;
}

export function Catalogue({ me }) {
  return html`<h1 tabindex="-1">${t('p.part.title')}</h1><p class="lead">${t('p.part.lead')}</p>
    <p>${me?.territory ? t('p.part.territory', { name: me.territory.name }) : html`${t('p.part.everywhere')} ${me
      && html`<a href="#/my/profile">${t('p.part.choose')}</a>`}`}</p>
    ${KINDS.map((k) => html`<${CatalogueSection} ...${k} me=${me} />`)}`;
}

/** The id to show: the one given, else the one open now in the visitor's
 * territory (the catalogue puts open ones first). me is the page's login state
 * ({state, person}): the choice waits until the person is known, so that a
 * territory is not missed for the first answer to arrive. */
function useChosen(id, path, me) {
  const known = me.state !== 'loading';
  const list = useCatalogue(id || !known ? null : path, me.person, 'open', 1);
  if (!id && !known) return { id: null, loading: true };
  if (id) return { id, loading: false };
  return { id: list.items[0]?.id ?? null, loading: list.loading, error: list.error };
}

function NoneOpen({ chosen }) {
  if (chosen.loading) return html`<p>${t('app.loading')}</p>`;
  if (chosen.error) return html`<${ProblemNotice} error=${chosen.error} />`;
  return html`<p>${t('p.part.none_open')} <a href="#/participate">${t('p.home.all')}</a></p>`;
}

/* ------------------------------------------------------------------ voting */

function VotingResults({ voting, version }) {
  const visible = voting.results === 'live' || voting.state === 'finished';
  const results = useLoad(visible ? `/api/v1/votings/${voting.id}/results` : null, [version]);
  if (!visible) return html`<section aria-labelledby="results"><h2 id="results">${t('p.results')}</h2>
    <p>${t('p.results.later', { date: when(voting.closes_at) })}</p></section>`;
  const r = results.data;
  return html`<section aria-labelledby="results" aria-busy=${results.loading ? 'true' : 'false'}>
    <h2 id="results">${t('p.results')}</h2>
    <${ProblemNotice} error=${results.error} />
    ${r && html`<p>${r.final ? t('p.results.final') : t('p.results.live')} ${tn('p.voters', r.voters)}.</p>
      <${Bars} whole=${r.voters} rows=${r.projects.map((p) => ({ id: p.id, label: p.title, count: p.votes }))} />`}
  </section>`;
}

function Ballot({ voting, onVoted }) {
  const [chosen, setChosen] = useState([]);
  const [state, submit] = useSubmit((body) => api('POST', `/api/v1/votings/${voting.id}/ballots`, body), onVoted);
  const costOf = (ids) => ids.reduce((sum, id) => sum + voting.projects.find((p) => p.id === id).cost, 0);
  const choicesLeft = voting.max_choices - chosen.length;
  const budgetLeft = voting.budget - costOf(chosen);
  const fits = (p) => chosen.includes(p.id) || (choicesLeft > 0 && p.cost <= budgetLeft);
  const toggle = (id) => setChosen(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id]);
  const errors = state.error?.fields ?? {};
  return html`<form id="ballot" novalidate onSubmit=${(e) => { e.preventDefault(); submit({ project_ids: chosen }); }}>
    <${ErrorSummary} form="ballot" error=${Object.keys(errors).length ? state.error : null} labels=${{ project_ids: t('field.project_ids') }} />
    ${!Object.keys(errors).length && html`<${ProblemNotice} error=${state.error} />`}
    <fieldset id="ballot-project_ids" tabindex="-1">
      <legend><h2>${t('p.vote.projects')}</h2></legend>
      <div class="tally" role="status" aria-live="polite">
        <p><strong>${t('p.vote.chosen', { n: chosen.length, max: voting.max_choices })}</strong></p>
        <p id="left">${t('p.vote.left', { choices: tn('p.projects', choicesLeft), budget: money(budgetLeft) })}</p>
      </div>
      <ul class="projects">${voting.projects.map((p) => html`<li key=${p.id} class=${`project${chosen.includes(p.id) ? ' project--chosen' : ''}`}>
        ${p.photo_ids?.length > 0 && html`<img src=${`/api/v1/attachments/${p.photo_ids[0]}`} alt="" />`}
        <h3>${p.title}</h3>
        ${p.description && html`<p>${p.description}</p>`}
        <dl class="facts">
          <div><dt>${t('p.vote.cost')}</dt><dd>${money(p.cost)}</dd></div>
          ${p.address && html`<div><dt>${t('p.vote.address')}</dt><dd>${p.address}</dd></div>`}
        </dl>
        <label class="choose"><input type="checkbox" name="project" value=${p.id} checked=${chosen.includes(p.id)}
          disabled=${!fits(p)} onChange=${() => toggle(p.id)} /> ${t('p.vote.choose', { title: p.title })}</label>
      </li>`)}</ul>
    </fieldset>
    <button type="submit" disabled=${state.busy || chosen.length === 0}>${t('p.vote.send')}</button>
  </form>`;
}

function VotingBody({ id, me }) {
  const voting = useLoad(`/api/v1/votings/${id}`);
  const [version, setVersion] = useState(0);
  const loggedIn = me.state === 'in';
  const ballot = useLoad(loggedIn ? `/api/v1/votings/${id}/ballot` : null, [version], null);
  if (voting.error) return html`<${ProblemNotice} error=${voting.error} />`;
  const v = voting.data;
  if (!v) return html`<p>${t('app.loading')}</p>`;
  let action;
  if (v.state === 'upcoming') action = html`<p class="notice">${t('p.vote.upcoming', { date: when(v.opens_at) })}</p>`;
  else if (v.state !== 'open') action = html`<p class="notice">${t('p.vote.closed')}</p>`;
  else if (me.state === 'out') action = html`<${LoginPrompt} text=${t('p.vote.login')} />`;
  else if (ballot.loading) action = html`<p>${t('app.loading')}</p>`;
  else if (ballot.data) action = html`<p class="notice" role="status">${version > 0 ? t('p.vote.done') : t('p.vote.already')}</p>`;
  else action = html`<${Ballot} voting=${v} onVoted=${() => setVersion(version + 1)} />`;
  return html`<h1 tabindex="-1">${v.title}</h1>
    ${v.description && html`<p class="lead">${v.description}</p>`}
    <p>${t('p.vote.period', { from: day(v.opens_at), to: day(v.closes_at) })}</p>
    <p><strong>${t('p.vote.rules', { max: tn('p.upto_projects', v.max_choices), budget: money(v.budget) })}</strong></p>
    ${v.residents_only && html`<p class="hint">${t('p.vote.residents')}</p>`}
    ${action}
    <${VotingResults} voting=${v} version=${version} />`;
}

export function VotingPage({ id, me }) {
  const chosen = useChosen(id, '/api/v1/votings', me);
  if (!chosen.id) return html`<h1 tabindex="-1">${t('p.kind.voting')}</h1><${NoneOpen} chosen=${chosen} />`;
  return html`<${VotingBody} key=${chosen.id} id=${chosen.id} me=${me} />`;
}

/* -------------------------------------------------------------------- poll */

function PollResults({ id, version }) {
  const results = useLoad(`/api/v1/polls/${id}/results`, [version]);
  const r = results.data;
  if (results.error?.status === 401 || results.error?.status === 403) return null;
  return html`<section aria-labelledby="results" aria-busy=${results.loading ? 'true' : 'false'}>
    <h2 id="results">${t('p.results')}</h2>
    <${ProblemNotice} error=${results.error} />
    ${r && html`<p>${tn('p.respondents', r.respondents)}.</p>
      ${r.questions.map((q) => html`<h3>${q.text}</h3>${q.kind === 'text'
        ? html`<p>${tn('p.text_answers', q.text_answers ?? 0)}.</p>${q.answers && html`<${TextAnswers} answers=${q.answers} />`}`
        : html`<${Bars} whole=${r.respondents} rows=${q.options.map((o) => ({ id: o.id, label: o.text, count: o.votes }))} />`}`)}`}
  </section>`;
}

/** A free-text question's answers, newest first: only the poll's own staff get them. */
function TextAnswers({ answers }) {
  return html`<details class="answers" open>
    <summary>${t('p.poll.answers')}</summary>
    <ul class="comments">${answers.map((a, i) => html`<li key=${i}><blockquote>${a.text}</blockquote>
      <span class="hint">${when(a.created_at)}</span></li>`)}</ul>
  </details>`;
}

function PollForm({ poll, onAnswered }) {
  const [answers, setAnswers] = useState({});
  const [state, submit] = useSubmit((body) => api('POST', `/api/v1/polls/${poll.id}/responses`, body), onAnswered);
  const set = (q, value) => setAnswers({ ...answers, [q.id]: value });
  const toggle = (q, id) => { const now = answers[q.id] ?? []; set(q, now.includes(id) ? now.filter((x) => x !== id) : [...now, id]); };
  const body = () => ({ answers: poll.questions.flatMap((q) => {
    const a = answers[q.id];
    if (q.kind === 'text') return a?.trim() ? [{ question_id: q.id, text: a.trim() }] : [];
    const ids = q.kind === 'single' ? (a ? [a] : []) : a ?? [];
    return ids.length ? [{ question_id: q.id, option_ids: ids }] : [];
  }) });
  const errors = state.error?.fields ?? {};
  const already = state.error?.status === 409;
  if (already) return html`<p class="notice" role="status">${t('p.poll.already')}</p>`;
  return html`<form id="poll" novalidate onSubmit=${(e) => { e.preventDefault(); submit(body()); }}>
    <${ErrorSummary} form="poll" error=${Object.keys(errors).length ? state.error : null} labels=${{ answers: t('field.answers') }} />
    ${!Object.keys(errors).length && html`<${ProblemNotice} error=${state.error} />`}
    <div id="poll-answers" tabindex="-1">
    ${poll.questions.map((q) => (q.kind === 'text'
      ? html`<${Field} form="poll" name=${`q${q.id}`} label=${q.text}>
          <textarea rows="3" id=${`poll-q${q.id}`} value=${answers[q.id] ?? ''} onInput=${(e) => set(q, e.currentTarget.value)}></textarea>
        </${Field}>`
      : html`<fieldset class="field question"><legend>${q.text}${q.required && html` <span class="hint">(${t('p.poll.required')})</span>`}</legend>
          ${q.options.map((o) => html`<label class="check"><input type=${q.kind === 'single' ? 'radio' : 'checkbox'} name=${`q${q.id}`}
            checked=${q.kind === 'single' ? answers[q.id] === o.id : (answers[q.id] ?? []).includes(o.id)}
            onChange=${() => (q.kind === 'single' ? set(q, o.id) : toggle(q, o.id))} /> ${o.text}</label>`)}
        </fieldset>`))}
    </div>
    <button type="submit" disabled=${state.busy}>${t('p.poll.send')}</button>
  </form>`;
}

function PollBody({ id, me }) {
  const poll = useLoad(`/api/v1/polls/${id}`);
  const [version, setVersion] = useState(0);
  if (poll.error) return html`<${ProblemNotice} error=${poll.error} />`;
  const p = poll.data;
  if (!p) return html`<p>${t('app.loading')}</p>`;
  let action;
  if (p.state === 'upcoming') action = html`<p class="notice">${t('p.state.upcoming', { date: when(p.opens_at) })}</p>`;
  else if (p.state !== 'open') action = html`<p class="notice">${t('p.poll.closed')}</p>`;
  else if (me.state === 'out') action = html`<${LoginPrompt} text=${t('p.poll.login')} />`;
  else if (version > 0) action = html`<p class="notice" role="status">${t('p.poll.done')}</p>`;
  else action = html`<${PollForm} poll=${p} onAnswered=${() => setVersion(version + 1)} />`;
  return html`<h1 tabindex="-1">${p.title}</h1>
    ${p.description && html`<p class="lead">${p.description}</p>`}
    <p>${t('p.poll.period', { from: day(p.opens_at), to: day(p.closes_at) })}</p>
    ${action}
    ${me.state === 'in' && html`<${PollResults} id=${id} version=${version} />`}`;
}

export function PollPage({ id, me }) {
  const chosen = useChosen(id, '/api/v1/polls', me);
  if (!chosen.id) return html`<h1 tabindex="-1">${t('p.kind.poll')}</h1><${NoneOpen} chosen=${chosen} />`;
  return html`<${PollBody} key=${chosen.id} id=${chosen.id} me=${me} />`;
}

/* -------------------------------------------------------------- discussion */

function CommentForm({ id, onSent }) {
  const [text, setText] = useState('');
  const [sent, setSent] = useState(null);
  const [state, submit] = useSubmit((body) => api('POST', `/api/v1/discussions/${id}/comments`, body), (c) => { setSent(c); setText(''); onSent(c); });
  const error = state.error?.fields?.text;
  return html`<form id="comment" class="action" novalidate onSubmit=${(e) => { e.preventDefault(); setSent(null); submit({ text }); }}>
    <h2>${t('p.disc.form')}</h2>
    <${ErrorSummary} form="comment" error=${error ? state.error : null} labels=${{ text: t('p.disc.text') }} />
    ${!error && html`<${ProblemNotice} error=${state.error} />`}
    <${Field} form="comment" name="text" label=${t('p.disc.text')} hint=${t('p.disc.text.hint')} error=${error}>
      <textarea rows="4" ...${described('comment', 'text', true, error)} value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    </${Field}>
    <button type="submit" disabled=${state.busy}>${t('p.disc.send')}</button>
    <p role="status">${sent && t('p.disc.sent', { status: t(`p.comment.${sent.status}`) })}</p>
  </form>`;
}

function DiscussionBody({ id, me }) {
  const discussion = useLoad(`/api/v1/discussions/${id}`);
  const comments = useLoad(`/api/v1/discussions/${id}/comments`);
  const [mine, setMine] = useState([]);
  if (discussion.error) return html`<${ProblemNotice} error=${discussion.error} />`;
  const d = discussion.data;
  if (!d) return html`<p>${t('app.loading')}</p>`;
  const published = comments.data?.items ?? [];
  let action;
  if (d.state === 'upcoming') action = html`<p class="notice">${t('p.state.upcoming', { date: when(d.opens_at) })}</p>`;
  else if (d.state !== 'open') action = html`<p class="notice">${t('p.disc.closed')}</p>`;
  else if (me.state === 'out') action = html`<${LoginPrompt} text=${t('p.disc.login')} />`;
  else action = html`<${CommentForm} id=${id} onSent=${(c) => setMine([c, ...mine])} />`;
  return html`<h1 tabindex="-1">${d.title}</h1>
    <p>${t('p.disc.period', { from: day(d.opens_at), to: day(d.closes_at) })}</p>
    <section aria-labelledby="document"><h2 id="document">${t('p.disc.document')}</h2>
      <div class="document">${d.document}</div></section>
    ${d.report && html`<section class="panel panel--ok" aria-labelledby="report"><h2 id="report">${t('p.disc.report')}</h2>
      <p class="hint">${t('p.disc.report.date', { date: day(d.report_published_at) })}</p>
      <div class="document">${d.report}</div></section>`}
    ${action}
    ${mine.length > 0 && html`<ul class="comments">${mine.map((c) => html`<li key=${c.id}><blockquote>${c.text}</blockquote>
      <span class=${`comment-status comment-status--${c.status}`}>${t(`p.comment.${c.status}`)}</span></li>`)}</ul>`}
    <section aria-labelledby="comments"><h2 id="comments">${t('p.disc.comments')}</h2>
      <${ProblemNotice} error=${comments.error} />
      ${!comments.loading && published.length === 0 && html`<p>${t('p.disc.comments.none')}</p>`}
      <ul class="comments">${published.map((c) => html`<li key=${c.id}><blockquote>${c.text}</blockquote>
        <span class="hint">${when(c.created_at)}</span></li>`)}</ul>
    </section>`;
}

export function DiscussionPage({ id, me }) {
  const chosen = useChosen(id, '/api/v1/discussions', me);
  if (!chosen.id) return html`<h1 tabindex="-1">${t('p.kind.discussion')}</h1><${NoneOpen} chosen=${chosen} />`;
  return html`<${DiscussionBody} key=${chosen.id} id=${chosen.id} me=${me} />`;
}
