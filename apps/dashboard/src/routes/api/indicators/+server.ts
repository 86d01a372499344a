/**
 * GET /api/indicators?year=Y[&by=…][&township=CODE][&ids=…][&period=…][&fresh=1]: the rows of
 * `ncms indicators` as a JSON array, or as Arrow IPC when asked. POST with a body carrying a
 * policy (`policy_text`, `policy_path`) or an opening balance computes the year under those.
 */
import type { RequestHandler } from './$types';
import { api } from '$lib/server/api';
import { answer, indicatorRequest } from '$lib/server/indicator-api';

const handler: RequestHandler = api(async ({ url, request, locals }) => answer(await indicatorRequest(url, request), locals, request, url));
export const GET = handler;
export const POST = handler;
