// open311.test.mjs - Open311 GeoReport v2 at /open311/v2/ (modules/open311):
// the specification's requests in JSON and XML (discovery, services, a
// service's definition, POST requests with an api_key, GET requests, one
// request, a token), the mapping of the platform's statuses to open/closed
// with the detail in status_notes, what moderation has not published staying
// hidden, and the key rules: missing, unknown or revoked -> 403 in the
// specification's error format. XML is read with xmllint (libxml2-utils).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { api, sql } from './helpers.mjs';
import { answer, approve, assign, ctl, ok } from './journeys.mjs';

/** The string value of an XPath over an XML document (xmllint checks it is well-formed). */
const xpath = (xml, expression) =>
  execFileSync('xmllint', ['--xpath', `string(${expression})`, '-'], { input: xml }).toString().replace(/\n$/, '');

const form = (fields) => new URLSearchParams(fields).toString();
const post = (suffix, fields, headers = {}) => api('POST', `/open311/v2/requests.${suffix}`,
  { raw: form(fields), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

// the specification's example POST, with a rubric of the demo rubricator
const example = (key, extra = {}) => ({
  api_key: key, jurisdiction_id: 'demo', service_code: 'roads-potholes',
  lat: '55.7512', long: '37.6184', address_string: 'ул. Ленина, 1',
  email: 'smit222@sfgov.edu', device_id: 'tt222111', account_id: '123456', first_name: 'john',
  last_name: 'smith', phone: '111111111', description: 'Глубокая яма на проезжей части у дома 1',
  media_url: 'https://example.org/photo.jpg', 'attribute[WHISHETN]': '123', ...extra,
});

let key;
before(() => {
  key = ctl(['open311', 'key', 'create', '--org', 'demo-admin']).trim();
  assert.match(key, /^[0-9a-f]{64}$/);
});

describe('discovery and services', () => {
  test('discovery names the endpoint and both formats, in JSON and XML', async () => {
    const json = await api('GET', '/open311/v2/discovery.json');
    assert.equal(json.status, 200, json.text);
    const [endpoint] = json.body.endpoints;
    assert.equal(endpoint.specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.match(endpoint.url, /\/open311\/v2$/);
    assert.deepEqual(endpoint.formats, ['text/xml', 'application/json']);
    const xml = await api('GET', '/open311/v2/discovery.xml');
    assert.match(xml.headers.get('content-type'), /^text\/xml; charset=utf-8/);
    assert.match(xml.text, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
    assert.equal(xpath(xml.text, '/discovery/endpoints/endpoint/formats/format[2]'), 'application/json');
  });

  test('the services are the leaf rubrics, grouped by their parent', async () => {
    const json = await api('GET', '/open311/v2/services.json');
    assert.equal(json.status, 200, json.text);
    const potholes = json.body.find((s) => s.service_code === 'roads-potholes');
    assert.deepEqual(potholes, { service_code: 'roads-potholes', service_name: 'Ямы и выбоины на дорогах',
      description: 'Ямы и выбоины на дорогах', metadata: false, type: 'realtime', keywords: '', group: 'Дороги' });
    assert.equal(json.body.find((s) => s.service_code === 'roads'), undefined, 'a parent is no service');
    const xml = await api('GET', '/open311/v2/services.xml');
    assert.equal(xpath(xml.text, "/services/service[service_code='roads-potholes']/group"), 'Дороги');
    assert.equal(xpath(xml.text, "/services/service[service_code='roads-potholes']/metadata"), 'false');
    assert.equal(xpath(xml.text, 'count(/services/service)'), String(json.body.length));
  });

  test('a service definition; an unknown code is 404 in the error format', async () => {
    const json = await api('GET', '/open311/v2/services/roads-potholes.json');
    assert.deepEqual(json.body, { service_code: 'roads-potholes', attributes: [] });
    const xml = await api('GET', '/open311/v2/services/roads-potholes.xml');
    assert.equal(xpath(xml.text, '/service_definition/service_code'), 'roads-potholes');
    const unknown = await api('GET', '/open311/v2/services/no-such.json', { headers: { 'accept-language': 'en' } });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, [{ code: 404, description: 'There is no service with this code.' }]);
    const unknownXml = await api('GET', '/open311/v2/services/no-such.xml');
    assert.equal(unknownXml.status, 404);
    assert.equal(xpath(unknownXml.text, '/errors/error/code'), '404');
    assert.equal(xpath(unknownXml.text, '/errors/error/description'), 'Услуги с таким кодом нет.');
    const noSuffix = await api('GET', '/open311/v2/services/roads-potholes');
    assert.equal(noSuffix.status, 404);
  });
});

describe('POST requests: the api_key rules', () => {
  test('a missing, unknown or revoked key is 403 in the specification\'s error format', async () => {
    const { api_key: _, ...keyless } = example('');
    const missing = await post('json', keyless, { 'accept-language': 'en' });
    assert.equal(missing.status, 403, missing.text);
    assert.deepEqual(missing.body, [{ code: 403, description: 'An api_key is required to send a service request.' }]);
    const unknown = await post('xml', example('0'.repeat(64)));
    assert.equal(unknown.status, 403, unknown.text);
    assert.match(unknown.headers.get('content-type'), /^text\/xml/);
    assert.equal(xpath(unknown.text, '/errors/error/code'), '403');
    assert.equal(xpath(unknown.text, '/errors/error/description'), 'Этот api_key неизвестен или отозван.');

    ctl(['org', 'create', '--code', 'o311-revoked', '--name', 'Интегратор', '--territory', '99']);
    const other = ctl(['open311', 'key', 'create', '--org', 'o311-revoked']).trim();
    assert.equal((await post('json', example(other))).status, 201);
    ctl(['open311', 'key', 'revoke', '--org', 'o311-revoked']);
    const revoked = await post('json', example(other));
    assert.equal(revoked.status, 403, revoked.text);
    assert.equal((await post('json', example(key))).status, 201, 'another organisation\'s key still works');
  });

  test('nothing is stored when the request is refused', async () => {
    const before_ = sql('SELECT count(*) FROM messages')[0][0];
    for (const [fields, status] of [
      [example(key, { service_code: 'roads' }), 400],
      [example(key, { service_code: 'no-such' }), 400],
      [example(key, { description: '   ' }), 400],
      [example(key, { lat: '91' }), 400],
      [{ ...example(key), lat: '55.1', long: undefined }, 400],
    ]) {
      const res = await post('json', Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)));
      assert.equal(res.status, status, res.text);
      assert.equal(res.body[0].code, status);
    }
    const wrongType = await api('POST', '/open311/v2/requests.json', { body: { api_key: key } });
    assert.equal(wrongType.status, 415);
    assert.equal(sql('SELECT count(*) FROM messages')[0][0], before_);
  });
});

describe('a request\'s journey', () => {
  test('the example request enters moderation as the organisation\'s user; its id and token follow it', async () => {
    const res = await post('json', example(key));
    assert.equal(res.status, 201, res.text);
    const [created] = res.body;
    assert.deepEqual(Object.keys(created), ['service_request_id', 'token', 'service_notice', 'account_id']);
    const [[status, author, text, territory]] = sql(`SELECT m.status, u.esia_oid, m.text, t.code FROM messages m
      JOIN users u ON u.id = m.author_id JOIN territories t ON t.id = m.territory_id WHERE m.id = ${created.service_request_id}`);
    assert.deepEqual([status, author, text, territory], ['moderation', 'open311:demo-admin', example(key).description, '99-demograd']);
    assert.equal(sql(`SELECT count(*) FROM message_events WHERE message_id = ${created.service_request_id}`)[0][0], '1');

    const shown = await api('GET', `/open311/v2/requests/${created.service_request_id}.json`);
    assert.equal(shown.status, 200, shown.text);
    const [request] = shown.body;
    assert.equal(request.status, 'open');
    assert.equal(request.status_notes, 'moderation');
    assert.equal(request.service_code, 'roads-potholes');
    assert.equal(request.description, null, 'not published before moderation');
    assert.equal(request.lat, null);
    assert.ok(!JSON.stringify(request).includes('smith'), 'no author');

    const byToken = await api('GET', `/open311/v2/tokens/${created.token}.json`);
    assert.deepEqual(byToken.body, [{ service_request_id: created.service_request_id, token: created.token }]);
    const byTokenXml = await api('GET', `/open311/v2/tokens/${created.token}.xml`);
    assert.equal(xpath(byTokenXml.text, '/service_requests/request/service_request_id'), String(created.service_request_id));
    assert.equal((await api('GET', '/open311/v2/tokens/nosuchtoken.json')).status, 404);
  });

  test('the XML POST answers the specification\'s service_requests', async () => {
    const res = await post('xml', example(key));
    assert.equal(res.status, 201, res.text);
    assert.match(xpath(res.text, '/service_requests/request/service_request_id'), /^\d+$/);
    assert.match(xpath(res.text, '/service_requests/request/token'), /^[0-9a-f]{32}$/);
    assert.match(res.text, /<account_id\/>/);
  });

  test('statuses map to open and closed, the detail in status_notes; a rejection hides the text', async () => {
    const send311 = async () => (await post('json', example(key))).body[0].service_request_id;
    const accepted = await send311();
    await ok('moderator1', accepted, 'moderate', { decision: 'accept', org: 'demo-admin' }, 'registered');
    const rejected = await send311();
    await ok('moderator1', rejected, 'moderate', { decision: 'reject', reason_code: 5, comment: 'Реклама' }, 'rejected');
    const done = await send311();
    await ok('moderator1', done, 'moderate', { decision: 'accept', org: 'demo-admin' }, 'registered');
    await assign(done);
    await answer(done);
    await approve(done);

    const res = await api('GET', `/open311/v2/requests.json?service_request_id=${accepted},${rejected},${done}`);
    assert.equal(res.status, 200, res.text);
    const byId = new Map(res.body.map((r) => [r.service_request_id, r]));
    assert.deepEqual([byId.get(accepted).status, byId.get(accepted).status_notes], ['open', 'registered']);
    assert.equal(byId.get(accepted).description, example(key).description, 'published once accepted');
    assert.equal(byId.get(accepted).agency_responsible, 'Администрация г. Демоград');
    assert.equal(byId.get(accepted).lat, 55.7512);
    assert.deepEqual([byId.get(rejected).status, byId.get(rejected).status_notes, byId.get(rejected).description],
      ['closed', 'rejected', null]);
    assert.deepEqual([byId.get(done).status, byId.get(done).status_notes], ['closed', 'answered']);

    const closed = await api('GET', '/open311/v2/requests.xml?status=closed&service_code=roads-potholes');
    assert.equal(closed.status, 200);
    assert.equal(xpath(closed.text, `/service_requests/request[service_request_id=${done}]/status`), 'closed');
    assert.equal(xpath(closed.text, `count(/service_requests/request[service_request_id=${accepted}])`), '0');
    assert.equal(xpath(closed.text, "count(/service_requests/request[status!='closed'])"), '0');
  });

  test('GET requests filters by date and refuses malformed filters with 400', async () => {
    const future = await api('GET', '/open311/v2/requests.json?start_date=2999-01-01T00:00:00Z');
    assert.deepEqual(future.body, []);
    const past = await api('GET', '/open311/v2/requests.json?end_date=2000-01-01T00:00:00%2B03:00');
    assert.deepEqual(past.body, []);
    for (const query of ['start_date=yesterday', 'end_date=2026-13-01T00:00:00Z', 'status=pending',
      'service_request_id=1,,2', 'service_request_id=-1']) {
      const res = await api('GET', `/open311/v2/requests.json?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.body[0].code, 400);
    }
    assert.equal((await api('GET', '/open311/v2/requests/999999999.json')).status, 404);
  });
});
