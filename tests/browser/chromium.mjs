// chromium.mjs - Debian's chromium driven by playwright-core (the machine cannot
// download browsers), headless, with the network chatter this sandbox refuses
// turned off.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

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
