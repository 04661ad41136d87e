// analytics-data.js - what the analytics and rating pages share: a figure
// read from the API for a query, re-read when the query changes.
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';

/** GET path with the query: { data, error } (both null while loading). */
export function useFigures(path, query) {
  const [state, setState] = useState({ data: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ data: null, error: null });
    api('GET', withQuery(path, query)).then((data) => live && setState({ data, error: null }),
      (error) => live && setState({ data: null, error }));
    return () => { live = false; };
  }, [path, JSON.stringify(query)]);
  return state;
}
