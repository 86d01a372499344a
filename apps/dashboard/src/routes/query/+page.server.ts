import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { EXPLORE_COLUMNS, EXPLORE_PERIODS, QueryError, explore, type ExplorePeriod, type ExploreQuery } from '@ncms/analytics';
import { deleteSavedQuery, describeColumn, readManifest, readSavedQueries, saveQuery, SavedQueryError, type QueryOwner } from '@ncms/lake';
import { BREAKDOWNS, GRAIN, INDICATORS, type Grain } from '@ncms/rules';
import { figuresPage } from '$lib/server/page';
import { ParamError } from '$lib/server/filters';
import { audit } from '$lib/server/audit-log';
import { can } from '@ncms/access';

const choice = <T extends string>(url: URL, name: string, values: readonly T[], fallback: T): T => {
  const v = url.searchParams.get(name) || fallback;
  if (!values.includes(v as T)) throw new ParamError(name, `${name} 应为 ${values.join('、')} 之一 (got "${v}")`);
  return v as T;
};
const yearParam = (url: URL, name: string): number | undefined => {
  const v = url.searchParams.get(name);
  if (!v) return undefined;
  if (!/^\d{4}$/.test(v)) throw new ParamError(name, `${name} 应为四位年度 (got "${v}")`);
  return Number(v);
};

/** The explorer's question from the query string; defaults answer the office's usual one. */
function exploreQuery(url: URL, township: string | undefined): ExploreQuery {
  return {
    indicator: choice(url, 'indicator', EXPLORE_COLUMNS.map((c) => c.indicator.id), 'inpatient_payout'),
    grain: choice(url, 'grain', GRAIN.codes, township ? 'township' : 'county') as Grain,
    period: choice(url, 'period', EXPLORE_PERIODS, 'quarter') as ExplorePeriod,
    breakdown: url.searchParams.get('breakdown') || undefined,
    township,
    unit: url.searchParams.get('unit') || undefined,
    from: yearParam(url, 'from'),
    to: yearParam(url, 'to'),
  };
}

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'query', async ({ filters, years, platform }) => {
    const url = event.url;
    const tab = url.searchParams.get('tab') === 'sql' ? ('sql' as const) : ('trend' as const);
    const options = {
      indicators: EXPLORE_COLUMNS.map((c) => ({ id: c.indicator.id, zh: c.indicator.zh, unit: c.indicator.unit })),
      grains: GRAIN.terms.map((t) => ({ code: t.code, zh: t.zh })),
      breakdowns: BREAKDOWNS.map((b) => ({ code: b.code, zh: b.zh })),
    };
    if (tab === 'trend') {
      const q = exploreQuery(url, filters.township);
      let result;
      try {
        result = await platform.read((conn) => explore(conn, q));
      } catch (e) {
        if (e instanceof QueryError) throw new ParamError(e.param, e.message);
        throw e;
      }
      return { empty: false as const, year: filters.year, years, tab, options, query: q, result };
    }
    // The console reads the analyst snapshot (masked): its tables and columns are what SQL can name.
    const snap = await platform.analystSnapshot();
    const manifest = await readManifest(snap.dir);
    const tables = (manifest?.tables ?? []).map((t) => ({
      name: t.name,
      zh: t.zh,
      rows: t.rows,
      columns: [...t.columns, ...t.partitionedBy.map((k) => ({ name: k, type: manifest!.hiveTypes[k] ?? 'VARCHAR' }))].map((c) => ({ ...c, zh: describeColumn(t.name, c.name) })),
    }));
    const catalogue = INDICATORS.map((i) => ({ id: i.id, zh: i.zh, unit: i.unit, formula: i.formula }));
    const saved = await platform.read(readSavedQueries);
    // Who may remove which saved query: the author, or an administrator (the server checks again).
    const me = { username: event.locals.principal!.username, admin: can(event.locals.principal, 'administer') };
    return { empty: false as const, year: filters.year, years, tab, options, tables, catalogue, saved, me, masked: manifest?.masked ?? true };
  });

/** The signed-in account as a saved query's owner. */
const owner = (locals: App.Locals): QueryOwner => ({ username: locals.principal!.username, admin: can(locals.principal, 'administer') });
const STATUS = { invalid: 400, not_found: 404, not_yours: 403 } as const;

export const actions: Actions = {
  /** Saves the console's SQL under a title, for the whole office, as the signed-in account's. */
  save: async (event) => {
    const form = await event.request.formData();
    try {
      const r = await event.locals.platform.write((conn) => saveQuery(conn, { title: form.get('title'), sql: form.get('sql') }, owner(event.locals)));
      await audit(event, 'query_saved', `#${r.id} ${String(form.get('title')).trim()}${r.replaced ? '（替换同名查询）' : ''}`);
      return { saved: r.id };
    } catch (e) {
      if (e instanceof SavedQueryError) return fail(STATUS[e.reason], { message: e.message, field: e.field });
      throw e;
    }
  },
  remove: async (event) => {
    const id = Number((await event.request.formData()).get('id'));
    if (!Number.isInteger(id) || id < 1) return fail(400, { message: '缺少查询编号' });
    try {
      const q = await event.locals.platform.write((conn) => deleteSavedQuery(conn, id, owner(event.locals)));
      await audit(event, 'query_removed', `#${id} ${q.title}（作者 ${q.author}）`);
      return { removed: id };
    } catch (e) {
      if (e instanceof SavedQueryError) return fail(STATUS[e.reason], { message: e.message });
      throw e;
    }
  },
};
