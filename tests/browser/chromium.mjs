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
