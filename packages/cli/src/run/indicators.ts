import type { options } from '../commands/indicators.ts';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { readVia } from '../open-platform.ts';
import { formatRows } from '../output.ts';
import { readPolicyArg } from '../policy-arg.ts';
import { columnsOf, notesOf } from '../server/link.ts';
import { chineseHeader, chineseValue, type Grain } from '@ncms/rules';
import { QueryError, type IndicatorTable } from '@ncms/analytics';
import { indicatorTable, type IndicatorRequest, type SeriesKind } from '@ncms/platform';
import type { Row } from '@ncms/warehouse';

type Args = ArgValues<typeof options>;

/** The API path of a request: the same parameters the pages and scripts use. */
export function indicatorsPath(req: IndicatorRequest): string {
  const p = new URLSearchParams({ year: String(req.year), by: req.by });
  if (req.township) p.set('township', req.township);
  if (req.ids?.length) p.set('ids', req.ids.join(','));
  if (req.period) p.set('period', req.period);
  if (req.fresh) p.set('fresh', '1');
  if (req.series) p.set('kind', req.series);
  return `${req.series ? '/api/series' : '/api/indicators'}?${p}`;
}

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const policy = await readPolicyArg(args.policy);
  const req: IndicatorRequest = {
    year: args.year,
    by: args.by as Grain,
    township: args.township,
    ids: args.ids?.split(',').map((s) => s.trim()).filter(Boolean),
    period: args.period,
    series: args.series as SeriesKind | undefined,
    fresh: args.fresh,
    policy: policy?.file,
    openingBalance: args['opening-balance'],
  };
  const table = await readVia<IndicatorTable>(
    args,
    async (server) => {
      const body = policy || req.openingBalance ? { ...policy?.body, opening_balance: req.openingBalance } : undefined;
      const reply = await server.json<Row[]>(indicatorsPath(req), body);
      return { columns: columnsOf(reply.headers) ?? Object.keys(reply.body[0] ?? {}), rows: reply.body, notes: notesOf(reply.headers) };
    },
    (platform) =>
      indicatorTable(platform, req).catch((e: unknown) => {
        if (e instanceof QueryError) throw new UsageError([`--${e.param} ${e.message}`]);
        throw e;
      }),
  );
  const zh = args.labels === 'zh' && args.format === 'csv';
  const rows = zh ? table.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, chineseValue(k, v)]))) : table.rows;
  process.stdout.write(formatRows(rows, table.columns, args.format as 'csv' | 'json', zh ? { header: chineseHeader, bom: true } : {}));
  for (const n of table.notes) process.stderr.write(`注 note: ${n}\n`);
  return EXIT.ok;
}
