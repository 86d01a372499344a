/**
 * `ncms refresh --verify`: a read decides staleness from the record of loads alone; a change made
 * behind the loader (SQL run on the file by hand) is found only by fingerprinting the rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWarehouse } from '@ncms/warehouse';
import { POLICIES, generateSmallCounty, loadCounty, ncmsIn } from './support.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-verify-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Changes one 2004 claim in place, its row hash with it, as no load would. */
async function changeBehindTheLoader(db: string): Promise<void> {
  const wh = await openWarehouse(db);
  try {
    await wh.write((c) =>
      c.run(`UPDATE claims SET reimbursed = reimbursed + 1, row_hash = xor(row_hash, 1)
        WHERE claim_id = (SELECT min(claim_id) FROM claims WHERE scheme_year = 2004)`),
    );
  } finally {
    wh.close();
  }
}

describe('ncms refresh --verify', () => {
  it('finds the years a change behind the loader made stale, which a read does not look for', async () => {
    const ncms = ncmsIn(dir);
    const db = loadCounty(dir, generateSmallCounty(dir), 'verify');
    await changeBehindTheLoader(db);
    const read = ncms(['indicators', '--db', db, '--policies', POLICIES, '--year', '2005', '--by', 'county']);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stderr).not.toMatch(/分析表/);
    const plain = ncms(['refresh', '--db', db, '--policies', POLICIES]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toMatch(/分析表已更新/);
    const verified = ncms(['refresh', '--verify', '--db', db, '--policies', POLICIES]);
    expect(verified.code, verified.stderr).toBe(0);
    // 2004's claims changed; 2005's numbers read 2004's (sums to date)
    expect(verified.stderr).toMatch(/分析表已更新 analytics refreshed: 2004, 2005（/);
    const again = ncms(['refresh', '--verify', '--db', db, '--policies', POLICIES]);
    expect(again.stderr).not.toMatch(/分析表已更新/);
  });
});
