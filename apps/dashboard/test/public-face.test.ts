/**
 * How the server faces the network, on the real `ncms serve` / `ncms demo`: behind an HTTPS proxy
 * (`--origin https://…` or the configuration's `server.origin`) the CSRF check and the cookie's
 * `Secure` flag follow the public origin, with HSTS; the demo signs in as administrator only
 * requests addressed to localhost, 127.0.0.1 or [::1] (a rebound DNS name is asked to sign in).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addAccount, generateSmallCounty, loadCounty, startServer, type RunningServer } from '../../../packages/cli/test/support.ts';

const PASSWORD = 'a-long-password-1';
let dir: string;
let county: string;
let db: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ncms-face-'));
  county = generateSmallCounty(dir);
  db = loadCounty(dir, county, 'face');
  addAccount(dir, db, 'office', 'admin', PASSWORD);
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** POST /login as a browser at `origin` would send it. */
const signIn = (server: RunningServer, origin: string) =>
  fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'office', password: PASSWORD }) });

/** A GET with the Host header of our choosing (fetch does not let a page set it; a rebound DNS name does). */
function getWithHost(url: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('behind an HTTPS proxy', () => {
  it('follows --origin: forms from the public origin sign in with a Secure cookie and HSTS; the bare address is refused', async () => {
    const server = await startServer(dir, db, ['--origin', 'https://yibao.example.gov.cn']);
    try {
      const ok = await signIn(server, 'https://yibao.example.gov.cn');
      expect(ok.status).toBe(303);
      expect(ok.headers.get('set-cookie')).toMatch(/^ncms_session=[\w-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
      expect(ok.headers.get('strict-transport-security')).toBe('max-age=31536000');
      // The proxy's address is the origin now: a form posted to the bare http address is another site's.
      expect((await signIn(server, server.url)).status).toBe(403);
      expect((await fetch(`${server.url}/healthz`)).headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await server.stop();
    }
  }, 180_000);

  it("takes the origin from the configuration's server.origin, and refuses a malformed --origin by name", async () => {
    const cwd = join(dir, 'configured');
    await mkdir(cwd, { recursive: true });
    await writeFile(join(cwd, 'ncms.config.json'), JSON.stringify({ server: { origin: 'https://ncms.county.example' } }));
    const server = await startServer(cwd, db);
    try {
      const ok = await signIn(server, 'https://ncms.county.example');
      expect(ok.status).toBe(303);
      expect(ok.headers.get('set-cookie')).toContain('; Secure;');
    } finally {
      await server.stop();
    }
    await expect(startServer(dir, db, ['--origin', 'https://x.example/path'])).rejects.toThrow(/--origin 应为公开地址/);
  }, 180_000);
});

describe('the demo', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // `ncms demo` loads ./data/sample (here, the county already loaded) and serves it.
    const cwd = join(dir, 'demo');
    await mkdir(join(cwd, 'data'), { recursive: true });
    await symlink(county, join(cwd, 'data', 'sample'));
    server = await startServer(cwd, db, [], { demo: true });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('signs in as administrator only requests addressed to localhost, 127.0.0.1 or [::1], on any port', async () => {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `[::1]:${port}`]) {
      const r = await getWithHost(server.url, '/api/users', host);
      expect(r.status, host).toBe(200);
    }
    // A page of another site whose name was rebound to 127.0.0.1 sends its own name.
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`, `localhost.evil.example`]) {
      const r = await getWithHost(server.url, '/api/users', host);
      expect(r.status, host).toBe(401);
      expect(r.body, host).toContain('unauthenticated');
    }
  });
});
