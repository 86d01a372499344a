import type { PageServerLoad } from './$types';
import { figuresPage } from '$lib/server/page';
import { error } from '@sveltejs/kit';
import { readAuditByFacility } from '@ncms/analytics';
import { auditListing } from '@ncms/platform';
import { policyFor } from '$lib/server/policy';
import { scopeCode } from '$lib/server/scope';

const PAGE_SIZE = 50;

export const load: PageServerLoad = (event) =>
  figuresPage(event, 'audit', async ({ filters, platform }) => {
    const { year } = filters;
    const { url } = event;
    const facility = url.searchParams.get('facility') || undefined;
    if (facility !== undefined && !/^[0-9A-Za-z_-]{1,32}$/.test(facility)) error(400, { message: `facility 应为机构编码 (got "${facility}")`, code: 'bad_param' });
    const pageNo = Number(url.searchParams.get('page') ?? '1');
    if (!Number.isInteger(pageNo) || pageNo < 1) error(400, { message: `page 应为正整数 (got "${url.searchParams.get('page')}")`, code: 'bad_param' });
    const within = scopeCode(filters);
    const [policy, listing, facilities] = await Promise.all([
      policyFor(platform, year),
      auditListing(platform, { year, township: within, facility, offset: (pageNo - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
      platform.read((c) => readAuditByFacility(c, { year, within })),
    ]);
    return {
      empty: false as const,
      year,
      hasPolicy: policy !== undefined,
      facility,
      facilityName: facility ? (facilities.find((f) => f.facility_code === facility)?.facility_name ?? null) : null,
      page: pageNo,
      pageSize: PAGE_SIZE,
      listing,
      facilities,
    };
  });
