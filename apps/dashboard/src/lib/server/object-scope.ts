/**
 * Objects named by id or code (an archived report, a facility) are checked against the signed-in
 * account's own township, not only against the query string's `township=`: a township officer
 * gets 403 `out_of_scope` for another township's object or the county's — and the same 403, word
 * for word, for an id that does not exist, so the answers do not tell which ids exist. Accounts
 * that see the whole county get 404 for a missing id, as before.
 */
import { error } from '@sveltejs/kit';
import { rows } from '@ncms/warehouse';
import type { Principal } from '@ncms/access';
import type { Platform } from '@ncms/platform';
import { ApiError } from './api';

/** The one answer for "not yours or not there" (the message names no township and no id). */
export const OUT_OF_SCOPE_OBJECT = '无权查看此对象：它不属于您的乡镇，或并不存在 (out of scope)';

/**
 * The object if the principal may see it. `township` is the object's own township (undefined: the
 * county's, which a township officer may not open either).
 */
export function inScope<T>(p: Principal | undefined, object: T | undefined, township: (o: T) => string | undefined, notFound: string): T {
  if (p?.township) {
    if (object === undefined || township(object) !== p.township) throw new ApiError(403, 'out_of_scope', OUT_OF_SCOPE_OBJECT);
    return object;
  }
  if (object === undefined) throw new ApiError(404, 'not_found', notFound);
  return object;
}

/** The same for a page: the refusal is the readable error page (403 or 404). */
export function pageInScope<T>(p: Principal | undefined, object: T | undefined, township: (o: T) => string | undefined, notFound: string): T {
  try {
    return inScope(p, object, township, notFound);
  } catch (e) {
    if (e instanceof ApiError) error(e.status, { message: e.message, code: e.code });
    throw e;
  }
}

/**
 * Why a township officer may not name this facility (`?facility=`), or undefined when they may:
 * a facility of the county located in another township is another township's. Hospitals outside
 * the county (their enrolees are treated there too) and unknown codes (they match nothing) pass.
 */
export async function facilityOutOfScope(platform: Platform, p: Principal, facility: string): Promise<string | undefined> {
  if (!p.township) return undefined;
  const [f] = await platform.read((conn) =>
    rows<{ division_code: string | null; in_county: boolean }>(conn, 'SELECT division_code, in_county FROM facilities WHERE facility_code = $1 LIMIT 1', [facility]),
  );
  if (!f?.in_county || !f.division_code || f.division_code.startsWith(p.township)) return undefined;
  return `无权查看机构 ${facility} 的数据：它不在本乡镇 (${p.township}) 内`;
}
