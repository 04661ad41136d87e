// build.mjs - docs/openapi.yaml into dist/openapi.json, which nginx serves at
// GET /api/v1/openapi.json (make builds it; the YAML is the one source).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { parse } from 'yaml';

const here = new URL('.', import.meta.url);
const description = parse(readFileSync(new URL('openapi.yaml', here), 'utf8'));
mkdirSync(new URL('dist/', here), { recursive: true });
writeFileSync(new URL('dist/openapi.json', here), `${JSON.stringify(description)}\n`);
