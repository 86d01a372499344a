/**
 * Who is admitted for what, where, for how long and at what cost: diagnoses that depend on sex,
 * age and the facility's level, costs and stays that depend on the diagnosis, admissions that
 * peak in winter and spring. Rough figures of a central-China county around 2005, enough that a
 * county official finds nothing impossible.
 */
import type { FacilityLevel as Level } from '@ncms/rules';
import type { Random } from './random.ts';

export interface Diagnosis {
  code: string;
  name: string;
  sex?: 'M' | 'F';
  /** Ages (years) the diagnosis occurs at, inclusive. */
  ages: readonly [number, number];
  /** Relative frequency among the admissions of people it can occur to. */
  weight: number;
  /** Median total cost at a township health centre (元) and median stay (days). */
  cost: number;
  los: number;
  /** Levels it is treated at, with weights. */
  levels: readonly (readonly [Level, number])[];
  /** A respiratory illness: admissions twice as seasonal. */
  seasonal?: boolean;
}

const ANY: readonly (readonly [Level, number])[] = [['township', 55], ['county', 33], ['city', 10], ['provincial', 2]];
const HOSPITAL: readonly (readonly [Level, number])[] = [['county', 60], ['city', 32], ['provincial', 8]];
const SERIOUS: readonly (readonly [Level, number])[] = [['county', 30], ['city', 50], ['provincial', 20]];

export const DIAGNOSES: readonly Diagnosis[] = [
  { code: 'J18.900', name: '肺炎', ages: [0, 100], weight: 14, cost: 500, los: 7, levels: ANY, seasonal: true },
  { code: 'J06.900', name: '急性上呼吸道感染', ages: [0, 100], weight: 6, cost: 250, los: 4, levels: [['township', 80], ['county', 20]], seasonal: true },
  { code: 'A09.900', name: '小儿腹泻', ages: [0, 5], weight: 10, cost: 300, los: 4, levels: [['township', 60], ['county', 40]] },
  { code: 'J44.100', name: '慢性阻塞性肺病急性加重', ages: [45, 100], weight: 9, cost: 800, los: 10, levels: ANY, seasonal: true },
  { code: 'I10.x00x002', name: '高血压', ages: [35, 100], weight: 9, cost: 450, los: 8, levels: ANY },
  { code: 'I63.900', name: '脑梗死', ages: [45, 100], weight: 10, cost: 1000, los: 12, levels: ANY },
  { code: 'I25.100', name: '冠心病', ages: [40, 100], weight: 8, cost: 900, los: 9, levels: ANY },
  { code: 'E14.900x001', name: '糖尿病', ages: [30, 100], weight: 5, cost: 650, los: 9, levels: ANY },
  { code: 'K29.700', name: '胃炎', ages: [15, 100], weight: 6, cost: 400, los: 5, levels: [['township', 70], ['county', 30]] },
  { code: 'K35.800', name: '急性阑尾炎', ages: [5, 75], weight: 5, cost: 900, los: 7, levels: [['township', 45], ['county', 50], ['city', 5]] },
  { code: 'K80.200', name: '胆囊结石', ages: [25, 90], weight: 4, cost: 1300, los: 9, levels: [['township', 20], ['county', 60], ['city', 20]] },
  { code: 'N20.000', name: '肾结石', ages: [20, 85], weight: 3, cost: 800, los: 6, levels: [['township', 30], ['county', 55], ['city', 15]] },
  { code: 'O80.000', name: '顺产', sex: 'F', ages: [18, 42], weight: 30, cost: 400, los: 3, levels: [['township', 55], ['county', 45]] },
  { code: 'O82.000', name: '剖宫产', sex: 'F', ages: [18, 44], weight: 12, cost: 1100, los: 7, levels: [['county', 85], ['city', 15]] },
  { code: 'S72.000', name: '股骨颈骨折', ages: [50, 100], weight: 3, cost: 2500, los: 16, levels: HOSPITAL },
  { code: 'H25.900', name: '老年性白内障', ages: [55, 100], weight: 4, cost: 1200, los: 5, levels: HOSPITAL },
  { code: 'C34.900', name: '肺恶性肿瘤', ages: [40, 100], weight: 2, cost: 3500, los: 16, levels: SERIOUS },
  { code: 'C16.900', name: '胃恶性肿瘤', ages: [40, 100], weight: 2, cost: 3600, los: 17, levels: SERIOUS },
];

