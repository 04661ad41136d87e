// frame.js - the widget's form, running on the platform's origin inside the
// agency page's iframe. It talks to the API on its own origin with a bearer
// token (third-party cookies are blocked here), gets that token from a login
// popup by postMessage, keeps the draft and its Idempotency-Key across
// network failures, and speaks to the parent page only at the origin the
// widget allows. A person may log in and read "my messages" before sending;
// a token near its end is renewed by logging in again, the draft untouched.
import { strings } from './i18n.js';

const key = decodeURIComponent(location.pathname.split('/').pop());
const hash = new URLSearchParams(location.hash.slice(1));
const lang = hash.get('lang') === 'en' ? 'en' : 'ru';
const t = strings[lang];
const app = document.getElementById('app');
const announcer = document.getElementById('announce');
const MAX_PHOTOS = 5;
const RENEW_MS = 5 * 60000; // a token this near its end is renewed before sending
let config = null;
let parentOrigin = null;
const photos = []; // {file, url, id?}: ids of uploads kept across a new login
let location_ = null;
let who = null; // the logged-in person's id (the token's sub): a new person's uploads are not ours
let drawAccount = () => {}; // the account row, drawn again after a login or a logout
let accountTimer = 0;

document.documentElement.lang = lang;

/* ---------------------------------------------------------------- helpers */

function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name in el && typeof value !== 'string') el[name] = value;
    else el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

function announce(message) {
  announcer.textContent = '';
  setTimeout(() => { announcer.textContent = message; }, 30);
}

function toParent(message) {
  if (parentOrigin && window.parent !== window) window.parent.postMessage(message, parentOrigin);
}

const storage = {
  get(name) { try { return JSON.parse(localStorage.getItem(`otklik.${name}`)); } catch { return null; } },
  set(name, value) { try { localStorage.setItem(`otklik.${name}`, JSON.stringify(value)); } catch { /* storage off */ } },
  drop(name) { try { localStorage.removeItem(`otklik.${name}`); } catch { /* storage off */ } },
};

/** Milliseconds the stored token has left (0 without one). */
function tokenLeft() {
  const saved = storage.get('session');
  return saved ? Math.max(0, saved.expires_at * 1000 - Date.now()) : 0;
}

/** The token, if it lives long enough for one request. */
function token() {
  return tokenLeft() > 30000 ? storage.get('session').token : null;
}

function subOf(tok) {
  try { return JSON.parse(atob(tok.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub; } catch { return null; }
}

class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || t.failed);
    this.status = status;
    this.body = body;
  }
}

/** Calls the API; throws Problem for an HTTP error and TypeError when offline. */
async function call(method, path, { json, body, type, headers = {} } = {}) {
  const h2 = { accept: 'application/json', 'accept-language': 'ru', ...headers };
  const tok = token();
  if (tok) h2.authorization = `Bearer ${tok}`;
  if (json !== undefined) { body = JSON.stringify(json); h2['content-type'] = 'application/json'; }
  if (type) h2['content-type'] = type;
  const res = await fetch(path, { method, headers: h2, body, credentials: 'omit', cache: 'no-store' });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401) { storage.drop('session'); drawAccount(); }
  if (!res.ok) throw new Problem(res.status, data);
  return data;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Retries fn while the network fails (not on HTTP errors), with backoff. */
async function withRetry(fn, onRetry) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof Problem && error.status !== 502 && error.status !== 503) throw error;
      onRetry(attempt);
      await sleep(Math.min(1000 * 2 ** attempt, 10000));
    }
  }
}

/* ------------------------------------------------------------------ login */

/** Logs in through the popup. The form and its draft stay as they are; only
 * uploads made by another person are forgotten (they would not be ours). */
