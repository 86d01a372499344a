import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const pages = process.argv.slice(2);
for (const [w, h, tag] of [[1280, 900, 'd'], [360, 780, 'm']]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  page.on('console', (m) => m.type() === 'error' && console.log('console', m.text()));
  page.on('pageerror', (e) => console.log('pageerror', e.message));
  for (const p of pages) {
    await page.goto('http://127.0.0.1:3111' + p, { waitUntil: 'networkidle' });
    await page.waitForTimeout(600);
    const name = (p.replace(/[^a-z0-9]+/gi, '_') || 'root') + '_' + tag;
    await page.screenshot({ path: `/work/scratch/shots/${name}.png`, fullPage: true });
  }
  await ctx.close();
}
await browser.close();
