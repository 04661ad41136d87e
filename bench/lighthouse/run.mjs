// run.mjs - `make lighthouse`: Lighthouse (mobile preset: a mid-range phone
// on a slow 4G line, simulated) on the portal's home page, the voting page
// and the personal cabinet of a logged-in citizen, in Debian's chromium
// (CHROME_PATH). The citizen logs in through the local identity provider's
// pages (playwright-core, as the browser tests do); Lighthouse then sends the
// session cookie with every request (extraHeaders), since it opens pages in a
// fresh tab. Prints performance and accessibility scores; asserts nothing.
// OTKLIK_BASE_URL: the stack (scripts/lighthouse.sh starts a private one).
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { writeFileSync, mkdirSync } from 'node:fs';

const BASE = process.env.OTKLIK_BASE_URL;
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const { chromium } = await import(new URL('../../tests/node_modules/playwright-core/index.mjs', import.meta.url));

/** The session cookie of citizen oid, logged in through the provider's pages. */
async function sessionCookie(oid) {
  const browser = await chromium.launch({ executablePath: CHROME, headless: true, args: FLAGS.slice(1) });
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/auth/esia/login?return_to=${encodeURIComponent(`${BASE}/`)}`);
    await page.locator('input[name=login]').fill(oid);
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/interaction\//);
    await page.locator('button[type=submit]').click(); // consent
    await page.waitForURL(`${BASE}/`);
    return (await page.context().cookies(BASE)).map((c) => `${c.name}=${c.value}`).join('; ');
  } finally {
    await browser.close();
  }
}

const cookie = await sessionCookie('citizen1');
const pages = [
  { name: 'home', url: `${BASE}/` },
  { name: 'voting', url: `${BASE}/#/voting` },
  { name: 'cabinet', url: `${BASE}/#/my`, headers: { cookie } },
];
const out = new URL('../../tests/artifacts/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const chrome = await chromeLauncher.launch({ chromePath: CHROME, chromeFlags: FLAGS });
const scores = {};
try {
  for (const p of pages) {
    const result = await lighthouse(p.url, { port: chrome.port, output: 'html', logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'], extraHeaders: p.headers });
    const { categories, audits } = result.lhr;
    scores[p.name] = { performance: Math.round(categories.performance.score * 100),
      accessibility: Math.round(categories.accessibility.score * 100),
      fcp_ms: Math.round(audits['first-contentful-paint'].numericValue),
      lcp_ms: Math.round(audits['largest-contentful-paint'].numericValue) };
    writeFileSync(`${out}lighthouse-${p.name}.html`, result.report);
    const failed = Object.values(audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative'
      && a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual').map((a) => a.id);
    console.log(`lighthouse: ${p.name}: performance ${scores[p.name].performance}, accessibility ${scores[p.name].accessibility}`
      + ` (FCP ${scores[p.name].fcp_ms} ms, LCP ${scores[p.name].lcp_ms} ms)${failed.length ? `; below 0.9: ${failed.join(', ')}` : ''}`);
  }
} finally {
  chrome.kill();
}
writeFileSync(`${out}lighthouse.json`, `${JSON.stringify(scores, null, 2)}\n`);
