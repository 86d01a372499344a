import { describe, expect, it } from 'vitest';
import { factsNamed } from '@ncms/rules';
import { evaluationFacts as evaluatedFacts } from '../evaluate/facts.ts';
import { useLoadedCounty } from '../test-support/loaded-county.ts';
import { computeYear } from '../evaluate/year.ts';
import { policyModels } from './code-models.ts';
import { factsOf, loadModels, parseModel } from './model-files.ts';
import { rows } from '@ncms/warehouse';

/** Facts the evaluation adds beside the models' (the wide pivots, the sums to date, its own), and the census year the year step adds. */
const evaluationFacts = () => new Set([...evaluatedFacts(), 'census_year']);

describe('the models', () => {
  it('reads a header: materialisation, references and the facts it defines', () => {
    const m = parseModel('x', 'marts', "-- x: test\n-- materialized: table\n-- Facts:\n--   a_fact    what a is\n--             and more about a\n--   b  what b is\n-- Grain: one row\nSELECT * FROM {{ ref('y') }} JOIN {{ ref('z') }}");
    expect(m.materialized).toBe('table');
    expect(m.refs).toEqual(['y', 'z']);
    expect([...m.facts.keys()]).toEqual(['a_fact', 'b']);
    expect(factsOf(['Facts:', '  only  one', 'Grain: x', '  not_a_fact  y'])).toEqual(new Map([['only', 'one']]));
  });

  it('define each fact in one place only', async () => {
    const where = new Map<string, string[]>();
    for (const m of await loadModels()) for (const f of m.facts.keys()) where.set(f, [...(where.get(f) ?? []), m.name]);
    for (const f of evaluationFacts()) where.set(f, [...(where.get(f) ?? []), 'evaluate/facts.ts']);
    const twice = [...where].filter(([, places]) => places.length > 1);
    expect(twice, 'facts defined in more than one place').toEqual([]);
  });

  it('provide every fact the catalogue names', async () => {
    const defined = new Set<string>(evaluationFacts());
    for (const m of await loadModels()) for (const f of m.facts.keys()) defined.add(f);
    expect([...factsNamed()].filter((f) => !defined.has(f))).toEqual([]);
  });

  it('every model names its grain, and reads only models that exist', async () => {
    const models = await loadModels();
    const names = new Set([...models.map((m) => m.name), ...policyModels(undefined).map((m) => m.name)]);
    for (const m of models) {
      expect(m.sql, m.name).toMatch(/^-- Grain: /m);
      for (const r of m.refs) expect(names.has(r), `${m.name} reads ${r}`).toBe(true);
    }
  });
});

describe('the facts tables as computed', () => {
  const wh = useLoadedCounty((put) => {
    put('census/c.csv', 'year,division_code,township_name,village_name,agricultural_population\n2005,410523100200,城关镇,东村,10\n');
    put('enrollment/e.csv', 'year,person_id,name,household_id,division_code\n2005,11010519491231002X,甲,H1,410523100200\n');
  });

  it('hold no column that no model or evaluation step declares', async () => {
    const r = await computeYear(wh.conn, { year: 2005, policy: undefined, openingBalance: '0' });
    try {
      const columns = (await rows<{ name: string }>(wh.conn, `SELECT column_name AS name FROM (DESCRIBE SELECT * FROM ${r.tables.facts})`)).map((c) => c.name);
      const declared = new Set<string>(['year', 'level', 'code', ...evaluationFacts()]);
      for (const m of await loadModels()) for (const f of m.facts.keys()) declared.add(f);
      expect(columns.filter((c) => !declared.has(c))).toEqual([]);
    } finally {
      await r.drop();
    }
  });
});
