/**
 * Fuzzing the extract readers: valid files of each kind mutated at random (bytes changed, text
 * inserted, lines cut, doubled or swapped, the encoding broken). Every run ends: the file is
 * loaded, partly quarantined with line numbers, or rejected with a reason — never a crash, a
 * hang, or a half-loaded file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { query } from '@ncms/warehouse';
import { ingest } from './index.ts';
import { sandbox, ID, CENSUS, FACILITIES, type Sandbox } from './test-support/fixtures.ts';

let sb: Sandbox;
beforeAll(async () => {
  sb = await sandbox();
});
afterAll(async () => {
  await sb.cleanup();
});

const ENROLLMENT = `year,person_id,name,household_id,division_code,category,enrolled_on\n2005,${ID.a},张三,H1,410523100200,一般,2004-11-05\n2005,${ID.b},李四,H1,410523100200,五保,2004-11-06\n`;
const HIS = `claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost,drug_cost,eligible_cost,reimbursed,referral\nC1,${ID.a},H1,住院,2005-03-01,2005-03-05,1000.50,400,900,300,否\nC2,${ID.b},H1,门诊,2005-04-01,,50,,50,10,否\n`;
const LEDGER = 'entry_id,date,direction,category,amount\nJ1,2005-01-05,收入,individual,1234.56\nJ2,2005-02-01,支出,inpatient,300\n';
const FILES: [string, string][] = [['census', CENSUS], ['facilities', FACILITIES], ['enrollment', ENROLLMENT], ['his', HIS], ['ledger', LEDGER]];

/** One change to a file's bytes. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 12 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('line' as const), at: fc.nat(), how: fc.constantFrom('double', 'drop', 'swap') }),
);

function mutate(text: string, changes: readonly unknown[]): Buffer {
  let b = Buffer.from(text, 'utf8');
  for (const c of changes as { op: string; at: number; value?: number; text?: string; length?: number; how?: string }[]) {
    const at = b.length ? c.at % b.length : 0;
    if (c.op === 'byte' && b.length) b[at] = c.value!;
    else if (c.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(c.text!, 'utf8'), b.subarray(at)]);
    else if (c.op === 'cut') b = Buffer.concat([b.subarray(0, at), b.subarray(at + c.length!)]);
    else if (c.op === 'line') {
      const lines = b.toString('latin1').split('\n');
      const i = c.at % lines.length;
      if (c.how === 'double') lines.splice(i, 0, lines[i]!);
      else if (c.how === 'drop') lines.splice(i, 1);
      else if (i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
      b = Buffer.from(lines.join('\n'), 'latin1');
    }
  }
  return b;
}

describe('extract readers under mutated input', () => {
  it('load, quarantine or reject every file with a reason; never crash, hang or half-load', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...FILES), fc.array(mutation, { minLength: 1, maxLength: 4 }), async ([kind, text], changes) => {
        const file = `${kind}/fuzz-${run++}.csv`;
        await sb.put(file, mutate(text, changes));
        const table = kind === 'his' ? 'claims' : kind;
        const count = async () => (await query<{ b: number; r: number }>(sb.conn, `SELECT (SELECT count(*) FROM batches)::INTEGER AS b, (SELECT count(*) FROM ${table})::INTEGER AS r`))[0]!;
        const before = await count();
        const s = await ingest(sb.conn, sb.src, { kinds: [kind as never], maxBadShare: 1 });
        const mine = s.files.find((f) => f.path.endsWith(file))!;
        expect(mine, file).toBeDefined();
        expect(['loaded', 'unchanged', 'rejected', 'rejected_earlier']).toContain(mine.status);
        const after = await count();
        // At most one batch record per file; a rejected file adds none of its rows.
        expect(after.b - before.b).toBeLessThanOrEqual(1);
        if (mine.status.startsWith('rejected')) {
          expect(mine.reason, file).toMatch(/\S/);
          expect(after.r, file).toBe(before.r);
        }
      }),
      { numRuns: 60, seed: 20261201, interruptAfterTimeLimit: 90_000 },
    );
  }, 120_000);
});
