// config.test.mjs - one configuration reader (core/ok_config.c): every OTKLIK_*
// variable a program reads is a row of its table and of README.md's one
// "Configuration" table, and no program finds its files through its own path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../..', import.meta.url).pathname;
const sources = execFileSync('git', ['ls-files', 'core/*.[ch]', 'modules/*.[ch]', 'tools/*.c'], { cwd: ROOT })
  .toString().split('\n').filter((f) => /\.[ch]$/.test(f));
const read = (f) => readFileSync(ROOT + f, 'utf8');

/** The variables a program reads: the names given to ok_config_*. */
function readVariables() {
  const names = new Set();
  for (const f of sources) {
    for (const m of read(f).matchAll(/ok_config_(?:text|integer|string|long)\(\s*"(OTKLIK_[A-Z0-9_]+)"/g)) names.add(m[1]);
  }
  return [...names].sort();
}

const table = new Set([...read('core/ok_config.c').matchAll(/^\s*\{"(OTKLIK_[A-Z0-9_]+)", OK_CONFIG_/gm)].map((m) => m[1]));

/** The rows of README.md's Configuration section: the first column's names. */
function readmeRows() {
  const readme = read('README.md');
  const start = readme.indexOf('\n## Configuration\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 5));
  const names = new Set();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    for (const m of line.split('|')[1].matchAll(/`(OTKLIK_[A-Z0-9_]+)`/g)) names.add(m[1]);
  }
  return { names, tables: section.split('\n').filter((l) => /^\|\s*variable\s*\|/.test(l)).length };
}

test('every variable a program reads is in core/ok_config.c\'s table', () => {
  assert.deepEqual(readVariables().filter((n) => !table.has(n)), []);
});

test('every variable of the table is in README.md\'s one Configuration table', () => {
  const { names, tables } = readmeRows();
  assert.equal(tables, 1, 'one table in the Configuration section');
  assert.deepEqual([...table].filter((n) => !names.has(n)), []);
});

test('no program finds its files from its own location', () => {
  const found = sources.filter((f) => /\/proc\/self\/exe|\bdirname\s*\(|\breadlink\s*\(/.test(read(f)));
  assert.deepEqual(found, []);
});
