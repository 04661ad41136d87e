// cabinet.mjs - `make bench-cabinet` (scripts/bench-cabinet.sh): how soon the
// staff cabinet shows a queue of 50 messages once logged in, on the stack of
// OTKLIK_BASE_URL. Each person logs in through the identity provider's pages
// once; then each of ROUNDS fresh loads of /cabinet/ is timed from the start
// of the navigation (performance.now(), the page's own clock) to the frame in
// which the 50th row of the queue is in the document. Prints the median and
// the slowest of the rounds after a first, cold one. Reported, not asserted.
import { launch, providerLogin } from '../tests/browser/chromium.mjs';

const BASE = process.env.OTKLIK_BASE_URL;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

async function loggedIn(browser, oid) {
  const context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${BASE}/cabinet/`);
  await providerLogin(page, oid);
  await page.waitForURL(`${BASE}/cabinet/`);
  return page;
}

/** Milliseconds from navigating to hash to 50 rendered rows. */
async function timeQueue(page, hash) {
  await page.goto('about:blank');
  await page.goto(`${BASE}/cabinet/${hash}`, { waitUntil: 'commit' });
  await page.waitForFunction(() => document.querySelectorAll('table.messages tbody tr').length >= 50, null, { polling: 'raf', timeout: 30000 });
  return page.evaluate(() => performance.now());
}

const browser = await launch();
try {
  for (const [oid, hash, what] of [['moderator1', '#/demo-cur/moderation', 'moderation queue (with suggested organisations)'],
    ['coordinator1', '#/demo-admin/to_assign', '"to assign" queue']]) {
    const page = await loggedIn(browser, oid);
    const times = [];
    for (let i = 0; i <= ROUNDS; i++) times.push(await timeQueue(page, hash));
    const warm = times.slice(1).sort((a, b) => a - b);
    console.log(`${oid}, ${what}: cold ${times[0].toFixed(0)} ms, median ${warm[Math.floor(warm.length / 2)].toFixed(0)} ms, slowest ${warm.at(-1).toFixed(0)} ms (${ROUNDS} loads)`);
    await page.context().close();
  }
} finally {
  await browser.close();
}
