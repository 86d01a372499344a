/**
 * The filters every page and API route shares, read from the query string (`?year=2005&township=
 * 410523101&village=…`) so that any view can be shared as a link. A malformed value is a 400
 * that names the parameter, never a silently different page.
 */
import { error } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';

export class ParamError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

export type { Filters } from '$lib/types';
import type { Filters } from '$lib/types';

/**
 * The township a signed-in township officer is kept to (the request hook has refused any other);
 * undefined for everyone else and outside a request.
 */
export function viewerTownship(): string | undefined {
  try {
    return getRequestEvent().locals.principal?.township;
  } catch {
    return undefined;
  }
}

/**
 * The year asked for, else the latest year with data; township and village codes checked by
 * shape. A township officer who names no township gets their own.
 */
export function readFilters(url: URL, years: readonly number[]): Filters {
  const y = url.searchParams.get('year');
  let year = years.at(-1) ?? new Date().getFullYear();
  if (y !== null) {
    if (!/^\d{4}$/.test(y)) throw new ParamError('year', `year 应为四位年度，如 2006 (got "${y}")`);
    year = Number(y);
  }
  // An empty field of the filter form means "not chosen".
  const township = url.searchParams.get('township') || viewerTownship();
  if (township !== undefined && !/^\d{9}$/.test(township)) throw new ParamError('township', `township 应为 9 位乡镇区划代码 (got "${township}")`);
  const village = url.searchParams.get('village') || undefined;
  if (village !== undefined && !/^\d{12}$/.test(village)) throw new ParamError('village', `village 应为 12 位村区划代码 (got "${village}")`);
  if (village && township && !village.startsWith(township)) throw new ParamError('village', `村 ${village} 不在乡镇 ${township} 内 (village outside the township)`);
  return { year, township: township ?? village?.slice(0, 9), village };
}

/** For pages: a bad parameter becomes a readable 400 page naming it; anything else goes on as it was. */
export function pageParamError(e: unknown): never {
  if (e instanceof ParamError) error(400, { message: e.message.includes(e.param) ? e.message : `参数 ${e.param} 有误：${e.message}`, code: 'bad_param' });
  throw e;
}

/** For pages: a bad parameter becomes a readable 400 page. */
export function pageFilters(url: URL, years: readonly number[]): Filters {
  try {
    return readFilters(url, years);
  } catch (e) {
    return pageParamError(e);
  }
}

/** A day `YYYY-MM-DD` that exists in the calendar (not 2026-99-99), else a ParamError naming `param`. */
export function readDay(url: URL, param: string): string | undefined {
  const v = url.searchParams.get(param) || undefined;
  if (v === undefined) return undefined;
  const day = new Date(`${v}T00:00:00Z`);
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === v;
  if (!ok) throw new ParamError(param, `${param} 应为日历上的一天，如 2026-12-01 (got "${v.slice(0, 40)}")`);
  return v;
}
