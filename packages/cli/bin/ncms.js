#!/usr/bin/env node
// The built bundle when it is there and every source it was built from is unchanged
// (`npm install` builds it); otherwise the TypeScript sources through tsx, so a developer's
// edit is never hidden behind a stale bundle.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);

function bundleIsFresh() {
  try {
    const inputs = JSON.parse(readFileSync(new URL('inputs.json', dist), 'utf8'));
    return Object.entries(inputs).every(([p, hash]) => createHash('sha1').update(readFileSync(new URL(`../${p}`, import.meta.url))).digest('hex') === hash);
  } catch {
    return false;
  }
}

if (bundleIsFresh()) {
  await import(new URL('main.js', dist).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
