// roles-words.test.mjs - every role core/ok_authz.c knows has its words in
// the cabinet (web/src/cabinet/words.js), in Russian and English: the
// organisation picker, the staff page and a message's history name roles,
// and a role without words shows as its key ("role.intake_operator").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

test("every role of core/ok_authz.c is named in the cabinet's words, in both languages", () => {
  const roles = [...read('core/ok_authz.c').matchAll(/^\s*\{"([a-z_]+)", OK_ROLE_[A-Z_]+\}/gm)].map((m) => m[1]);
  assert.ok(roles.length >= 9, `roles found: ${roles}`);
  const words = read('web/src/cabinet/words.js');
  const [ru, en] = words.split(/^\s*en: \{/m);
  for (const role of roles) {
    assert.match(ru, new RegExp(`'role\\.${role}': '`), `no Russian words for role ${role}`);
    assert.match(en ?? '', new RegExp(`'role\\.${role}': '`), `no English words for role ${role}`);
  }
});
