// admin-fixtures.mjs - shared by the admin-*.test.mjs: a second region with
// its own moderation organisation and operator (made by the root operator
// through the API), and unique codes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { api, sql } from './helpers.mjs';

export const tag = () => randomBytes(4).toString('hex');

/** A square polygon around (lon, lat) of the given half-size, as GeoJSON. */
export const square = (lon, lat, d = 0.1) => ({
  type: 'Polygon',
  coordinates: [[[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]],
});

/** A new person holding role in organisation org (by SQL, as otklikctl grant would). */
export function person(role, org) {
  const oid = `adm-${role}-${tag()}`;
  sql(`INSERT INTO users (esia_oid, name) VALUES ('${oid}', 'Проверка ${oid}')`);
  sql(`INSERT INTO staff_roles (user_id, organisation_id, role)
       SELECT u.id, o.id, '${role}' FROM users u, organisations o WHERE u.esia_oid = '${oid}' AND o.code = '${org}'`);
  return oid;
}

/** Region two: {region, org, operator} - another region's operator. */
export async function otherRegion() {
  const t = tag();
  const region = `r2-${t}`;
  let res = await api('POST', '/api/v1/territories', { auth: 'root', body: { code: region, name: `Другая область ${t}`, kind: 'region' } });
  assert.equal(res.status, 201, res.text);
  const org = `cur2-${t}`;
  res = await api('POST', '/api/v1/orgs', { auth: 'root', body: { code: org, name: `ЦУР другой области ${t}`, kind: 'authority', territory: region, is_moderation: true } });
  assert.equal(res.status, 201, res.text);
  return { region, org, operator: person('operator', org) };
}
