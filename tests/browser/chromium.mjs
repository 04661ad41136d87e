// chromium.mjs - Debian's chromium driven by playwright-core (the machine cannot
// download browsers), headless, with the network chatter this sandbox refuses
// turned off.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core finds serious or critical on the page (or frame), one line
 * each, prefixed with what: [] when nothing. The browser contexts bypass CSP
 * only so that axe can be injected. */
export async function seriousViolations(page, what = '') {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${what ? `${what}: ` : ''}${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`);
}

export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
mkdirSync(ARTIFACTS, { recursive: true });

export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
}

/** Signs in as oid on the local identity provider's pages, which page shows:
 * any password, then consent. The consent page is told by its own button
 * ("Continue"), not by its address: the login page's address has the same
 * /interaction/ form, and a fast machine would otherwise press "Sign-in" twice.
 * noWaitAfter for a popup that closes itself once consent is given. */
export async function providerSignIn(page, oid, { noWaitAfter = false } = {}) {
  await page.locator('input[name=login]').fill(oid);
  await page.locator('input[name=password]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click({ noWaitAfter });
}

/** Logs page, showing the cabinet's login page, in as oid. */
export async function providerLogin(page, oid) {
  await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await providerSignIn(page, oid);
}
