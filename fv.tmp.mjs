import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: ['--no-sandbox'] });
const p = await (await b.newContext()).newPage();
const rs = [];
p.on('response', (r) => rs.push(r.request().sizes().then((s) => [r.url().replace('http://127.0.0.1:3111', ''), r.request().resourceType(), s.responseBodySize])));
await p.goto('http://127.0.0.1:3111/?year=2006', { waitUntil: 'networkidle' });
for (const [u, t, n] of (await Promise.all(rs)).sort((a, b) => b[2] - a[2])) console.log(n, t, u);
await b.close();
