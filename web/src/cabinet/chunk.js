// chunk.js - a page of the cabinet that is a chunk of its own (esbuild's
// splitting), imported when it is first opened, so that a moderator's first
// screen does not pay for it: lazyPage(() => import('./x-page.js'), 'XPageOf')
// is a component that shows "loading", then the module's export with the same
// props. A failed import is shown, and tried again when the page is opened
// again.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../shared/html.js';
import { t } from '../shared/i18n.js';

export function lazyPage(importer, name) {
  let chunk = null; /* the promise of the module, imported once */
  const load = () => {
    chunk ??= importer().catch((error) => { chunk = null; throw error; });
    return chunk;
  };
  return function LazyPage(props) {
    const [page, setPage] = useState({ module: null, failed: false });
    useEffect(() => {
      let live = true;
      load().then((module) => live && setPage({ module, failed: false }), () => live && setPage({ module: null, failed: true }));
      return () => { live = false; };
    }, []);
    if (page.failed) return html`<p class="notice notice--error" role="alert">${t('app.offline')}</p>`;
    if (!page.module) return html`<p role="status">${t('app.loading')}</p>`;
    const Page = page.module[name];
    return html`<${Page} ...${props} />`;
  };
}