function login() {
  return new Promise((resolve, reject) => {
    const returnTo = `${location.origin}/widget/frame/${encodeURIComponent(key)}`;
    const url = `/auth/esia/login?mode=popup&return_to=${encodeURIComponent(returnTo)}`;
    const popup = window.open(url, 'otklik-login', 'width=520,height=680');
    if (!popup) { reject(new Error(t.loginBlocked)); return; }
    // closed without logging in: give up (a second later, after any last message)
    const watch = setInterval(() => {
      if (popup.closed) { clearInterval(watch); setTimeout(() => reject(new Error(t.loginCancelled)), 1000); }
    }, 500);
    function receive(event) {
      if (event.origin !== location.origin || event.source !== popup) return;
      if (event.data?.type !== 'otklik:login') return;
      window.removeEventListener('message', receive);
      clearInterval(watch);
      const sub = subOf(event.data.token);
      if (who && sub !== who) photos.forEach((p) => { delete p.id; });
      who = sub;
      storage.set('session', { token: event.data.token, expires_at: event.data.expires_at });
      drawAccount();
      resolve();
    }
    window.addEventListener('message', receive);
  });
}

/** Runs fn logged in: logs in first without a token living renewMs more, and
 * once again if the session ends meanwhile (401). */
async function withLogin(fn, renewMs = 30000) {
  for (let again = 0; ; again++) {
    if (tokenLeft() <= renewMs) await login();
    try {
      return await fn();
    } catch (e) {
      if (again || !(e instanceof Problem && e.status === 401)) throw e;
    }
  }
}

async function logout() {
  try { await call('POST', '/auth/logout'); } catch { /* ended anyway */ }
  storage.drop('session');
  who = null;
  drawAccount();
}

/* ------------------------------------------------------------------ views */

function frameHeader(title) {
  return h('header', {},
    h('h1', { id: 'title', tabindex: '-1' }, title),
    h('button', { type: 'button', class: 'close', 'aria-label': t.close, onclick: () => toParent({ type: 'otklik:close' }) }, '×'));
}

function show(...nodes) {
  app.replaceChildren(...nodes);
  const first = app.querySelector('h1');
  if (first) first.focus();
}

function rubricOptions() {
  const options = [h('option', { value: '' }, t.chooseRubric)];
  for (const group of config.rubrics) {
    if (group.children.length === 0) options.push(h('option', { value: group.id }, group.title));
    else options.push(h('optgroup', { label: group.title }, group.children.map((c) => h('option', { value: c.id }, c.title))));
  }
  return options;
}

/** Shows a problem where the person is: under the account row, else aloud. */
function report(message) {
  const out = document.getElementById('account-error');
  if (out) out.textContent = message;
  announce(message);
}

/** The account row, before anything is sent: log in (again, when the token is
 * near its end), my messages, log out. Drawn again when that changes. */
function accountBar() {
  const bar = h('div', { id: 'account' });
  const draw = () => {
    clearTimeout(accountTimer);
    const left = tokenLeft();
    const loggedIn = left > 30000;
    const enter = () => login().then(() => { announce(t.loggedIn); bar.querySelector('button')?.focus(); }, (e) => report(e.message));
    bar.replaceChildren(...[
      left > RENEW_MS ? null : h('p', { class: 'notice' }, loggedIn ? t.renewNeeded : t.loginNeeded),
      h('div', { class: 'row' },
        left > RENEW_MS ? null : h('button', { type: 'button', id: 'login', onclick: enter }, loggedIn ? t.relogin : t.login),
        h('button', { type: 'button', id: 'mine', onclick: () => listView() }, t.mine),
        loggedIn ? h('button', { type: 'button', class: 'link', onclick: () => logout().then(() => { announce(t.loggedOut); bar.querySelector('button')?.focus(); }) }, t.logout) : null),
      h('div', { class: 'error', role: 'alert', id: 'account-error' })].filter(Boolean));
    // again when the token enters the renewal window, and when it ends
    const next = left > RENEW_MS ? left - RENEW_MS : left > 30000 ? left - 30000 : 0;
    if (next) accountTimer = setTimeout(drawAccount, Math.min(next + 1000, 2 ** 31 - 1));
  };
  drawAccount = () => { if (bar.isConnected) draw(); };
  draw();
  return bar;
}

