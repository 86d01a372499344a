/** GET/POST /api/series?year=Y&kind=monthly|campaign|lorenz|insurer[&by=…][&township=CODE]: the series of `ncms indicators --series` (insurer: the county's, under the year's or the posted policy). */
import type { RequestHandler } from './$types';
import { SERIES } from '@ncms/platform';
import { api, readEnum } from '$lib/server/api';
import { ParamError } from '$lib/server/filters';
import { answer, indicatorRequest } from '$lib/server/indicator-api';

const handler: RequestHandler = api(async ({ url, request, locals }) => {
  const kind = readEnum(url, 'kind', SERIES);
  if (!kind) throw new ParamError('kind', `kind 为必填参数：${SERIES.join('、')} (kind is required)`);
  return answer({ ...(await indicatorRequest(url, request)), series: kind }, locals, request, url);
});
export const GET = handler;
export const POST = handler;
