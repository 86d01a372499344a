import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePolicy, PolicyError, policyJsonSchema } from './index.ts';

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
    for (const f of ['pilot-2004.json', 'pilot-2005.json', 'resident-2012.json'])
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
        'inpatient.levels.township.bands[1].upTo must be greater than bands[0].upTo',
        'inpatient.levels.township.bands[1].rate must be between 0 and 1',
        'inpatient.levels unknown field(s) "hospital"',
        expect.stringMatching(/^inpatient\.annual_cap /),
        'funding.standards.general.individual must have at most 2 decimals',
      ]),
    );
  });

  it('requires the unbounded band last, and only last', () => {
    const p = base() as any;
    p.inpatient.levels.township.bands = [{ upTo: null, rate: 0.2 }, { upTo: 2000, rate: 0.3 }];
    expect(problems(p)).toEqual([
      'inpatient.levels.township.bands[0].upTo only the last band may have upTo: null',
      'inpatient.levels.township.bands[1].upTo the last band must have upTo: null (unbounded)',
    ]);
  });

  it('refuses unknown fields, so a typo never passes silently', () => {
    const p = base() as any;
    p.inpatient.levels.township.deductable = 100;
    expect(problems(p)).toEqual(['inpatient.levels.township unknown field(s) "deductable"']);
  });

  it('exports a JSON Schema for editors', () => {
    const s = policyJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['funding', 'inpatient', 'outpatient', 'village_rewards']));
  });
});

describe('policy.schema.json', () => {
  it('is the schema the code generates (regenerate with `npx ncms policy-schema > packages/rules/policy.schema.json`)', async () => {
    const onDisk = JSON.parse(await readFile(join(import.meta.dirname, '..', 'policy.schema.json'), 'utf8'));
    expect(onDisk).toEqual(JSON.parse(JSON.stringify(policyJsonSchema())));
  });
});
