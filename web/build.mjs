// build.mjs - bundles the platform's own pages into dist/ (the cabinet is
// served by nginx under /cabinet/, the citizens' portal at / with its files
// under /portal/) and reports the gzipped size of each.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const out = new URL('./dist/', import.meta.url).pathname;
const common = { bundle: true, minify: true, format: 'esm', target: ['es2020'], legalComments: 'none', logLevel: 'warning' };

const gzipped = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const sizes = {};
for (const page of ['cabinet', 'portal']) {
  const dir = `${out}${page}/`;
  mkdirSync(dir, { recursive: true });
  rmSync(`${dir}chunks`, { recursive: true, force: true });
  // what a page imports with import() becomes a chunk of its own, loaded when needed
  await build({ ...common, entryPoints: { [page]: `src/${page}/main.js` }, outdir: dir, splitting: true, chunkNames: 'chunks/[name]-[hash]' });
  await build({ entryPoints: [`src/${page}/${page}.css`], bundle: true, minify: true, outfile: `${dir}${page}.css`, logLevel: 'warning' });
  writeFileSync(`${dir}index.html`, readFileSync(`src/${page}/index.html`, 'utf8'));
  sizes[page] = ['js', 'css'].reduce((n, ext) => n + gzipped(`${dir}${page}.${ext}`), 0);
}
// the cabinet's map (src/cabinet/map.js): Leaflet's chunk and style sheet, loaded with a located message's card
const cabinet = `${out}cabinet/`;
await build({ entryPoints: ['src/cabinet/map.css'], bundle: true, minify: true, outfile: `${cabinet}map.css`, loader: { '.png': 'file', '.svg': 'file' }, assetNames: 'chunks/[name]-[hash]', logLevel: 'warning' });
sizes['cabinet-map'] = gzipped(`${cabinet}map.css`) + readdirSync(`${cabinet}chunks`).filter((f) => f.endsWith('.js'))
  .reduce((n, f) => n + gzipped(`${cabinet}chunks/${f}`), 0);
writeFileSync(`${out}sizes.json`, `${JSON.stringify(sizes, null, 2)}\n`);
console.log(`web: ${Object.entries(sizes).map(([p, n]) => `${p} ${(n / 1024).toFixed(1)} KB`).join(', ')} gzipped`);
