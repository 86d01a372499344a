import { describe, expect, it } from 'vitest';
import { AUDIT_DEFAULTS, AUDIT_RULES, auditParams, singleDiseasePrefixes } from './audit-rules.ts';
import { PolicyError, parsePolicy } from './policy.ts';

const base = {
  scheme: '测试县',
  year: 2006,
  funding: { standards: { general: { individual: 10 } } },
  inpatient: { levels: { township: { deductible: 0, mode: 'whole', bands: [{ upTo: null, rate: 0.5 }] } } },
};

describe('the audit rules\' catalogue', () => {
  it('names every rule once, with a Chinese name, an explanation and evidence', () => {
    expect(new Set(AUDIT_RULES.map((r) => r.code)).size).toBe(AUDIT_RULES.length);
    for (const r of AUDIT_RULES) {
      expect(r.zh, r.code).toMatch(/[\u4e00-\u9fff]/);
      expect(r.explanation.length, r.code).toBeGreaterThan(10);
      expect(r.evidence.length, r.code).toBeGreaterThan(0);
    }
  });

  it('reads the policy\'s audit block over the defaults', () => {
    expect(auditParams(undefined)).toEqual(AUDIT_DEFAULTS);
    const p = parsePolicy({ ...base, audit: { split_days: 15, outpatient_diagnoses: ['j06', 'I10'] } });
    expect(auditParams(p)).toEqual({ split_days: 15, outpatient_diagnoses: ['J06', 'I10'], minor_max_days: 7 });
  });

  it('refuses a bad audit block, naming the field', () => {
    expect(() => parsePolicy({ ...base, audit: { split_days: -1, outpatient_diagnoses: ['J0'] } })).toThrow(PolicyError);
    const error = (() => {
      try {
        parsePolicy({ ...base, audit: { split_days: 2.5, outpatient_diagnoses: ['J0'] } });
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(error?.problems).toEqual([
      'audit.split_days 应为整数天 (must be whole days)',
      'audit.outpatient_diagnoses[0] 应为 3 位 ICD-10 类目，如 "J06" (must be a 3-character ICD-10 category such as "J06")',
    ]);
  });

  it('gives a single-disease entry\'s icd prefixes, or its code, per level', () => {
    const p = parsePolicy({
      ...base,
      single_disease: [
        { code: 'O80', name: '顺产', levels: ['township', 'county'], fund_pays: 300, icd: ['O80', 'o82.'] },
        { code: 'k35', levels: ['county'], fund_pays: 800 },
      ],
    });
    expect(singleDiseasePrefixes(p).map((e) => [e.entry, e.level, e.prefix])).toEqual([
      [0, 'township', 'O80'], [0, 'township', 'O82'], [0, 'county', 'O80'], [0, 'county', 'O82'], [1, 'county', 'K35'],
    ]);
  });
});
