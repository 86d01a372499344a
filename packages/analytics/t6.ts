import { openWarehouse } from '@ncms/warehouse';
const wh = await openWarehouse('/work/scratch/s10.duckdb', { threads: 2, memoryLimit: '768MB' });
const c = await wh.connect();
const time = async (label: string, sql: string) => { const t = performance.now(); await c.run(sql); console.log(label, ((performance.now()-t)/1000).toFixed(3)); };
await time('join varchar', `CREATE TEMP TABLE j2 AS SELECT c.claim_id, c.person_id, c.visit_type, c.total_cost, e.household_id, e.division_code, e.category FROM (SELECT * FROM claims WHERE scheme_year=2006) c LEFT JOIN (SELECT * FROM enrollment WHERE year=2006) e USING (person_id)`);
await time('join bigint key', `CREATE TEMP TABLE j3 AS SELECT c.claim_id, c.person_id, c.visit_type, c.total_cost, e.household_id, e.division_code, e.category FROM (SELECT *, gb11643_digits(person_id) AS k FROM claims WHERE scheme_year=2006) c LEFT JOIN (SELECT *, gb11643_digits(person_id) AS k FROM enrollment WHERE year=2006) e ON c.k = e.k AND c.person_id = e.person_id`);
await time('semi first', `CREATE TEMP TABLE j4 AS WITH c AS (SELECT * FROM claims WHERE scheme_year=2006), e AS (SELECT * FROM enrollment WHERE year=2006 AND person_id IN (SELECT person_id FROM c)) SELECT c.claim_id, c.person_id, c.visit_type, c.total_cost, e.household_id, e.division_code, e.category FROM c LEFT JOIN e USING (person_id)`);
await time('threads1?', `SELECT current_setting('threads')`);
c.closeSync(); wh.close();
