// messages.test.mjs - the message catalogue (core/ok_messages.c) against the
// code: every sentence a worker can answer with (an English string literal in
// core/ or modules/) has its Russian translation, with the same printf
// conversions in the same order (ok_problemf and ok_i18n_printf format the
// translation with the English call's arguments); nothing in the catalogue is
// left over from sentences the code no longer says; and details are never
// formatted before the catalogue sees them. Runs without a stack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../..', import.meta.url).pathname;
const CATALOGUE = 'core/ok_messages.c';
const files = execFileSync('git', ['ls-files', 'core/*.c', 'modules/*.c'], { cwd: ROOT })
  .toString().split('\n').filter((f) => f.endsWith('.c') && f !== CATALOGUE);

/** The string literals of C source, adjacent literals joined, comments dropped. */
function literals(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/"\s*\n\s*"/g, '');
  return [...code.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((m) => m[1]);
}

/** A sentence for people: starts with a letter, has a space, ends with a full stop. */
const isSentence = (s) => /^[A-Za-z][^]*[.!?]$/.test(s) && s.includes(' ');
/** The printf conversions, in order (what the argument list depends on). */
// (the code uses no flags: "%-escape" is words, not a conversion)
const conversions = (s) => s.match(/%\d*(?:\.\d+)?(?:hh|h|ll|l|z|j|t)?[diouxXscfgp]/g) ?? [];

const catalogue = new Map();
{
  const code = readFileSync(ROOT + CATALOGUE, 'utf8').replace(/"\s*\n\s*"/g, '');
  for (const [, en, ru] of code.matchAll(/\{\s*"((?:[^"\\\n]|\\.)*)",\s*"((?:[^"\\\n]|\\.)*)"\s*\}/g)) catalogue.set(en, ru);
}
const said = new Map();
for (const file of files)
  for (const s of literals(readFileSync(ROOT + file, 'utf8'))) if (isSentence(s) && !said.has(s)) said.set(s, file);

test('every sentence of core/ and modules/ is in the catalogue', () => {
  const missing = [...said].filter(([s]) => !catalogue.has(s)).map(([s, f]) => `${f}: ${s}`);
  assert.deepEqual(missing, [], `add these to ${CATALOGUE} with their Russian`);
});

test('each translation keeps the English conversions in order', () => {
  const wrong = [...catalogue].filter(([en, ru]) => conversions(en).join() !== conversions(ru).join());
  assert.deepEqual(wrong, []);
});

test('the translations are Russian and the catalogue has no sentence the code no longer says', () => {
  const reasons = ['Bad Request', 'Unauthorized', 'Forbidden', 'Not Found', 'Method Not Allowed', 'Conflict',
    'Length Required', 'Content Too Large', 'Unsupported Media Type', 'Unprocessable Content', 'Too Many Requests',
    'Internal Server Error', 'Bad Gateway', 'Service Unavailable', 'Unknown'];
  assert.deepEqual([...catalogue.keys()].filter((en) => !said.has(en) && !reasons.includes(en)), []);
  assert.deepEqual([...catalogue].filter(([, ru]) => !/[а-яё]/i.test(ru)).map(([en]) => en), []);
});

test('details are formatted by ok_problemf or ok_i18n_printf, after translation', () => {
  const found = [];
  for (const file of files) {
    const code = readFileSync(ROOT + file, 'utf8');
    for (const m of code.matchAll(/ok_problem(?:_field)?\s*\(([^;]*?)ok_arena_printf/g))
      if (!m[1].includes(')')) found.push(`${file}: ${m[0].slice(0, 80)}`);
  }
  assert.deepEqual(found, []);
});
