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

/** Logs page, showing the cabinet's login page, in as oid through the local
 * identity provider's pages (any password, then consent). */
export async function providerLogin(page, oid) {
  await page.getByRole('link', { name: 'Войти через Госуслуги' }).click();
  await page.locator('input[name=login]').fill(oid);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/interaction\//);
  await page.locator('button[type=submit]').click(); // consent
}