const number = (n) => n.toLocaleString(lang, { maximumFractionDigits: 5 });
const dateOf = (iso) => new Date(iso).toLocaleDateString(lang, { day: 'numeric', month: 'long', year: 'numeric' });

function formView() {
  const draft = storage.get(`draft.${key}`) || {};
  const max = config.limits.text_max;
  const error = h('div', { class: 'error', role: 'alert', id: 'form-error' });
  const counter = h('div', { class: 'counter', id: 'text-counter', 'aria-live': 'polite' });
  const rubric = h('select', { id: 'rubric', name: 'rubric', required: true, 'aria-describedby': 'form-error' }, rubricOptions());
  const text = h('textarea', { id: 'text', name: 'text', required: true, maxlength: String(max), 'aria-describedby': 'text-hint text-counter' });
  const address = h('input', { id: 'address', name: 'address', type: 'text', maxlength: String(config.limits.address_max), autocomplete: 'street-address', 'aria-describedby': 'address-hint' });
  const locateStatus = h('span', { class: 'hint', id: 'locate-status' });
  const previews = h('ul', { class: 'previews', 'aria-label': t.photos });
  const file = h('input', { id: 'photos', name: 'photos', type: 'file', accept: 'image/jpeg,image/png', multiple: true, 'aria-describedby': 'photos-hint' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'send' }, t.send);
  rubric.value = draft.rubric_id ?? '';
  text.value = draft.text ?? '';
  address.value = draft.address ?? '';
  location_ ||= draft.location ?? null;

  const countUpdate = () => {
    const n = [...text.value].length;
    counter.textContent = t.counter(n, max);
    counter.classList.toggle('over', n > max * 0.9);
  };
  const saveDraft = () => storage.set(`draft.${key}`, { ...storage.get(`draft.${key}`), rubric_id: rubric.value, text: text.value, address: address.value, location: location_ });
  text.addEventListener('input', () => { countUpdate(); saveDraft(); });
  rubric.addEventListener('change', saveDraft);
  address.addEventListener('input', saveDraft);
  countUpdate();

  const renderPreviews = () => previews.replaceChildren(...photos.map((p, i) => h('li', {},
    h('img', { src: p.url, alt: p.file.name }),
    h('button', { type: 'button', 'aria-label': `${t.remove}: ${p.file.name}`, onclick: () => { URL.revokeObjectURL(p.url); photos.splice(i, 1); renderPreviews(); file.focus(); } }, '×'))));
  renderPreviews();
  file.addEventListener('change', () => {
    error.textContent = '';
    for (const f of file.files) {
      if (!['image/jpeg', 'image/png'].includes(f.type)) { error.textContent = `${t.badType}: ${f.name}`; continue; }
      if (f.size > config.limits.attachment_max_bytes) { error.textContent = `${t.tooBig}: ${f.name}`; continue; }
      if (photos.length >= MAX_PHOTOS) { error.textContent = t.tooMany; break; }
      photos.push({ file: f, url: URL.createObjectURL(f) });
    }
    file.value = '';
    renderPreviews();
  });

  // the location: told in words, with a way to clear it
  const unlocate = h('button', { type: 'button', class: 'link', id: 'unlocate', onclick: () => {
    location_ = null; saveDraft(); showLocation(''); locate.focus(); announce(t.unlocated);
  } }, t.unlocate);
  const showLocation = (status) => {
    locateStatus.textContent = location_ ? t.locatedAt(number(location_.lat), number(location_.lon)) : status;
    unlocate.hidden = !location_;
  };
  const locate = h('button', { type: 'button', class: 'link', id: 'locate', onclick: () => {
    if (!navigator.geolocation) { showLocation(t.locateFailed); return; }
    navigator.geolocation.getCurrentPosition(
      (p) => { location_ = { lat: p.coords.latitude, lon: p.coords.longitude }; saveDraft(); showLocation(); announce(locateStatus.textContent); },
      (e) => { const why = e.code === 1 ? t.locateDenied : t.locateFailed; showLocation(why); announce(why); },
      { timeout: 10000 });
  } }, t.locate);
  showLocation('');

  const form = h('form', { novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    error.textContent = '';
    if (!rubric.value) { error.textContent = t.chooseRequired; rubric.focus(); return; }
    if (!text.value.trim()) { error.textContent = `${t.text}: ${t.required}`; text.focus(); return; }
    submit.disabled = true;
    submit.textContent = t.sending;
    try {
      // a token near its end, or one that ends meanwhile: log in again, same draft
      const sent = await withLogin(() => send({ rubric_id: Number(rubric.value), text: text.value, address: address.value.trim() || undefined }, (attempt) => {
        error.textContent = t.retrying;
        if (attempt === 0) announce(t.retrying);
      }), RENEW_MS);
      sentView(sent);
    } catch (e) {
      error.textContent = e.message || t.failed;
      submit.disabled = false;
      submit.textContent = t.send;
    }
  } },
  h('label', { for: 'rubric' }, t.rubric), rubric,
  h('label', { for: 'text' }, t.text, ' ', h('span', { class: 'hint', id: 'text-hint' }, t.textHint)), text, counter,
  h('label', { for: 'address' }, t.address, ' ', h('span', { class: 'hint', id: 'address-hint' }, t.addressHint)), address,
  h('div', { class: 'row' }, locate, locateStatus, unlocate),
  h('label', { for: 'photos' }, t.photos, ' ', h('span', { class: 'hint', id: 'photos-hint' }, t.photosHint)), file, previews,
  error,
  h('div', { class: 'row' }, submit));

  show(frameHeader(config.title),
    config.texts?.intro ? h('p', {}, config.texts.intro) : null,
    accountBar(),
    form);
}

