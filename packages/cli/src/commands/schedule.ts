import { resolve } from 'node:path';
import { DEFAULT_DB_PATH, openWarehouse } from '@ncms/warehouse';
import { PipelineScheduler, loadConfig } from '@ncms/pipelines';
import type { Command } from '../cli-kit.ts';

export const schedule: Command = {
  name: 'schedule',
  summary: '按计划定时载入数据（长期运行）(run the ingest schedules; long-running)',
  usage: 'ncms schedule [--db FILE] [--config ncms.config.json]',
  options: { db: { type: 'string' }, config: { type: 'string' } },
  async run({ values }) {
    const config = await loadConfig(resolve(String(values.config ?? 'ncms.config.json')));
    const wh = await openWarehouse(String(values.db ?? DEFAULT_DB_PATH));
    const scheduler = new PipelineScheduler(wh.conn, config);
    scheduler.start();
    for (const s of config.sources)
      process.stderr.write(`  ${resolve(s.dir)}: ${Object.entries(s.schedules).map(([k, v]) => `${k} "${v}"`).join(', ')}\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        void scheduler.stop().then(() => {
          wh.close();
          done();
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
