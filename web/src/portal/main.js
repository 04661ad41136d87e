// main.js - the citizens' portal at / on the platform's origin: the home page,
// "Сообщить о проблеме", the personal cabinet and participation. The page is
// kept in the address's fragment (#/report, #/my, #/my/messages/<id>,
// #/my/notifications, #/my/profile, #/participate, #/voting[/<id>],
// #/poll[/<id>], #/discussion[/<id>]), so a reload or a shared link opens the
// same view; nginx serves one file at /. Who is logged in: /api/v1/me with the
// session cookie.
import './words.js';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { ProblemNotice } from '../shared/form.js';
import { html } from '../shared/html.js';
import { addWords, language, setLanguage, t } from '../shared/i18n.js';
import { LoginPrompt, loginHref } from './common.js';
import { MyMessage, MyMessages, MyTabs } from './my.js';
import { useUnread } from '../shared/notifications.js';
import { MyNotifications, MyProfile } from './mine.js';
import { Catalogue, DiscussionPage, KINDS, OpenItems, PollPage, VotingPage } from './participate.js';
import { Report } from './report.js';

function parseHash() {
  const [page = '', a = '', b = ''] = location.hash.replace(/^#\/?/, '').split('?')[0].split('/').map(decodeURIComponent);
  return { page, a, b };
}

function Home({ me, unread }) {
  return html`<section class="hero">
      <h1 tabindex="-1">${t('p.home.title')}</h1>
      <p class="lead">${t('p.home.lead')}</p>
      <p class="row">
        <a class="button button--large" href="#/report">${t('p.home.report')}</a>
        <a class="button button--secondary" href="#/my">${t('p.home.my')}${unread > 0 ? ` (${t('p.notif.unread', { n: unread })})` : ''}</a>
      </p>
    </section>
    <section aria-labelledby="current">
      <h2 id="current">${t('p.home.current')}</h2>
      <ul class="cards">${KINDS.map((k) => html`<${OpenItems} ...${k} me=${me.person} />`)}</ul>
      <p><a href="#/participate">${t('p.home.all')}</a></p>
    </section>
    <section aria-labelledby="how">
      <h2 id="how">${t('p.home.how')}</h2>
      <ol class="steps"><li>${t('p.home.step1')}</li><li>${t('p.home.step2')}</li><li>${t('p.home.step3')}</li></ol>
    </section>`;
}

function Cabinet({ view, me, unread, reloadMe }) {
  if (me.state === 'out') return html`<h1 tabindex="-1">${t('p.my.title')}</h1><${LoginPrompt} />`;
  if (me.state !== 'in') return html`<h1 tabindex="-1">${t('p.my.title')}</h1><p>${t('app.loading')}</p>`;
  if (view.a === 'messages' && view.b) return html`<${MyMessage} id=${Number(view.b)} />`;
  const tab = ['notifications', 'profile'].includes(view.a) ? view.a : 'messages';
  let content = html`<${MyMessages} />`;
  if (tab === 'notifications') content = html`<${MyNotifications} />`;
  if (tab === 'profile') content = html`<${MyProfile} me=${me.person} onChanged=${reloadMe} />`;
  return html`<h1 tabindex="-1">${t('p.my.title')}</h1><p class="hint">${me.person.name}</p>
    <${MyTabs} current=${tab} unread=${unread} />${content}`;
}

const PAGES = {
  '': Home,
  report: ({ me }) => html`<${Report} me=${me} />`,
  my: Cabinet,
  participate: ({ me }) => html`<${Catalogue} me=${me.person} />`,
  voting: ({ view, me }) => html`<${VotingPage} id=${Number(view.a) || null} me=${me} />`,
  poll: ({ view, me }) => html`<${PollPage} id=${Number(view.a) || null} me=${me} />`,
  discussion: ({ view, me }) => html`<${DiscussionPage} id=${Number(view.a) || null} me=${me} />`,
};
const SECTION = { '': 'home', report: 'report', my: 'my', participate: 'participate', voting: 'participate', poll: 'participate', discussion: 'participate' };

function App() {
  const [lang, setLang] = useState(language());
  const [me, setMe] = useState({ state: 'loading' });
  const [view, setView] = useState(parseHash());
  const loadMe = () => api('GET', '/api/v1/me').then((person) => setMe({ state: 'in', person }),
    (error) => setMe({ state: error.status === 401 ? 'out' : 'error', error }));
  useEffect(() => {
    loadMe();
    let first = true;
    const onHash = () => {
      setView(parseHash());
      // a new page: its heading takes the focus (read out), as a page load would
      if (!first) requestAnimationFrame(() => { scrollTo(0, 0); document.querySelector('main h1')?.focus(); });
      first = false;
    };
    addEventListener('hashchange', onHash);
    onHash();
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const unread = useUnread('/api/v1/my/notifications', me.state === 'in');
  const switchLanguage = async () => {
    const next = lang === 'ru' ? 'en' : 'ru';
    if (next === 'en') await english();
    setLanguage(next);
    setLang(language());
  };
  const logout = () => api('POST', '/auth/logout').finally(() => setMe({ state: 'out' }));
  const Page = PAGES[view.page];
  const section = SECTION[view.page];
  useEffect(() => { document.title = `${document.querySelector('main h1')?.textContent || t('p.site')} — ${t('p.site')}`; });
  const link = (id, href, label) => html`<li><a href=${href} aria-current=${section === id ? 'page' : undefined}>${label}</a></li>`;
  return html`<a class="skip" href="#main" onClick=${(e) => { e.preventDefault(); document.getElementById('main').focus(); }}>${t('p.skip')}</a>
    <header class="top">
      <a class="brand" href="#/"><span class="logo" aria-hidden="true">О</span> ${t('p.site')}<span class="tagline">${t('p.tagline')}</span></a>
      <div class="who">
        <button type="button" class="link" lang=${lang === 'ru' ? 'en' : 'ru'} aria-label=${t('app.language.label')} onClick=${switchLanguage}>${t('app.language')}</button>
        ${me.state === 'in' && html`<span class="name">${me.person.name}</span>
          <button type="button" class="secondary" onClick=${logout}>${t('p.logout')}</button>`}
        ${me.state === 'out' && html`<a class="button" href=${loginHref()}>${t('p.login')}</a>`}
      </div>
      <nav aria-label=${t('p.nav')}><ul>
        ${link('home', '#/', t('p.nav.home'))}
        ${link('report', '#/report', t('p.nav.report'))}
        ${link('my', '#/my', html`${t('p.nav.my')}${unread > 0 && html` <span class="count">${unread}<span class="visually-hidden"> ${t('p.notif.new')}</span></span>`}`)}
        ${link('participate', '#/participate', t('p.nav.participate'))}
      </ul></nav>
    </header>
    <main id="main" tabindex="-1">
      ${me.state === 'error' && html`<${ProblemNotice} error=${me.error} />`}
      ${Page ? html`<${Page} view=${view} me=${me} unread=${unread} reloadMe=${loadMe} />`
        : html`<h1 tabindex="-1">${t('p.not_found')}</h1><p><a href="#/">${t('p.nav.home')}</a></p>`}
    </main>
    <footer class="foot"><p>${t('p.site')} · ${t('p.tagline')}</p></footer>`;
}

/** The English words (a chunk); without them the page stays readable in Russian. */
function english() {
  return import('./words-en.js').then((words) => addWords(words.default), () => {});
}

(language() === 'en' ? english() : Promise.resolve()).then(() => {
  setLanguage(language());
  render(html`<${App} />`, document.getElementById('app'));
});
