// openapi-schemas.test.mjs - every JSON answer in docs/openapi.yaml is
// described field by field, so that the integration tests' check of each
// response (tests/integration/openapi.mjs) catches drift: no object of a
// response's schema may leave its members undescribed (type object with no
// properties, patternProperties, allOf/anyOf/oneOf, and additionalProperties
// absent or true), and no array its items. An object that really is free-form
// says what its members are: additionalProperties with a description (the
// audit's row snapshots). Members may be added freely (additionalProperties
// stays open): clients must tolerate new fields. Runs without a stack; reads
// the YAML with the docs package's parser (make lint-openapi installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const ROOT = new URL('../../', import.meta.url);

function loadDescription() {
  let yaml;
  try {
    yaml = createRequire(new URL('docs/package.json', ROOT))('yaml');
  } catch {
    assert.fail('docs/node_modules is missing: run make lint-openapi (or npm ci in docs/) first');
  }
  return yaml.parse(readFileSync(new URL('docs/openapi.yaml', ROOT), 'utf8'));
}

function types(schema) {
  return schema.type === undefined ? [] : [].concat(schema.type);
}

/** Whether an object schema leaves its members undescribed. */
function looseObject(schema) {
  if (!types(schema).includes('object')) return false;
  const described = schema.properties || schema.patternProperties || schema.allOf || schema.anyOf ||
    schema.oneOf || (schema.additionalProperties !== undefined && schema.additionalProperties !== true);
  return !described;
}

function looseArray(schema) {
  return types(schema).includes('array') && schema.items === undefined && schema.prefixItems === undefined &&
    schema.maxItems !== 0;
}

/** The places under schema (following local $refs once each) that are loose. */
function loosePlaces(description, schema, where, seen = new Set(), found = []) {
  if (!schema || typeof schema !== 'object') return found;
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return found;
    seen.add(schema.$ref);
    const target = schema.$ref.slice(2).split('/').reduce((node, key) => node?.[key], description);
    assert.ok(target, `${where}: ${schema.$ref} does not exist`);
    return loosePlaces(description, target, schema.$ref, seen, found);
  }
  if (looseObject(schema)) found.push(`${where}: an object whose members are not described`);
  if (looseArray(schema)) found.push(`${where}: an array whose items are not described`);
  for (const key of ['properties', 'patternProperties'])
    for (const [name, member] of Object.entries(schema[key] ?? {}))
      loosePlaces(description, member, `${where}.${name}`, seen, found);
  if (schema.items) loosePlaces(description, schema.items, `${where}[]`, seen, found);
  if (typeof schema.additionalProperties === 'object')
    loosePlaces(description, schema.additionalProperties, `${where}.*`, seen, found);
  for (const key of ['allOf', 'anyOf', 'oneOf'])
    (schema[key] ?? []).forEach((part, i) => loosePlaces(description, part, `${where}/${key}/${i}`, seen, found));
  return found;
}

test('every JSON response of docs/openapi.yaml is described field by field', () => {
  const description = loadDescription();
  const seen = new Set();
  const loose = [];
  let checked = 0;
  for (const [path, item] of Object.entries(description.paths))
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, reply] of Object.entries(operation?.responses ?? {})) {
        const response = reply.$ref
          ? reply.$ref.slice(2).split('/').reduce((node, key) => node?.[key], description)
          : reply;
        for (const [mediaType, content] of Object.entries(response?.content ?? {})) {
          if (!/^application\/(.+\+)?json$/.test(mediaType)) continue;
          checked++;
          loosePlaces(description, content.schema, `${method.toUpperCase()} ${path} ${status}`, seen, loose);
        }
      }
    }
  assert.ok(checked > 100, `only ${checked} JSON responses found: has the description's form changed?`);
  assert.deepEqual(loose, [], `describe these in docs/openapi.yaml:\n  ${loose.join('\n  ')}\n`);
});

test('the check finds a loose object and an untyped list', () => {
  const description = {
    components: { schemas: { Loose: { type: 'object' }, Page: { type: 'object', properties: { items: { type: 'array' } } } } },
  };
  const found = loosePlaces(description, { oneOf: [{ $ref: '#/components/schemas/Loose' }, { $ref: '#/components/schemas/Page' }] }, 'x');
  assert.deepEqual(found, ['#/components/schemas/Loose: an object whose members are not described',
    '#/components/schemas/Page.items: an array whose items are not described']);
  assert.deepEqual(loosePlaces(description, { type: ['object', 'null'], additionalProperties: { description: 'a column' } }, 'y'), []);
});
