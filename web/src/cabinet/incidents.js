// incidents.js - the cabinet's pages of the social networks: "Инциденты"
// (#/<org>/incidents, for moderators: the posts found in the networks, to
// accept as messages or dismiss) and "Госпаблики" (#/<org>/accounts, for an
// organisation's staff: its official accounts and their content plan). Which
// person sees which link; the API decides in the end. The pages themselves
// (incidents-page.js) are a chunk of their own, loaded when first opened.
import { addWords } from '../shared/i18n.js';
import { lazyPage } from './chunk.js';

addWords({
  ru: { 'nav.incidents': 'Инциденты из соцсетей', 'nav.accounts': 'Госпаблики' },
  en: { 'nav.incidents': 'Social media incidents', 'nav.accounts': 'Official accounts' },
});

const STAFF = ['admin', 'manager', 'executor', 'coordinator', 'curator'];

/** Whether an organisation's roles work on incidents (core/ok_authz.c's incident.moderate). */
export const worksOnIncidents = (roles) => roles.includes('moderator');

/** Whether an organisation's roles read its official accounts (account.read). */
export const readsAccounts = (roles) => roles.some((r) => STAFF.includes(r));

export const IncidentsPage = lazyPage(() => import('./incidents-page.js'), 'IncidentsPageOf');
export const AccountsPage = lazyPage(() => import('./incidents-page.js'), 'AccountsPageOf');
