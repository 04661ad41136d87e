// admin-import.js - organisations and staff in bulk from a CSV file (POST
// /api/v1/orgs/import, POST /api/v1/admin/staff/import): a template to
// download, the file sent as it is, and, when any row is bad, every error by
// line and field in a table (the API writes nothing then).
import { useState } from 'preact/hooks';
import { api } from '../shared/api.js';
import { ProblemNotice, useSubmit } from '../shared/form.js';
import { html } from '../shared/html.js';
import { errorText, t } from '../shared/i18n.js';
import { Notice } from './admin-ui.js';

export const IMPORTS = {
  orgs: {
    path: '/api/v1/orgs/import',
    template: 'code,name,kind,territory,is_moderation\nschool-1,Школа № 1,school,99-demograd,false\n',
    done: (r) => t('import.orgs.done', { created: r.created, updated: r.updated }),
  },
  staff: {
    path: '/api/v1/admin/staff/import',
    template: 'esia_oid,name,org,role\n1000001,Иванова Анна Петровна,school-1,admin\n',
    done: (r) => t('import.staff.done', { users: r.users_created, roles: r.roles_granted }),
  },
};

function ImportForm({ kind }) {
  const spec = IMPORTS[kind];
  const [file, setFile] = useState(null);
  const [notice, setNotice] = useState(null);
  const [state, submit] = useSubmit((body) => api('POST', spec.path, body), (r) => setNotice(spec.done(r)));
  const id = `import-${kind}`;
  const rows = state.error?.problem?.errors ?? [];
  const onSubmit = (e) => {
    e.preventDefault();
    setNotice(null);
    if (file) submit(new File([file], file.name, { type: 'text/csv' }));
  };
  return html`<form id=${id} onSubmit=${onSubmit} novalidate aria-labelledby=${`${id}-heading`}>
    <h3 id=${`${id}-heading`}>${t(`import.${kind}`)}</h3>
    <p>${t(`import.${kind}.lead`)} <a href=${`data:text/csv;charset=utf-8,${encodeURIComponent(spec.template)}`}
      download=${`${kind}-template.csv`}>${t('import.template')}</a></p>
    <${Notice} text=${notice} />
    ${rows.length > 0 ? html`<div class="error-summary" role="alert" tabindex="-1">
        <h3>${t('import.failed', { count: rows.length })}</h3>
        <table class="staff admin-table"><thead><tr><th scope="col">${t('import.line')}</th><th scope="col">${t('import.field')}</th>
          <th scope="col">${t('import.error')}</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr><td>${r.line ?? '—'}</td><td>${r.field}</td><td>${errorText(r.code)}</td></tr>`)}</tbody></table>
      </div>`
    : html`<${ProblemNotice} error=${state.error} />`}
    <div class="field">
      <label for=${`${id}-file`}>${t('import.file')}</label>
      <div class="hint" id=${`${id}-file-hint`}>${t('import.file.hint')}</div>
      <input id=${`${id}-file`} type="file" accept=".csv,text/csv" aria-describedby=${`${id}-file-hint`}
        onChange=${(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
    </div>
    <button type="submit" disabled=${state.busy || !file}>${t('import.send')}</button>
  </form>`;
}

export function ImportAdmin() {
  return html`<section aria-labelledby="import-title">
    <h2 id="import-title">${t('admin.import')}</h2>
    <p>${t('import.lead')}</p>
    <${ImportForm} kind="orgs" />
    <${ImportForm} kind="staff" />
  </section>`;
}