/** Uploads the photos not yet uploaded, then sends the message with the
 * draft's Idempotency-Key: a retry after a lost answer finds the same message. */
async function send(body, onRetry) {
  const draft = storage.get(`draft.${key}`) || {};
  draft.idempotency_key ||= crypto.randomUUID();
  storage.set(`draft.${key}`, draft);
  for (const p of photos) {
    if (p.id) continue;
    const uploaded = await withRetry(() => call('POST', '/api/v1/attachments', { body: p.file, type: p.file.type }), onRetry);
    p.id = uploaded.id;
  }
  const message = { ...body, widget_key: key };
  if (location_) message.location = location_;
  if (photos.length) message.attachment_ids = photos.map((p) => p.id);
  const sent = await withRetry(() => call('POST', '/api/v1/messages', { json: message, headers: { 'idempotency-key': draft.idempotency_key } }), onRetry);
  storage.drop(`draft.${key}`);
  photos.splice(0).forEach((p) => URL.revokeObjectURL(p.url));
  location_ = null;
  return sent;
}

function statusBadge(status) {
  return h('span', { class: 'status', 'data-status': status }, t.statuses[status] ?? status);
}

function sentView(sent) {
  show(frameHeader(t.sent(sent.id)),
    h('p', { id: 'sent-status' }, `${t.statusIs}: `, statusBadge(sent.status)),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'primary', onclick: listView }, t.mine),
      h('button', { type: 'button', onclick: formView }, t.another)));
  announce(`${t.sent(sent.id)}. ${t.statusIs}: ${t.statuses[sent.status]}`);
}

/** My messages (logging in first if need be): number, status, date. */
async function listView() {
  let list;
  try {
    list = await withLogin(() => call('GET', '/api/v1/my/messages?limit=50'));
  } catch (e) {
    report(e.message);
    return;
  }
  show(frameHeader(t.mine),
    list.items.length === 0 ? h('p', { id: 'empty' }, t.empty) : h('ul', { class: 'messages' }, list.items.map((m) => h('li', {},
      h('button', { type: 'button', onclick: () => detailView(m.id) },
        h('strong', {}, `№ ${m.id} `), statusBadge(m.status), ' ', h('span', { class: 'hint' }, dateOf(m.created_at)), h('br'), m.text)))),
    h('div', { class: 'error', role: 'alert', id: 'account-error' }),
    h('div', { class: 'row' }, h('button', { type: 'button', onclick: formView }, t.another)));
}

