// common.js - shared by the public voting and poll pages (same origin as the
// API, so the HttpOnly session cookie of the login authenticates them).
export const $ = (selector) => document.querySelector(selector);

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

export async function api(method, path, json) {
  const res = await fetch(path, { method, headers: json ? { 'content-type': 'application/json' } : {},
    body: json ? JSON.stringify(json) : undefined, credentials: 'same-origin', cache: 'no-store' });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  return { status: res.status, body };
}

export function loginLink() {
  const back = location.pathname + location.search;
  return h('a', { href: `/auth/esia/login?return_to=${encodeURIComponent(location.origin + back)}`, id: 'login' }, 'Войти через Госуслуги');
}

export function say(text) {
  const box = $('#message');
  box.textContent = text;
}

export const rubles = (n) => `${new Intl.NumberFormat('ru-RU').format(n)} ₽`;
export const param = (name) => new URLSearchParams(location.search).get(name);
