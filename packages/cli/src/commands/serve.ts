import { defineCommand, EXIT, type OptionSpec } from '../cli-kit.ts';
import { DATABASE_OPTIONS } from '../open-platform.ts';

/** Where the server listens: shared by `serve` and `demo`. */
export const LISTEN_OPTIONS = {
  port: { type: { kind: 'int', placeholder: 'P', min: 1, max: 65535 }, zh: '端口', en: 'the port', default: 3000 },
  host: { type: { kind: 'string', placeholder: 'H' }, zh: '监听地址（0.0.0.0 供局域网访问）', en: 'the address to listen on (0.0.0.0 for the local network)', default: '127.0.0.1' },
} as const satisfies Record<string, OptionSpec>;

export const options = {
  ...DATABASE_OPTIONS,
  ...LISTEN_OPTIONS,
  'no-schedules': { type: { kind: 'flag' }, zh: '不运行定时载入', en: 'do not run the ingest schedules' },
  origin: { type: { kind: 'string', placeholder: 'URL' }, zh: '公开地址（HTTPS 反向代理之后，如 https://yibao.example.gov.cn；默认取配置的 server.origin）', en: 'the public origin behind an HTTPS proxy (default: server.origin of the configuration)' },
} as const satisfies Record<string, OptionSpec>;

export const serve = defineCommand({
  name: 'serve',
  zh: '启动仪表盘与接口服务（独占数据库，运行定时载入；Ctrl+C 停止）',
  en: 'serve the dashboard and API over the database, with the ingest schedules (long-running)',
  options,
  exitCodes: [EXIT.ok, EXIT.runtime, EXIT.usage, EXIT.dbInUse],
  examples: ['ncms serve --db data/ncms.duckdb', 'ncms serve --db data/ncms.duckdb --host 0.0.0.0 --port 8080', 'ncms serve --db data/ncms.duckdb --origin https://yibao.example.gov.cn'],
  run: (args, positionals) => import('../run/serve.ts').then((m) => m.run(args, positionals)),
});