async function detailView(id) {
  let m;
  try {
    m = await withLogin(() => call('GET', `/api/v1/messages/${id}`));
  } catch (e) {
    report(e.message);
    return;
  }
  const error = h('div', { class: 'error', role: 'alert' });
  const parts = [frameHeader(`№ ${m.id}`), h('p', {}, statusBadge(m.status), ' ', h('span', { class: 'hint' }, dateOf(m.created_at))), h('p', {}, m.text)];
  if (m.rejection) parts.push(h('p', { class: 'notice' }, m.rejection.reason_title, m.rejection.comment ? `: ${m.rejection.comment}` : ''));
  if (m.answer) parts.push(h('h2', {}, t.answer), h('div', { class: 'answer' }, m.answer));
  if (['answered', 'closed'].includes(m.status) && m.rating == null) {
    const stars = [1, 2, 3, 4, 5].map((n) => h('label', {}, h('input', { type: 'radio', name: 'score', value: String(n) }), ` ${t.stars(n)}`));
    parts.push(h('form', { onsubmit: async (event) => {
      event.preventDefault();
      const score = Number(new FormData(event.target).get('score'));
      if (!score) { error.textContent = t.required; return; }
      try { await call('POST', `/api/v1/messages/${id}/rating`, { json: { score } }); announce(t.rated); detailView(id); } catch (e) { error.textContent = e.message; }
    } }, h('fieldset', {}, h('legend', {}, t.rate), h('div', { class: 'stars' }, stars)), h('button', { type: 'submit', class: 'primary' }, t.rateSend)));
  }
  if (m.status === 'answered') {
    const comment = h('textarea', { id: 'rework', name: 'comment', required: true, maxlength: '2000' });
    parts.push(h('form', { onsubmit: async (event) => {
      event.preventDefault();
      if (!comment.value.trim()) { error.textContent = `${t.reworkHint}: ${t.required}`; comment.focus(); return; }
      try { await call('POST', `/api/v1/messages/${id}/rework`, { json: { comment: comment.value } }); announce(t.reworked); detailView(id); } catch (e) { error.textContent = e.message; }
    } }, h('h2', {}, t.rework), h('label', { for: 'rework' }, t.reworkHint), comment, h('div', { class: 'row' }, h('button', { type: 'submit' }, t.reworkSend))));
  }
  parts.push(error, h('div', { class: 'row' }, h('button', { type: 'button', onclick: listView }, t.back)));
  show(...parts);
}

/* ---------------------------------------------------- focus and messaging */

// keep Tab inside the dialog: from the last control back to the first
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') { toParent({ type: 'otklik:close' }); return; }
  if (event.key !== 'Tab') return;
  const focusable = [...app.querySelectorAll('button:not([disabled]), select, textarea, input, [tabindex="0"]')]
    .filter((el) => el.offsetParent !== null);
  if (focusable.length === 0) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (event.shiftKey && (document.activeElement === first || document.activeElement === document.body || document.activeElement?.id === 'title')) { event.preventDefault(); last.focus(); }
  else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
});

window.addEventListener('message', (event) => {
  if (event.origin === parentOrigin && event.source === window.parent && event.data?.type === 'otklik:focus') {
    app.querySelector('h1')?.focus();
  }
});

async function start() {
  try {
    config = await call('GET', `/api/v1/widgets/${encodeURIComponent(key)}`);
  } catch (e) {
    show(h('p', { class: 'error', role: 'alert' }, t.noRubrics));
    return;
  }
  const asked = hash.get('parent');
  // only talk to a parent page this widget allows
  parentOrigin = config.allowed_origins.includes(asked) ? asked : null;
  const saved = storage.get('session');
  who = saved && subOf(saved.token);
  formView();
  toParent({ type: 'otklik:ready' });
}

start();
