// analytics-map-tiles.test.mjs - OTKLIK_MAP_TILES_URL: GET /api/v1/public/map
// gives the maps their tile layer (null when unset: boundaries only), and
// scripts/nginx-render.sh adds exactly the tile server's origin to the
// cabinet's and the portal's CSP img-src (and refuses a value that would
// smuggle anything else into the header).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api } from './helpers.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
const ROOT = new URL('../../', import.meta.url).pathname;
const imgSrc = (csp) => csp.match(/img-src ([^;]*)/)[1];

test('the setting as the stack runs: served to anyone, and the cabinet\'s CSP allows that origin only', async () => {
  const res = await api('GET', '/api/v1/public/map');
  assert.equal(res.status, 200);
  const set = process.env.OTKLIK_MAP_TILES_URL || null;
  assert.deepEqual(res.body, { tiles_url: set });
  const cabinet = await fetch(`${BASE}/cabinet/`);
  const want = set ? `'self' data: ${new URL(set.replace(/[{}]/g, '')).origin}` : "'self' data:";
  assert.equal(imgSrc(cabinet.headers.get('content-security-policy')), want);
});

function render(url) {
  const out = mkdtempSync(join(tmpdir(), 'otklik-render-'));
  const env = { ...process.env, OTKLIK_MAP_TILES_URL: url };
  const run = spawnSync(`${ROOT}scripts/nginx-render.sh`, ['--out', out, '--root', '/r', '--run', '/r', '--log', '/l'], { env });
  const files = run.status === 0 ? {
    cabinet: readFileSync(join(out, 'otklik.conf'), 'utf8').split('\n').find((l) => l.includes("img-src 'self' data:") && !l.includes('blob:')),
    portal: readFileSync(join(out, 'portal-headers.conf'), 'utf8'),
  } : null;
  rmSync(out, { recursive: true, force: true });
  return { status: run.status, files };
}

test('nginx-render adds the tile server\'s origin to the cabinet\'s and the portal\'s img-src', () => {
  const { status, files } = render('https://tiles.example.org:8443/{z}/{x}/{y}.png');
  assert.equal(status, 0);
  assert.equal(imgSrc(files.cabinet), "'self' data: https://tiles.example.org:8443");
  assert.equal(imgSrc(files.portal), "'self' data: blob: https://tiles.example.org:8443");
  const none = render('');
  assert.equal(imgSrc(none.files.cabinet), "'self' data:");
});

test('a value that is not a tile server\'s URL is refused', () => {
  for (const bad of ['https://x.example/a"; script-src *', 'javascript:alert(1)', 'https://x.example/a b', 'https://x.example/a;b', 'ftp://x.example/{z}'])
    assert.notEqual(render(bad).status, 0, bad);
});
