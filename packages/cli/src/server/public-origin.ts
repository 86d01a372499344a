/**
 * The server's public face: the origin it is reached at (`--origin` or the configuration's
 * `server.origin`, for a TLS proxy in front; else `http://<Host>`) and the headers every answer
 * carries — set on the Node response before the app runs, so refusals, redirects, static files
 * and SvelteKit's own CSRF refusal carry them too.
 */
import type { ServerResponse } from 'node:http';
import { loadPlatformConfig, parseOrigin } from '@ncms/platform';

/** `--origin` wins over the configuration; a malformed one is refused, naming the option. */
export async function publicOrigin(option: string | undefined, configPath: string): Promise<string | undefined> {
  if (option !== undefined) {
    const origin = parseOrigin(option);
    if (!origin) throw new Error(`--origin 应为公开地址，如 https://yibao.example.gov.cn（只写协议与主机，got "${option}"）(scheme and host only)`);
    return origin;
  }
  // A configuration the app cannot read is reported by the app itself (the server still starts).
  return loadPlatformConfig(configPath).then((c) => c.server.origin, () => undefined);
}

/** The headers of every answer; HSTS only when the public origin is https (a browser then keeps to it). */
export function baseHeaders(origin: string | undefined): [string, string][] {
  return [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'same-origin'],
    ...(origin?.startsWith('https:') ? ([['Strict-Transport-Security', 'max-age=31536000']] as [string, string][]) : []),
  ];
}

export function setBaseHeaders(res: ServerResponse, headers: [string, string][]): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}
