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
/** The output files a file loads with it (static imports, transitively). */
const withStatic = (outputs, file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const i of outputs[file].imports) if (i.kind === 'import-statement') withStatic(outputs, i.path, seen);
  return seen;
};
const sum = (files) => [...files].reduce((n, f) => n + gzipped(f), 0);
const lazy = {};
for (const page of ['cabinet', 'portal']) {
  const dir = `${out}${page}/`;
  mkdirSync(dir, { recursive: true });
  rmSync(`${dir}chunks`, { recursive: true, force: true });
  // what a page imports with import() becomes a chunk of its own, loaded when needed
  const { metafile } = await build({ ...common, entryPoints: { [page]: `src/${page}/main.js` }, outdir: dir, splitting: true, chunkNames: 'chunks/[name]-[hash]', metafile: true });
  await build({ entryPoints: [`src/${page}/${page}.css`], bundle: true, minify: true, outfile: `${dir}${page}.css`, logLevel: 'warning' });
  writeFileSync(`${dir}index.html`, readFileSync(`src/${page}/index.html`, 'utf8'));
  // the first screen: the page's script, what it imports statically, its style sheet
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint === `src/${page}/main.js`);
  const eager = withStatic(outputs, entry);
  sizes[page] = sum(eager) + gzipped(`${dir}${page}.css`);
  // each chunk loaded with import(), by the source it starts from, without what the first screen loaded already
  for (const file of Object.keys(outputs).filter((f) => f.endsWith('.js') && !eager.has(f) && outputs[f].entryPoint))
    lazy[`${page}:${outputs[file].entryPoint}`] = [...withStatic(outputs, file)].filter((f) => !eager.has(f));
}
const chunkOf = (name) => sum(lazy[name] ?? []);
// the cabinet's map (src/cabinet/map.js): Leaflet's chunk and style sheet, loaded with a located message's card
const cabinet = `${out}cabinet/`;
await build({ entryPoints: ['src/cabinet/map.css'], bundle: true, minify: true, outfile: `${cabinet}map.css`, loader: { '.png': 'file', '.svg': 'file' }, assetNames: 'chunks/[name]-[hash]', logLevel: 'warning' });
sizes['cabinet-map'] = gzipped(`${cabinet}map.css`) + chunkOf('cabinet:src/cabinet/leaflet-map.js');
// the cabinet's administration pages (src/cabinet/admin-pages.js), loaded when the section is first opened
sizes['cabinet-admin'] = chunkOf('cabinet:src/cabinet/admin-pages.js');
// the cabinet's analytics page (src/cabinet/analytics-page.js with uPlot) and uPlot's style sheet, loaded when the page is first opened
await build({ entryPoints: ['src/cabinet/analytics.css'], bundle: true, minify: true, outfile: `${cabinet}analytics.css`, logLevel: 'warning' });
sizes['cabinet-analytics'] = gzipped(`${cabinet}analytics.css`) + chunkOf('cabinet:src/cabinet/analytics-page.js');
writeFileSync(`${out}sizes.json`, `${JSON.stringify(sizes, null, 2)}\n`);
console.log(`web: ${Object.entries(sizes).map(([p, n]) => `${p} ${(n / 1024).toFixed(1)} KB`).join(', ')} gzipped`);
