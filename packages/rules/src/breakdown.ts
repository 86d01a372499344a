/**
 * The ways the payout trend explorer splits claims: by the facility's level, inside or outside
 * the county, the enrolee's category, and the main diagnosis's ICD-10 chapter (疾病分类, the
 * chapters of GB/T 14396). Each is a vocabulary of parts and an SQL expression naming a claim's
 * part from the columns of the prepared claims (analytics_claims). Pure: the analytics package
 * runs it.
 */
import { CATEGORY, FACILITY_LEVEL } from './vocabulary.ts';

interface Chapter {
  code: string;
  zh: string;
  /** First and last three-character category of the chapter. */
  from: string;
  to: string;
}

export const DIAGNOSIS_CHAPTERS: readonly Chapter[] = [
  { code: 'I', from: 'A00', to: 'B99', zh: '传染病和寄生虫病' },
  { code: 'II', from: 'C00', to: 'D48', zh: '肿瘤' },
  { code: 'III', from: 'D50', to: 'D89', zh: '血液及造血器官疾病和免疫疾患' },
  { code: 'IV', from: 'E00', to: 'E90', zh: '内分泌、营养和代谢疾病' },
  { code: 'V', from: 'F00', to: 'F99', zh: '精神和行为障碍' },
  { code: 'VI', from: 'G00', to: 'G99', zh: '神经系统疾病' },
  { code: 'VII', from: 'H00', to: 'H59', zh: '眼和附器疾病' },
  { code: 'VIII', from: 'H60', to: 'H95', zh: '耳和乳突疾病' },
  { code: 'IX', from: 'I00', to: 'I99', zh: '循环系统疾病' },
  { code: 'X', from: 'J00', to: 'J99', zh: '呼吸系统疾病' },
  { code: 'XI', from: 'K00', to: 'K93', zh: '消化系统疾病' },
  { code: 'XII', from: 'L00', to: 'L99', zh: '皮肤和皮下组织疾病' },
  { code: 'XIII', from: 'M00', to: 'M99', zh: '肌肉骨骼系统和结缔组织疾病' },
  { code: 'XIV', from: 'N00', to: 'N99', zh: '泌尿生殖系统疾病' },
  { code: 'XV', from: 'O00', to: 'O99', zh: '妊娠、分娩和产褥期' },
  { code: 'XVI', from: 'P00', to: 'P96', zh: '起源于围生期的某些情况' },
  { code: 'XVII', from: 'Q00', to: 'Q99', zh: '先天性畸形、变形和染色体异常' },
  { code: 'XVIII', from: 'R00', to: 'R99', zh: '症状、体征和异常所见' },
  { code: 'XIX', from: 'S00', to: 'T98', zh: '损伤、中毒和外因的后果' },
  { code: 'XX', from: 'V01', to: 'Y98', zh: '疾病和死亡的外因' },
  { code: 'XXI', from: 'Z00', to: 'Z99', zh: '影响健康状态和与保健机构接触的因素' },
  { code: 'XXII', from: 'U00', to: 'U99', zh: '特殊目的编码' },
];

/** The part of a claim whose field is empty or not understood. */
export const UNKNOWN_PART = { code: 'unknown', zh: '未填写或无法识别' } as const;

/** The ICD-10 chapter of a diagnosis code (`J18.9` → `X`), `unknown` when it is none. */
export function diagnosisChapter(code: string | null | undefined): string {
  const k = (code ?? '').trim().toUpperCase().slice(0, 3);
  if (!/^[A-Z]\d\d$/.test(k)) return UNKNOWN_PART.code;
  return DIAGNOSIS_CHAPTERS.find((c) => k >= c.from && k <= c.to)?.code ?? UNKNOWN_PART.code;
}

/** The same in SQL over a diagnosis code column. */
export function diagnosisChapterSql(column: string): string {
  const k = `upper(left(trim(${column}), 3))`;
  return `CASE WHEN NOT regexp_full_match(coalesce(${k}, ''), '[A-Z][0-9][0-9]') THEN '${UNKNOWN_PART.code}'\n${DIAGNOSIS_CHAPTERS.map((c) => `  WHEN ${k} BETWEEN '${c.from}' AND '${c.to}' THEN '${c.code}'`).join('\n')}\n  ELSE '${UNKNOWN_PART.code}' END`;
}

export interface Breakdown {
  code: string;
  zh: string;
  /** The parts in the order they are shown, with their labels. */
  parts: readonly { code: string; zh: string }[];
  /** SQL naming a claim's part from the prepared claim columns of `alias`. */
  sql(alias: string): string;
}

const withUnknown = (column: string) => (alias: string) => `coalesce(${alias}.${column}, '${UNKNOWN_PART.code}')`;

export const BREAKDOWNS: readonly Breakdown[] = [
  { code: 'facility_level', zh: '医疗机构级别', parts: [...FACILITY_LEVEL.terms, UNKNOWN_PART], sql: withUnknown('level') },
  {
    code: 'in_county',
    zh: '县内外',
    parts: [{ code: 'in', zh: '县域内' }, { code: 'out', zh: '县域外' }, UNKNOWN_PART],
    sql: (a) => `CASE WHEN ${a}.in_county THEN 'in' WHEN NOT ${a}.in_county THEN 'out' ELSE '${UNKNOWN_PART.code}' END`,
  },
  { code: 'category', zh: '人员类别', parts: [...CATEGORY.terms, UNKNOWN_PART], sql: withUnknown('category') },
  { code: 'diagnosis_chapter', zh: '疾病分类（ICD-10 章）', parts: [...DIAGNOSIS_CHAPTERS, UNKNOWN_PART], sql: (a) => diagnosisChapterSql(`${a}.diagnosis_code`) },
];

export const breakdownByCode = (code: string): Breakdown | undefined => BREAKDOWNS.find((b) => b.code === code);

/** A part's label; the code itself when unknown. */
export function partLabel(breakdown: Breakdown, part: string): string {
  return breakdown.parts.find((p) => p.code === part)?.zh ?? part;
}
