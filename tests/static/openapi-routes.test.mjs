// openapi-routes.test.mjs - every route of every worker's route table
// (modules/*/main.c) is described in docs/openapi.yaml, with its method, so
// that the description cannot fall behind the code: a route added without
// its description fails here, naming exactly what is missing. (The
// integration tests then hold every response to what is described:
// tests/integration/openapi.mjs.) Runs without a stack.
//
// A route's {placeholder} matches any one segment of a described path,
// "{file}" also a described "{service_code}.{format}" (Open311's suffixes).
// The YAML is read by its layout (paths at two spaces, methods at four), as
// docs/openapi.yaml is written; make lint-openapi checks it is valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

const ROOT = new URL('../..', import.meta.url).pathname;

/** [{method, pattern, file}] of every modules/NAME/main.c route table. */
function routes() {
  const found = [];
  for (const module of readdirSync(ROOT + 'modules')) {
    let source;
    try { source = readFileSync(`${ROOT}modules/${module}/main.c`, 'utf8'); } catch { continue; }
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '');
    for (const [, method, pattern] of code.matchAll(/\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)"/g))
      found.push({ method, pattern, file: `modules/${module}/main.c` });
  }
  return found;
}

/** Map path template -> Set of methods, from docs/openapi.yaml's layout. */
function described() {
  const paths = new Map();
  let inPaths = false, current = null;
  for (const line of readFileSync(ROOT + 'docs/openapi.yaml', 'utf8').split('\n')) {
    if (/^\S/.test(line)) { inPaths = line.startsWith('paths:'); current = null; continue; }
    if (!inPaths) continue;
    const path = line.match(/^ {2}['"]?(\/[^'":]*)['"]?:\s*$/);
    if (path) { current = new Set(); paths.set(path[1], current); continue; }
    const method = line.match(/^ {4}(get|post|put|patch|delete):\s*$/);
    if (method && current) current.add(method[1].toUpperCase());
  }
  return paths;
}

/** Whether the route pattern is the described template (placeholders match any segment). */
function matches(pattern, template) {
  const regex = new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}|\{[^}]+\}/g, '[^/]+') + '$');
  return regex.test(pattern.replace(/\{[^}]+\}/g, 'x.json'));
}

test('every route of modules/*/main.c is described in docs/openapi.yaml', () => {
  const all = routes();
  assert.ok(all.length > 50, `only ${all.length} routes found: has the route table's form changed?`);
  const paths = described();
  const missing = all.filter(({ method, pattern }) =>
    ![...paths].some(([template, methods]) => methods.has(method) && matches(pattern, template)))
    .map(({ method, pattern, file }) => `${method} ${pattern} (${file})`);
  assert.deepEqual(missing, [], `describe these in docs/openapi.yaml:\n  ${missing.join('\n  ')}\n`);
});
