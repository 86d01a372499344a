/**
 * Who may open each route: one line per route of the app (SvelteKit's route id). A route the
 * table does not name is refused to everyone but the administrator, and the route-walk test
 * fails until it is given a rule — a new page cannot be opened by accident.
 */
import type { Capability, Role } from '@ncms/access';

export type RouteRule =
  /** Anyone, signed in or not. */
  | { open: true }
  /** Any signed-in role, or only these; `post`: what a POST (a form action, a write) needs besides. */
  | { roles: 'all' | readonly Role[]; post?: Capability };

const ALL = { roles: 'all' } as const;
const ANALYSTS = { roles: ['admin', 'analyst'] } as const;
const ADMIN = { roles: ['admin'] } as const;

export const ROUTE_RULES: Record<string, RouteRule> = {
  '/healthz': { open: true },
  '/login': { open: true },
  '/favicon.ico': { open: true },
  '/logout': ALL,
  '/account/password': ALL,
  '/': ALL,
  '/enrollment': ALL,
  '/payouts': ALL,
  '/fund': ALL,
  '/equity': ALL,
  '/facilities': ALL,
  '/insurer': ALL,
  '/audit': { roles: 'all', post: 'reviewFindings' },
  '/quality': { roles: 'all', post: 'administer' },
  '/whatif': ALL,
  '/reports': { roles: 'all', post: 'signOff' },
  '/reports/disclosure': ALL,
  '/query': { roles: ['admin', 'analyst'], post: 'sqlConsole' },
  '/admin/audit-log': ADMIN,
  '/api/indicators': ALL,
  '/api/series': ALL,
  '/api/audit': ALL,
  '/api/audit/rules': { roles: 'all', post: 'reviewFindings' },
  '/api/report': ALL,
  '/api/report/archive/[id]': ALL,
  '/api/disclosure': ALL,
  '/api/simulate': ALL,
  '/api/export/xlsx': ALL,
  '/api/query': ANALYSTS,
  '/api/query/export': ANALYSTS,
  '/api/ingest': ADMIN,
  '/api/refresh': ADMIN,
  '/api/lake': ADMIN,
  '/api/users': ADMIN,
  '/api/backup': ADMIN,
  '/api/[...rest]': ALL,
};