/** What each level costs against a township health centre, and how much longer it keeps patients. */
const LEVEL_COST: Record<Level, { cost: number; los: number }> = {
  township: { cost: 1, los: 1 },
  county: { cost: 2.6, los: 1.2 },
  city: { cost: 6, los: 1.4 },
  provincial: { cost: 9, los: 1.5 },
};

/** Yearly chance of at least one admission other than a delivery, by age (rural China, mid-2000s: a few per cent). */
export function admissionChance(age: number): number {
  if (age < 5) return 0.035;
  if (age < 15) return 0.008;
  if (age < 45) return 0.012;
  if (age < 65) return 0.028;
  if (age < 75) return 0.055;
  return 0.07;
}

/** Admissions by month: peaks in winter and spring, a trough in summer. */
const MONTH_WEIGHT = [1.3, 1.2, 1.15, 1.05, 0.9, 0.8, 0.75, 0.75, 0.85, 0.95, 1.1, 1.2];

/** A day of the year (0-based) with the season's weight; respiratory illnesses twice as seasonal. */
export function admissionDay(r: Random, seasonal: boolean): number {
  const month = r.weighted(MONTH_WEIGHT.map((w, m) => [m, seasonal ? w * w : w] as const));
  return Math.min(364, Math.floor(month * 30.4) + r.int(0, 29));
}

/** Deliveries come with births (the population's), not from the random admissions. */
const isDelivery = (d: Diagnosis) => d.code.startsWith('O8');
export const DELIVERIES = DIAGNOSES.filter(isDelivery);

/** A diagnosis other than a delivery for a person of this sex and age, or undefined when none fits. */
export function pickDiagnosis(r: Random, female: boolean, age: number): Diagnosis | undefined {
  const fits = DIAGNOSES.filter((d) => !isDelivery(d) && (!d.sex || (d.sex === 'F') === female) && age >= d.ages[0] && age <= d.ages[1]);
  // the old are admitted for chronic illness more, children for infections
  return fits.length ? r.weighted(fits.map((d) => [d, d.weight * (age >= 60 && d.ages[0] >= 35 ? 2 : 1)] as const)) : undefined;
}

/** Total cost (fen) and length of stay (days) of a stay, by diagnosis and level, grown by `growth`. */
export function stayCost(r: Random, d: Diagnosis, level: Level, growth: number): { totalFen: number; los: number } {
  const k = LEVEL_COST[level];
  return {
    totalFen: Math.round(r.logNormal(d.cost * 100 * k.cost * growth, 0.45)),
    los: Math.max(1, Math.round(r.logNormal(d.los * k.los, 0.35))),
  };
}

/** Outpatient visits: what a village doctor or township clinic sees, by age. */
export const OUTPATIENT: readonly { code: string; name: string; ages: readonly [number, number]; weight: number }[] = [
  { code: 'J06.900', name: '急性上呼吸道感染', ages: [0, 100], weight: 10 },
  { code: 'A09.900', name: '小儿腹泻', ages: [0, 5], weight: 6 },
  { code: 'K29.700', name: '胃炎', ages: [15, 100], weight: 3 },
  { code: 'I10.x00x002', name: '高血压', ages: [35, 100], weight: 4 },
  { code: 'M54.500', name: '腰痛', ages: [25, 100], weight: 3 },
];

/** Yearly outpatient visits by age (mean of a Poisson count). */
export function visitsMean(age: number): number {
  return age < 6 ? 0.9 : age < 45 ? 0.35 : age < 65 ? 0.55 : 0.9;
}
