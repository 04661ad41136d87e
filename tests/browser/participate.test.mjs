// participate.test.mjs - a person votes on the demo voting and answers the demo
// poll on the public pages, in Debian's chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ARTIFACTS, launch, providerSignIn } from './chromium.mjs';
import { sql } from '../integration/helpers.mjs';

const BASE = process.env.OTKLIK_BASE_URL;

test('log in, vote for two projects, answer the poll, see the results', async () => {
  const browser = await launch();
  const voter = `voter-${Date.now()}`;
  try {
    const page = await browser.newPage();
    await page.goto(`${BASE}/participate/voting.html`);
    await page.locator('#login').click();
    await providerSignIn(page, voter);
    await page.waitForURL(`${BASE}/participate/voting.html`);
    const boxes = page.locator('input[name=project]');
    await boxes.first().waitFor();
    assert.ok(await boxes.count() >= 4);
    await boxes.nth(0).check();
    await boxes.nth(3).check();
    assert.match(await page.locator('#total').innerText(), /Выбрано: 2 из 2/);
    await page.screenshot({ path: `${ARTIFACTS}voting-page.png` });
    await page.locator('#vote').click();
    await page.getByText('Ваш голос учтён').waitFor();
    await page.locator('#results li').first().waitFor();
    assert.deepEqual(sql(`SELECT cardinality(b.project_ids) FROM ballots b JOIN users u ON u.id = b.user_id WHERE u.esia_oid = '${voter}'`), [['2']]);
    await page.reload();
    await page.getByText('Вы уже проголосовали').waitFor();

    await page.goto(`${BASE}/participate/poll.html?id=1`);
    await page.locator('#poll').waitFor();
    await page.locator('input[type=radio]').first().check();
    await page.locator('input[type=checkbox]').nth(1).check();
    await page.locator('textarea').fill('Пустите автобус до нового района');
    await page.locator('#answer').click();
    await page.getByText('Спасибо за ответ').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}poll-page.png` });
    assert.deepEqual(sql(`SELECT count(*) FROM poll_responses r JOIN users u ON u.id = r.user_id WHERE u.esia_oid = '${voter}'`), [['1']]);
  } finally {
    await browser.close();
  }
});
