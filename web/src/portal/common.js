// common.js - small pieces the portal's pages share: counts in words, money
// and dates, the login link, loading an API answer, and results as bars.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { html } from '../shared/html.js';
import { language, plural, t } from '../shared/i18n.js';

const locale = () => (language() === 'en' ? 'en-GB' : 'ru-RU');

/** A count in words: tn('p.votes', 3) = "3 голоса". */
const keep = { n: '{n}' };
export const tn = (key, n) => plural(n, { one: t(`${key}.one`, keep), few: t(`${key}.few`, keep), many: t(`${key}.many`, keep), other: t(`${key}.other`, keep) });

export const money = (n) => new Intl.NumberFormat(locale(), { style: 'currency', currency: 'RUB', maximumFractionDigits: 0 }).format(n);

export const day = (iso) => (iso ? new Date(iso).toLocaleDateString(locale(), { day: 'numeric', month: 'long', year: 'numeric' }) : '');

export const percent = (part, whole) => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 })
  .format(whole > 0 ? part / whole : 0);

/** The ESIA login, coming back to where the visitor is. */
export const loginHref = () => `/auth/esia/login?return_to=${encodeURIComponent(`${location.origin}/${location.hash}`)}`;

export function LoginPrompt({ text }) {
  return html`<div class="notice"><p>${text ?? t('p.login.needed')}</p>
    <a class="button" href=${loginHref()}>${t('p.login')}</a></div>`;
}

/** An API answer loaded on mount and whenever deps change: {data, error, loading, reload}.
 * missing (a 404 of an endpoint not there yet) resolves to fallback. */
export function useLoad(path, deps = [], fallback = undefined) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const load = () => {
    if (!path) { setState({ data: null, error: null, loading: false }); return; }
    setState((s) => ({ ...s, loading: true }));
    api('GET', path).then((data) => setState({ data, error: null, loading: false }), (error) => {
      if (fallback !== undefined && error.status === 404) setState({ data: fallback, error: null, loading: false });
      else setState({ data: null, error, loading: false });
    });
  };
  useEffect(load, [path, ...deps]);
  return { ...state, reload: load };
}

/** Results as bars with their values in words: rows [{id, label, count}] of
 * whole (voters or respondents); the bars are a picture of the text beside them. */
export function Bars({ rows, whole, unit = 'p.votes' }) {
  return html`<ul class="bars">${rows.map((r) => html`<li key=${r.id}>
    <span class="bar-label">${r.label}</span>
    <span class="bar-value">${tn(unit, r.count)} · ${percent(r.count, whole)}</span>
    <span class="bar" aria-hidden="true"><span class="bar-fill" style=${{ width: `${whole > 0 ? (100 * r.count) / whole : 0}%` }}></span></span>
  </li>`)}</ul>`;
}

/** The state of a voting, poll or discussion in words with its date. */
export function stateText(item) {
  return t(`p.state.${item.state}`, { date: day(item.state === 'upcoming' ? item.starts_at : item.ends_at) });
}

/** Focuses the page's heading when the view changes (for screen readers and keyboards). */
export function useFocusHeading(key) {
  useEffect(() => { document.querySelector('main h1')?.focus(); }, [key]);
}
