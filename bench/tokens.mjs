// tokens.mjs - bearer tokens for the benchmark's citizens, one per line, signed
// like the server's (HS256 with OTKLIK_TOKEN_KEY_FILE); their sessions were
// created by data.sql as md5('bench' || id).
// node bench/tokens.mjs OFFSET COUNT > tokens.txt
import { createHash, createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [offset, count] = process.argv.slice(2).map(Number);
const key = readFileSync(process.env.OTKLIK_TOKEN_KEY_FILE, 'utf8').trim();
const issuer = process.env.OTKLIK_TOKEN_ISSUER ?? 'otklik';
const ids = execFileSync('/usr/lib/postgresql/15/bin/psql', [process.env.OTKLIK_DATABASE_URL, '-XAtq', '-c',
  `SELECT id FROM users WHERE esia_oid LIKE 'bench-%' ORDER BY id OFFSET ${offset} LIMIT ${count}`],
  { maxBuffer: 1 << 28 }).toString().trim().split('\n');
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const header = b64({ alg: 'HS256', typ: 'JWT' });
const now = Math.floor(Date.now() / 1000);
const out = [];
for (const id of ids) {
  const jti = createHash('md5').update(`bench${id}`).digest('hex');
  const body = `${header}.${b64({ iss: issuer, sub: id, jti, iat: now, exp: now + 86400 })}`;
  out.push(`${body}.${createHmac('sha256', key).update(body).digest('base64url')}`);
}
process.stdout.write(`${out.join('\n')}\n`);
