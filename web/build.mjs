// build.mjs - bundles the platform's own pages into dist/ (the cabinet is
// served by nginx under /cabinet/, the citizens' portal at / with its files
// under /portal/) and reports the gzipped size of each.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const out = new URL('./dist/', import.meta.url).pathname;
const common = { bundle: true, minify: true, format: 'esm', target: ['es2020'], legalComments: 'none', logLevel: 'warning' };

const sizes = {};
for (const page of ['cabinet', 'portal']) {
  const dir = `${out}${page}/`;
  mkdirSync(dir, { recursive: true });
  await build({ ...common, entryPoints: [`src/${page}/main.js`], outfile: `${dir}${page}.js` });
  await build({ entryPoints: [`src/${page}/${page}.css`], bundle: true, minify: true, outfile: `${dir}${page}.css`, logLevel: 'warning' });
  writeFileSync(`${dir}index.html`, readFileSync(`src/${page}/index.html`, 'utf8'));
  sizes[page] = ['js', 'css'].reduce((n, ext) => n + gzipSync(readFileSync(`${dir}${page}.${ext}`), { level: 9 }).length, 0);
}
writeFileSync(`${out}sizes.json`, `${JSON.stringify(sizes, null, 2)}\n`);
console.log(`web: ${Object.entries(sizes).map(([p, n]) => `${p} ${(n / 1024).toFixed(1)} KB`).join(', ')} gzipped`);
