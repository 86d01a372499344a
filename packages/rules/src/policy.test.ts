import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { countyNameOf, parsePolicy, PolicyError, policyJsonSchema } from './index.ts';

const base = () => ({
  scheme: 'x',
  year: 2005,
  funding: { standards: { general: { individual: 10 } } },
  inpatient: { levels: { township: { deductible: 100, mode: 'whole', bands: [{ upTo: 1000, rate: 0.2 }, { upTo: null, rate: 0.3 }] } }, annual_cap: 4000 },
});

function problems(json: unknown): string[] {
  try {
    parsePolicy(json, 'p.json');
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    return (e as PolicyError).problems;
  }
  throw new Error('expected the policy to be refused');
}

describe('parsePolicy', () => {
  it('accepts the example policies shipped with the sample county', async () => {
    const dir = join(import.meta.dirname, '..', '..', 'sample-county', 'policies');
    for (const f of ['pilot-2004.json', 'pilot-2005.json', 'pilot-2006.json', 'resident-2012.json'])
      expect(parsePolicy(JSON.parse(await readFile(join(dir, f), 'utf8'))).year).toBeGreaterThan(2000);
  });

  it('names every problem with its path', () => {
    const p = base() as any;
    p.inpatient.levels.township.bands = [{ upTo: 1000, rate: 0.2 }, { upTo: 800, rate: 1.2 }, { upTo: null, rate: 0.3 }];
    p.inpatient.levels.hospital = p.inpatient.levels.township;
    p.inpatient.annual_cap = 'lots';
    p.funding.standards.general.individual = 10.123;
    expect(problems(p)).toEqual(
      expect.arrayContaining([
        'inpatient.levels.township.bands[1].upTo 应大于 bands[0].upTo (must be greater than bands[0].upTo)',
        'inpatient.levels.township.bands[1].rate 应在 0 到 1 之间 (must be between 0 and 1)；比例请写成小数：25 % 写作 0.25',
        'inpatient.levels 有未知字段 "hospital"，请检查拼写 (unknown field(s) "hospital")',
        'inpatient.annual_cap 应为金额（元） (must be an amount in 元)',
        'funding.standards.general.individual 最多保留 2 位小数 (must have at most 2 decimals)',
      ]),
    );
  });

  it('requires the unbounded band last, and only last', () => {
    const p = base() as any;
    p.inpatient.levels.township.bands = [{ upTo: null, rate: 0.2 }, { upTo: 2000, rate: 0.3 }];
    expect(problems(p)).toEqual([
      'inpatient.levels.township.bands[0].upTo 只有最后一档可以写 upTo: null (only the last band may have upTo: null)',
      'inpatient.levels.township.bands[1].upTo 最后一档应写 upTo: null（不封顶） (the last band must have upTo: null (unbounded))',
    ]);
  });

  it('refuses unknown fields, so a typo never passes silently', () => {
    const p = base() as any;
    p.inpatient.levels.township.deductable = 100;
    expect(problems(p)).toEqual(['inpatient.levels.township 有未知字段 "deductable"，请检查拼写 (unknown field(s) "deductable")']);
  });

  it('says what is missing, and names the allowed values of a choice', () => {
    const p = base() as any;
    delete p.inpatient.levels.township.deductible;
    p.inpatient.levels.township.mode = 'progressive';
    p.outpatient = { mode: 'ratio', levels: ['township'] };
    p.single_disease = [{ code: 'K35', levels: ['township', 'clinic'], fund_pays: 600 }];
    expect(problems(p)).toEqual(
      expect.arrayContaining([
        'inpatient.levels.township.deductible 缺少此项 (is required)',
        'inpatient.levels.township.mode 应为 "whole"（全额累进）或 "banded"（分段累进） (must be "whole" or "banded")',
        'outpatient.rate 按比例补偿时必须写 rate (is required when mode is "ratio")',
        expect.stringMatching(/^single_disease\[0\]\.levels\[1\] 应为 "township"、.*之一 \(must be one of /),
      ]),
    );
  });

  it('checks the insurer block and the large-payout thresholds', () => {
    const p = base() as any;
    p.targets = { large_payout_thresholds: [2000, 5000, 4000.5], max_cumulative_surplus_months: 0 };
    p.insurer = { per_capita_target: 0, bands: [{ upTo: 3000000, share: 45 }, { upTo: 1000000, share: 0.5 }], limit_share_of_premium: 0, presettle_share: 0.4 };
    expect(problems(p)).toEqual(
      expect.arrayContaining([
        'targets.large_payout_thresholds[2] 应为整数元 (must be a whole amount in 元)',
        'targets.large_payout_thresholds[2] 应大于前一个金额 5000 (must be greater than the one before)',
        'targets.max_cumulative_surplus_months 应大于 0 (must be greater than 0)',
        'insurer.per_capita_target 应大于 0 (must be greater than 0)',
        'insurer.bands[0].share 应在 0 到 1 之间 (must be between 0 and 1)；比例请写成小数：25 % 写作 0.25',
        'insurer.bands[1].upTo 最后一档应写 upTo: null（不封顶） (the last band must have upTo: null (unbounded))',
        'insurer.bands[1].upTo 应大于 bands[0].upTo (must be greater than bands[0].upTo)',
        'insurer.limit_share_of_premium 应大于 0 (must be greater than 0)',
      ]),
    );
  });

  it('exports a JSON Schema for editors', () => {
    const s = policyJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['funding', 'inpatient', 'outpatient', 'village_rewards']));
  });
});

describe('countyNameOf', () => {
  it('names the county from the scheme\'s name, as the county row is called', () => {
    expect(countyNameOf('示例县新型农村合作医疗')).toBe('示例县');
    expect(countyNameOf('某某市城乡居民基本医疗保险')).toBe('某某市');
    expect(countyNameOf('新型农村合作医疗')).toBe('全县');
    expect(countyNameOf(undefined)).toBe('全县');
  });
});

describe('policy.schema.json', () => {
  it('is the schema the code generates (regenerate with `npx ncms policy-schema > packages/rules/policy.schema.json`)', async () => {
    const onDisk = JSON.parse(await readFile(join(import.meta.dirname, '..', 'policy.schema.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(policyJsonSchema())));
  });
});
