import type { Actions, PageServerLoad } from './$types';
import { fail } from '@sveltejs/kit';
import { readBatches, readFindings, readQuarantine, readRuns } from '@ncms/analytics';
import { ingestWithEvents } from '@ncms/platform';
import { saveUpload, UPLOAD_KINDS, UploadError } from '$lib/server/upload';
import { TooLargeError } from '$lib/server/body-limits';

export const load: PageServerLoad = async ({ locals, parent }) => {
  const { available, filters } = await parent();
  if (!available) return { empty: true as const };
  const p = locals.platform;
  const [runs, rejected, quarantine, findings] = await Promise.all([
    p.read((c) => readRuns(c, 20)),
    p.read((c) => readBatches(c, { status: 'rejected', limit: 50 })),
    p.read((c) => readQuarantine(c, 100)),
    p.read((c) => readFindings(c, filters.year)),
  ]);
  return { empty: false as const, year: filters.year, runs, rejected, quarantine, findings, sourceDir: p.config.pipeline.sources[0]?.dir ?? null, kinds: UPLOAD_KINDS };
};

export const actions: Actions = {
  /** A file dropped into the county's source folder, then loaded with the rest of what is new there. */
  upload: async ({ request, locals }) => {
    const source = locals.platform.config.pipeline.sources[0]?.dir;
    if (!source) return fail(400, { uploadError: '配置中没有数据来源目录 (sources)，无法上传。' });
    try {
      const saved = await saveUpload(request, source, locals.platform.config.uploadLimitBytes);
      const { summary, refresh } = await ingestWithEvents(locals.platform, source, { trigger: 'api' }, () => undefined);
      return {
        uploaded: saved,
        summary: {
          files: summary.files.map((f) => ({ name: f.path.slice(source.length + 1), status: f.status, reason: f.reason ?? null, rows: f.rows.total, quarantined: f.rows.quarantined })),
          rejected: summary.rejected,
          refreshed: refresh.refreshed,
        },
      };
    } catch (e) {
      if (e instanceof UploadError) return fail(400, { uploadError: e.message });
      // The rest of the body is left unread (see body-limits.ts).
      if (e instanceof TooLargeError) return fail(413, { uploadError: e.message });
      throw e;
    }
  },
};
