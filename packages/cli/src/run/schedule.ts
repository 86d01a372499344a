import type { options } from '../commands/schedule.ts';
import { type ArgValues, type ExitCode, EXIT } from '../cli-kit.ts';
import { openPlatform } from '../open-platform.ts';

type Args = ArgValues<typeof options>;

export async function run(args: Args, _positionals: readonly string[]): Promise<ExitCode> {
  const platform = await openPlatform(args, { read: false });
  platform.startSchedules();
  for (const s of platform.config.pipeline.sources)
    process.stderr.write(`  ${s.dir}: ${Object.entries(s.schedules).map(([k, v]) => `${k} "${v}"`).join(', ')}\n`);
  await new Promise<void>((done) => {
    const stop = () => void platform.close().then(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}

