/** POST /api/simulate?year=Y[&growth=G] with a policy body: the what-if of `ncms simulate` (without G, derived from the loaded years). */
import type { RequestHandler } from './$types';
import { json } from '@sveltejs/kit';
import { simulation } from '@ncms/platform';
import { api, apiFilters, readSourceBody } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';

export const POST: RequestHandler = api(async ({ url, request, locals }) => {
  const { year } = apiFilters(url);
  const growth = url.searchParams.get('growth') || undefined;
  if (growth !== undefined && !/^-?\d+(\.\d{1,4})?$/.test(growth)) throw new ParamError('growth', `growth 应为增长率，如 0.2366，最多四位小数 (got "${growth}")`);
  const { policy } = await readSourceBody(request);
  if (!policy) throw new ParamError('policy_text', '需要新政策 (policy_text: the policy to simulate)');
  return json(await simulation(locals.platform, { year, policy, growth }));
});
