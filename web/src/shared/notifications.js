// notifications.js - a person's notifications, the same for a citizen (the
// portal, /api/v1/my/notifications) and a staff member (the cabinet,
// /api/v1/staff/notifications): the unread count kept fresh while the page is
// open, and the list read page by page, marked read one by one or all at once.
// Marking read announces itself (otklik:notifications), so every count on the
// page refreshes at once.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from './api.js';

const EVENT = 'otklik:notifications';
const changed = () => dispatchEvent(new Event(EVENT));

/** The unread count at path once logged in, polled a minute apart and on every change. */
export function useUnread(path, loggedIn) {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    if (!loggedIn) return undefined;
    let live = true;
    const poll = () => api('GET', withQuery(path, { limit: 1 }))
      .then((page) => live && setUnread(page.unread ?? 0), () => {});
    poll();
    const timer = setInterval(poll, 60_000);
    addEventListener(EVENT, poll);
    return () => { live = false; clearInterval(timer); removeEventListener(EVENT, poll); };
  }, [path, loggedIn]);
  return unread;
}

/** The notifications at path: {items, unread, next, loading, error, more(), read(n), readAll()}. */
export function useNotifications(path) {
  const [state, setState] = useState({ items: [], unread: 0, next: null, loading: true, error: null });
  const failed = (error) => setState((s) => ({ ...s, loading: false, error }));
  const load = async (cursor, items) => {
    setState((s) => ({ ...s, loading: true }));
    try {
      const page = await api('GET', withQuery(path, { limit: 50, cursor }));
      setState({ items: [...items, ...page.items], unread: page.unread ?? 0, next: page.next_cursor, loading: false, error: null });
    } catch (error) {
      failed(error);
    }
  };
  useEffect(() => { load(null, []); }, [path]);
  const read = (n) => api('POST', `${path}/${n.id}/read`).then((r) => {
    setState((s) => ({ ...s, unread: r?.unread ?? Math.max(0, s.unread - 1), items: s.items.map((x) => (x.id === n.id ? { ...x, read: true } : x)) }));
    changed();
  }, failed);
  const readAll = () => api('POST', `${path}/read-all`).then(() => { changed(); load(null, []); }, failed);
  return { ...state, more: () => load(state.next, state.items), read, readAll };
}
