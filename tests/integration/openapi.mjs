// openapi.mjs - holds every response the integration tests receive (helpers.mjs's
// api()) to docs/openapi.yaml, as built into docs/dist/openapi.json by make: the
// status must be documented for the path and method, the content type too, and a
// JSON body must match its schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses);
// and a JSON request the server took (2xx) must match its requestBody schema
// (checkRequest). A mismatch fails the test that received it.
//
// Paths the description does not have yet (routes being added by other work)
// fail nobody: each is reported once, on stderr and in
// tests/artifacts/openapi-undescribed.txt, until it is described. NOT_API lists
// what is deliberately outside the description (static files); keep it short.
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ROOT = new URL('../../', import.meta.url);
const NOT_API = [/^\/$/, /^\/(cabinet|portal|widget|participate)(\/|$)(?!frame\/)/];
const UNDESCRIBED_FILE = new URL('tests/artifacts/openapi-undescribed.txt', ROOT);

let description;
let ajv;
const operations = []; // {regex, template, item}
const validators = new Map();
const undescribed = new Set();

function load() {
  if (description) return;
  description = JSON.parse(readFileSync(new URL('docs/dist/openapi.json', ROOT), 'utf8'));
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(description, 'openapi.json');
  for (const [template, item] of Object.entries(description.paths)) {
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    operations.push({ regex: new RegExp(`^${pattern}$`), template, item });
  }
  // a template with fewer placeholders first: /a/b.csv before /a/{x}
  operations.sort((a, b) => (a.template.match(/\{/g) ?? []).length - (b.template.match(/\{/g) ?? []).length);
}

/** Follows a local $ref ("#/components/responses/Problem") of the description. */
function resolve(node) {
  while (node?.$ref?.startsWith('#/')) {
    node = node.$ref.slice(2).split('/').reduce((n, key) => n?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], description);
  }
  return node;
}

function pointer(...keys) {
  return keys.map((k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

function validatorFor(ref) {
  if (!validators.has(ref)) validators.set(ref, ajv.compile({ $ref: ref }));
  return validators.get(ref);
}

function reportUndescribed(method, path, status) {
  const line = `${method} ${path} -> ${status}`;
  if (undescribed.has(line)) return;
  undescribed.add(line);
  process.stderr.write(`openapi: not described in docs/openapi.yaml: ${line}\n`);
  mkdirSync(new URL('.', UNDESCRIBED_FILE), { recursive: true });
  appendFileSync(UNDESCRIBED_FILE, `${line}\n`);
}

/**
 * Checks one response: method and path as sent (query string ignored), status,
 * content type and the body's text. Throws an AssertionError on a mismatch.
 */
export function checkResponse(method, url, status, contentType, text) {
  load();
  const path = url.split('?')[0];
  method = method.toUpperCase();
  if (method === 'OPTIONS' || method === 'HEAD') return; // CORS preflights; bodiless
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const found = operations.find((o) => o.regex.test(path));
  const operation = found?.item[method.toLowerCase()];
  const where = `${method} ${path} -> ${status} ${mediaType}`;
  if (!operation) {
    // nothing at this address, or not this method: nginx's or a worker's problem
    if ((status === 404 && !found) || (status === 405 && found) || NOT_API.some((r) => r.test(path))) {
      if (status >= 400 && !NOT_API.some((r) => r.test(path))) checkProblem(where, mediaType, text);
      return;
    }
    reportUndescribed(method, found ? found.template : path, status);
    return;
  }
  const response = resolve(operation.responses[String(status)] ?? operation.responses.default);
  assert.ok(response, `${where}: status ${status} is not documented in docs/openapi.yaml ` +
    `(documented: ${Object.keys(operation.responses).join(', ')}): ${text.slice(0, 300)}`);
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) {
    assert.equal(text, '', `${where}: documented without a body, but one came`);
    return;
  }
  assert.ok(content[mediaType], `${where}: content type ${mediaType || '(none)'} is not documented ` +
    `(documented: ${Object.keys(content).join(', ')})`);
  if (!/^application\/(.+\+)?json$/.test(mediaType)) return;
  let body;
  try { body = JSON.parse(text); } catch { assert.fail(`${where}: the body is not JSON: ${text.slice(0, 200)}`); }
  // the schema where it is, so that ajv resolves its $refs within the description
  const responseRef = operation.responses[String(status)]?.$ref;
  const ref = responseRef
    ? `openapi.json${responseRef}/content/${pointer(mediaType)}/schema`
    : `openapi.json#/${pointer('paths', found.template, method.toLowerCase(), 'responses', String(status),
      'content', mediaType, 'schema')}`;
  const validate = validatorFor(ref);
  assert.ok(validate(body), `${where}: the body does not match docs/openapi.yaml: ` +
    `${ajv.errorsText(validate.errors)}: ${text.slice(0, 300)}`);
}

function checkProblem(where, mediaType, text) {
  assert.equal(mediaType, 'application/problem+json', `${where}: an error that is not a problem`);
  const validate = validatorFor('openapi.json#/components/schemas/Problem');
  assert.ok(validate(JSON.parse(text)), `${where}: not a problem: ${ajv.errorsText(validate.errors)}`);
}

/**
 * Checks a JSON request the server accepted (a 2xx answer): its body must match
 * the operation's requestBody schema, so that the described requests cannot
 * drift from what the handlers take either. Throws an AssertionError on a mismatch.
 */
export function checkRequest(method, url, status, body) {
  load();
  if (status < 200 || status > 299 || body === undefined) return;
  const path = url.split('?')[0];
  const found = operations.find((o) => o.regex.test(path));
  const operation = found?.item[method.toLowerCase()];
  if (!operation?.requestBody?.content?.['application/json']) return;
  const validate = validatorFor(`openapi.json#/${pointer('paths', found.template, method.toLowerCase(),
    'requestBody', 'content', 'application/json', 'schema')}`);
  assert.ok(validate(body), `${method} ${path} -> ${status}: the server took a request that does not match ` +
    `docs/openapi.yaml: ${ajv.errorsText(validate.errors)}: ${JSON.stringify(body).slice(0, 300)}`);
}

