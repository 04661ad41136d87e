// rubrics.js - the rubricator as a flat list of options (children indented
// under their parents), loaded once per page and shared by every select.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../shared/api.js';

let loading = null;

function flatten(rubrics, depth = 0, out = []) {
  for (const r of rubrics) {
    out.push({ id: r.id, title: `${'— '.repeat(depth)}${r.title}` });
    flatten(r.children ?? [], depth + 1, out);
  }
  return out;
}

export function useRubrics() {
  const [rubrics, setRubrics] = useState([]);
  useEffect(() => {
    let live = true;
    loading ??= api('GET', '/api/v1/rubrics').then((r) => flatten(r.items ?? r), (error) => { loading = null; throw error; });
    loading.then((list) => live && setRubrics(list), () => {});
    return () => { live = false; };
  }, []);
  return rubrics;
}
