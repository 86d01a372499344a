import type { options } from '../commands/indicators.ts';
import { type ArgValues, type ExitCode, EXIT, UsageError } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';
import { formatRows } from '../output.ts';
import { chineseHeader, chineseWarnings } from '../labels.ts';
import { resolveSource } from '../year-source.ts';
import { readIndicators, readMonthly, readCampaign, readLorenz, QueryError } from '@ncms/analytics';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const ids = args.ids?.split(',').map((s) => s.trim()).filter(Boolean);
  const platform = await openPlatform(args, { read: true });
  try {
    const source = await resolveSource(platform, args.year, { policy: args.policy, openingBalance: args['opening-balance'], fresh: args.fresh });
    const q = { year: args.year, grain: args.by as 'county' | 'township' | 'village', within: args.township, ids };
    const table = await platform
      .read((conn) =>
        source.with(conn, async (src) => {
          if (args.series === 'monthly') return readMonthly(conn, q, src);
          if (args.series === 'campaign') return readCampaign(conn, q, src);
          if (args.series === 'lorenz') {
            const units = await readIndicators(conn, { ...q, ids: ['enrollees'] }, src);
            const rows = [];
            for (const u of units.rows)
              for (const [i, p] of (await readLorenz(conn, { year: args.year, code: String(u.division_code) }, src)).entries())
                rows.push({ year: u.year, level: u.level, division_code: u.division_code, name: u.name, point: i, village_code: p.code, enrollee_share: p.x, payout_share: p.y });
            return { columns: ['year', 'level', 'division_code', 'name', 'point', 'village_code', 'enrollee_share', 'payout_share'], rows, notes: [] };
          }
          return readIndicators(conn, { ...q, period: args.period }, src);
        }),
      )
      .catch((e: unknown) => {
        if (e instanceof QueryError) throw new UsageError([`--${e.param === 'by' ? 'by' : e.param} ${e.message}`]);
        throw e;
      });
    const zh = args.labels === 'zh' && args.format === 'csv';
    const rows = zh ? table.rows.map((r) => ('warnings' in r ? { ...r, warnings: chineseWarnings(r.warnings as string[] | null) } : r)) : table.rows;
    process.stdout.write(formatRows(rows, table.columns, args.format as 'csv' | 'json', zh ? { header: chineseHeader, bom: true } : {}));
    for (const n of [...source.notes, ...table.notes]) process.stderr.write(`注 note: ${n}\n`);
    return EXIT.ok;
  } finally {
    await platform.close();
  }
}

