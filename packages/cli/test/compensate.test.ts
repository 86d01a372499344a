import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'ncms.js');
const POLICY_2005 = join(import.meta.dirname, '..', '..', 'sample-county', 'policies', 'pilot-2005.json');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-comp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const ncms = (args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('ncms compensate', () => {
  it('computes expected payouts of a hand-written claims file under the 2005 example policy', async () => {
    const claims = join(dir, 'claims.csv');
    await writeFile(
      claims,
      [
        '结算单号,身份证号,机构级别,就诊类型,入院日期,出院日期,总费用,政策范围内费用,转诊,单病种编码',
        'T1,11010519491231002X,乡镇卫生院,住院,2005-03-01,2005-03-04,1000.00,1000.00,否,',
        'T2,11010519491231002X,县级,住院,2005-04-01,2005-04-09,12000.00,12000.00,否,',
        'T3,11010519491231002X,市级,住院,2005-05-01,2005-05-09,3000.00,3000.00,否,',
        'P1,440524188001010014,市级,住院,2005-05-01,2005-05-09,3000.00,3000.00,是,',
        'P2,440524188001010014,县级,住院,2005-06-01,2005-06-09,450,450,否,K35',
        'P3,440524188001010014,乡镇卫生院,门诊,2005-07-01,,30.00,30.00,否,',
      ].join('\n') + '\n',
    );
    const r = ncms(['compensate', '--policy', POLICY_2005, '--claims', claims]);
    expect(r.code, r.stderr).toBe(0);
    // T1: township, whole, deductible 150: 0.25 × 850 = 212.50
    // T2: county, deductible 300: 0.55 × 11700 = 6435 → annual cap 4000 leaves 3787.50
    // T3: city, cap used up → 0
    // P1: city with referral: 0.40 × 2700 × 0.8 = 864.00
    // P2: single disease K35 at county: min(600, 450) = 450.00
    // P3: family account, one-member household: 8.00 of 30.00
    expect(r.stdout).toBe('claim_id,expected_payout\nT1,212.50\nT2,3787.50\nT3,0.00\nP1,864.00\nP2,450.00\nP3,8.00\n');
    const json = ncms(['compensate', '--policy', POLICY_2005, '--claims', claims, '--format', 'json']);
    expect(JSON.parse(json.stdout)[0]).toEqual({ claim_id: 'T1', expected_payout: '212.50' });
  });

  it('takes facility facts from a registry file', async () => {
    const claims = join(dir, 'c2.csv');
    const fac = join(dir, 'f.csv');
    await writeFile(claims, 'claim_id,person_id,facility_code,visit_type,admission_date,discharge_date,total_cost\nA,11010519491231002X,H1,inpatient,2005-03-01,2005-03-02,2000\nB,440524188001010014,NOPE,inpatient,2005-03-01,2005-03-02,2000\n');
    await writeFile(fac, 'facility_code,facility_name,level,in_county,designated\nH1,某诊所,township,1,0\n');
    const r = ncms(['compensate', '--policy', POLICY_2005, '--claims', claims, '--facilities', fac]);
    // A: non-designated, deductible 500: 0.30 × 1500 = 450.00; B: facility unknown and no level given:
    // not 0.00 but empty, and said on stderr with its line; exit 3.
    expect(r.stdout).toBe('claim_id,expected_payout\nA,450.00\nB,\n');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/c2\.csv:3 \[facility_code\] 结算单 B 的机构 NOPE 不在机构目录中/);
  });

  it('refuses a bad policy with one line per problem and exit 2, computing nothing', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ scheme: 'x', year: 2005, funding: { standards: { general: {} } }, inpatient: { levels: { township: { deductible: 100, mode: 'whole', bands: [{ upTo: 500, rate: 0.2 }, { upTo: 400, rate: 1.5 }, { upTo: null, rate: 0.3 }] }, clinic: {} } } }));
    const r = ncms(['compensate', '--policy', bad, '--claims', join(dir, 'claims.csv')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      `${bad}: inpatient.levels.township.bands[1].rate 应在 0 到 1 之间 (must be between 0 and 1)；比例请写成小数：25 % 写作 0.25`,
      `${bad}: inpatient.levels.township.bands[1].upTo 应大于 bands[0].upTo (must be greater than bands[0].upTo)`,
      `${bad}: inpatient.levels 有未知字段 "clinic"，请检查拼写 (unknown field(s) "clinic")`,
    ]);
  });

  it('computes the good rows of a file with a few bad ones, and names the line and column of each bad one (exit 3)', async () => {
    const claims = join(dir, 'c3.csv');
    await writeFile(
      claims,
      'claim_id,person_id,visit_type,admission_date,discharge_date,total_cost,level\n' +
        'A,110105194912310021,inpatient,2005-03-01,2005-03-02,100,county\n' +
        'B,11010519491231002X,inpatient,2005-03-01,2005-03-02,1000,county\n',
    );
    const r = ncms(['compensate', '--policy', POLICY_2005, '--claims', claims]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/c3\.csv:2 \[person_id\] .*check character/);
    // B: county, deductible 300, whole, 1000 lies in the first band (up to 1000): 0.20 × 700 = 140.00
    expect(r.stdout).toBe('claim_id,expected_payout\nB,140.00\n');
  });
});
