// queues.js - a staff member's work queues in one organisation, by role: the
// SPEC's "who may do what" read as "what is waiting for whom". A queue is a
// filter of GET /api/v1/staff/messages; its count comes from
// GET /api/v1/staff/counts (capped: "1000+").
import { useEffect, useState } from 'preact/hooks';
import { api, withQuery } from '../shared/api.js';
/* the roles that read an organisation's messages (core/ok_authz.c's
 * message.read); operators and intake operators alone have no queue */
const READS = ['moderator', 'coordinator', 'executor', 'manager', 'curator', 'admin'];
export const QUEUES = [
  { id: 'moderation', roles: ['moderator'], query: { status: 'moderation' } },
  { id: 'to_assign', roles: ['coordinator'], query: { status: 'registered' } },
  { id: 'mine', roles: ['executor'], query: { assignee: 'me' } },
  { id: 'approval', roles: ['manager'], query: { status: 'approval' } },
  { id: 'redirects', roles: ['manager'], query: { status: 'redirect_approval' } },
  { id: 'overdue', roles: ['coordinator', 'executor', 'manager', 'curator'], query: { overdue: 'true' } },
  { id: 'all', roles: READS, query: {} },
];

/** The organisations the person works in, each with the roles held there. */
export function organisations(me) {
  const byCode = new Map();
  for (const { org, role } of me.roles ?? []) {
    if (!byCode.has(org)) byCode.set(org, []);
    byCode.get(org).push(role);
  }
  return [...byCode].map(([code, roles]) => ({ code, roles }));
}

/** The queues of a person holding roles in one organisation. */
export const queuesFor = (roles) => QUEUES.filter((q) => q.roles.some((r) => roles.includes(r)));

/** The actions a person may take on a message (the SPEC's lifecycle table);
 * the server decides in the end, this only spares offering what it refuses. */
export function actionsFor(me, message) {
  const rolesIn = (org) => (me.roles ?? []).filter((r) => r.org === org).map((r) => r.role);
  const here = rolesIn(message.organisation);
  const s = message.status;
  const open = ['registered', 'in_progress', 'returned'].includes(s);
  const actions = [];
  if (s === 'moderation' && (me.roles ?? []).some((r) => r.role === 'moderator')) actions.push('accept', 'reject');
  if (open && here.includes('coordinator')) actions.push('assign');
  if (['in_progress', 'returned'].includes(s) && here.includes('executor') && message.staff?.assignee_id === me.id) actions.push('answer');
  if (open && (here.includes('coordinator') || here.includes('executor'))) actions.push('redirect');
  if (['approval', 'redirect_approval'].includes(s) && here.includes('manager')) actions.push('approve', 'send_back');
  return actions;
}

/** The counts of an organisation's queues, read again whenever the view
 * changes (after an action, say); null until known. */
export function useCounts(org, view) {
  const [counts, setCounts] = useState(null);
  useEffect(() => {
    if (!org) return undefined;
    let live = true;
    api('GET', withQuery('/api/v1/staff/counts', { org })).then((c) => live && setCounts(c), () => live && setCounts(null));
    return () => { live = false; };
  }, [org, view]);
  return counts?.org === org ? counts : null;
}
