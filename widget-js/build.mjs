// build.mjs - bundles and minifies the widget into dist/ (served under /widget/)
// and reports the gzipped sizes: loader, and the frame's script, styles and page.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const out = new URL('./dist/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const common = { bundle: true, minify: true, format: 'iife', target: ['es2020'], legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/loader.js'], outfile: `${out}otklik.js` });
await build({ ...common, entryPoints: ['src/frame.js'], outfile: `${out}frame.js` });
await build({ entryPoints: ['src/frame.css'], minify: true, outfile: `${out}frame.css`, logLevel: 'warning' });
writeFileSync(`${out}frame.html`, readFileSync('src/frame.html', 'utf8').replace(/\n\s*/g, ''));

// the public pages of votings and polls (served under /participate/)
mkdirSync(`${out}participate`, { recursive: true });
await build({ ...common, entryPoints: ['src/participate/voting.js', 'src/participate/poll.js'], outdir: `${out}participate` });
await build({ entryPoints: ['src/participate/participate.css'], minify: true, outdir: `${out}participate`, logLevel: 'warning' });
for (const page of ['voting.html', 'poll.html']) {
  writeFileSync(`${out}participate/${page}`, readFileSync(`src/participate/${page}`, 'utf8').replace(/\n\s*/g, ''));
}

const sizes = {};
for (const name of ['otklik.js', 'frame.js', 'frame.css', 'frame.html']) {
  sizes[name] = gzipSync(readFileSync(`${out}${name}`), { level: 9 }).length;
}
sizes.total = Object.values(sizes).reduce((a, b) => a + b, 0);
writeFileSync(`${out}sizes.json`, `${JSON.stringify(sizes, null, 2)}\n`);
console.log(`widget: ${(sizes.total / 1024).toFixed(1)} KB gzipped (loader ${sizes['otklik.js']} B, frame ${sizes['frame.js'] + sizes['frame.css'] + sizes['frame.html']} B)`);
