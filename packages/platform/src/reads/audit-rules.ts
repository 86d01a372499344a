/**
 * The audit rules' findings and their review, behind `ncms audit --rules` and `/api/audit/rules`:
 * one function each, so the command line and the server answer the same. A decision is a write
 * (after any load or refresh under way), so remembered pages show it at once.
 */
import { readAuditFund, readAuditRules, recordReview, type AuditFundRow, type AuditRuleRow, type AuditRulesQuery, type ReviewRequest, type ReviewStatus } from '@ncms/analytics';
import type { Platform } from '../platform.ts';

export interface AuditRulesListing {
  total: number;
  rows: AuditRuleRow[];
  /** The roll and fund rules' findings (county-wide; empty for a township's list). */
  fund: AuditFundRow[];
}

export function auditRulesListing(platform: Platform, req: AuditRulesQuery & { withFund?: boolean }): Promise<AuditRulesListing> {
  return platform.read(async (conn) => ({
    ...(await readAuditRules(conn, req)),
    fund: req.withFund === false || req.township ? [] : await readAuditFund(conn, req.year, { personalData: req.personalData }),
  }));
}

export function reviewFinding(platform: Platform, req: ReviewRequest): Promise<ReviewStatus> {
  return platform.write((conn) => recordReview(conn, req));
}
