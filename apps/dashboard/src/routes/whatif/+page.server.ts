import type { Actions, PageServerLoad } from './$types';
import { fail } from '@sveltejs/kit';
import { parsePolicyText, PolicyFileError } from '@ncms/analytics';
import { simulation } from '@ncms/platform';
import { policyFor } from '$lib/server/policy';

export const load: PageServerLoad = async ({ locals, parent }) => {
  const { available, prepared, filters, years } = await parent();
  if (!available || !prepared) return { empty: true as const, year: available ? filters.year : undefined };
  const current = await policyFor(locals.platform, filters.year);
  return {
    empty: false as const,
    year: filters.year,
    years,
    policyText: current ? JSON.stringify(current.policy, null, 2) : '',
    policyNote: current?.note ?? null,
  };
};

export const actions: Actions = {
  /** Re-runs the chosen year's claims under the edited or uploaded policy. */
  simulate: async ({ request, locals }) => {
    const form = await request.formData();
    const year = Number(form.get('year'));
    // an empty growth rate: derived from the loaded years
    const growth = String(form.get('growth') ?? '').trim() || undefined;
    const file = form.get('policy_file');
    const text = file instanceof File && file.size > 0 ? await file.text() : String(form.get('policy_text') ?? '');
    const label = file instanceof File && file.size > 0 ? file.name : '编辑的政策';
    const problems: string[] = [];
    if (!Number.isInteger(year) || year < 1990 || year > 2100) problems.push('请选择测算年度');
    if (growth !== undefined && !/^-?\d+(\.\d{1,4})?$/.test(growth)) problems.push(`费用增长率应为小数，最多四位，如 0.2366（表示 23.66%），收到 "${growth}"`);
    if (!text.trim()) problems.push('请填写或上传政策文件');
    let policy;
    if (text.trim()) {
      try {
        policy = parsePolicyText(text, label);
      } catch (e) {
        if (!(e instanceof PolicyFileError)) throw e;
        problems.push(...e.problems);
      }
    }
    if (problems.length || !policy) return fail(400, { problems, policyText: text, growth: growth ?? '' });
    const result = await simulation(locals.platform, { year, policy, growth });
    return { result, policyText: text, growth: growth ?? '' };
  },
};
