/**
 * The county's people and how they change from year to year: households of a couple (each with
 * their own surname), their children and often a grandparent; births, deaths, daughters marrying
 * into another village, households leaving. Names follow the surnames' real frequency and the
 * person's sex, which the ID number's sequence digit also carries.
 */
import { type Category } from '@ncms/rules';
import { makeId } from './ids.ts';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAME_WEIGHTS, TOWN_NAMES, VILLAGE_SUFFIX } from './names.ts';
import type { Random } from './random.ts';

export const COUNTY_CODE = '410523';

export interface Person {
  id: string;
  name: string;
  female: boolean;
  /** Days since 1970-01-01 (UTC) of the birth. */
  birth: number;
  household: string;
  village: number;
  category: Category;
  /** Written in the pre-1999 15-digit form by some old rolls. */
  old15: boolean;
  /** A daughter of the house: may marry into another village. */
  daughter: boolean;
  /** The last year the person lived in the county (died or left at its end); undefined while they do. */
  lastYear?: number;
}

export interface Household {
  id: string;
  village: number;
  members: number[];
}

export interface Village {
  code: string;
  name: string;
  township: number;
  households: string[];
}

export interface Township {
  code: string;
  name: string;
  baseRate: number;
  income: number;
}

export interface County {
  townships: Township[];
  villages: Village[];
  households: Map<string, Household>;
  persons: Person[];
  /** Every ID number given out: the first residents and the later births come from two builders, and no number may repeat. */
  ids: Set<string>;
}

const DAY = 86_400_000;
export const dayOf = (y: number, m: number, d: number): number => Date.UTC(y, m, d) / DAY;
export const isoDay = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
/** Age in whole years on 1 July of year y. */
export const ageIn = (p: Person, y: number): number => Math.floor((dayOf(y, 6, 1) - p.birth) / 365.25);

export class PopulationBuilder {
  private readonly seqByBirth = new Map<string, number>();
  private householdSeq = new Map<number, number>();

  constructor(
    private readonly r: Random,
    readonly county: County,
  ) {}

  surname(): string {
    return this.r.weighted(SURNAME_WEIGHTS);
  }

  /** A person born on `birth` (a day number), with a name for their sex and a valid ID. */
  person(surname: string, female: boolean, birth: number, household: Household, category: Category, daughter = false): number {
    const b8 = isoDay(birth).replace(/-/g, '');
    let n = (this.seqByBirth.get(b8) ?? this.r.int(0, 20)) + 1;
    // the sequence's last digit is odd for a man, even for a woman (GB 11643)
    const seqOf = (k: number) => ((k * 2 + (female ? 0 : 1)) % 1000) || 2;
    while (this.county.ids.has(makeId(COUNTY_CODE, b8, seqOf(n)))) n++;
    this.seqByBirth.set(b8, n);
    const seq = seqOf(n);
    const chars = female ? GIVEN_FEMALE : GIVEN_MALE;
    const given = this.r.chance(0.6) ? this.r.pick(chars) + this.r.pick(chars) : this.r.pick(chars);
    const p: Person = {
      id: makeId(COUNTY_CODE, b8, seq),
      name: surname + given,
      female,
      birth,
      household: household.id,
      village: household.village,
      category,
      old15: birth < dayOf(1950, 0, 1) && this.r.chance(0.02),
      daughter,
    };
    this.county.persons.push(p);
    this.county.ids.add(p.id);
    household.members.push(this.county.persons.length - 1);
    return this.county.persons.length - 1;
  }

  newHousehold(village: number): Household {
    const v = this.county.villages[village]!;
    const n = (this.householdSeq.get(village) ?? 0) + 1;
    this.householdSeq.set(village, n);
    const h: Household = { id: `${v.code}${String(n).padStart(4, '0')}`, village, members: [] };
    this.county.households.set(h.id, h);
    v.households.push(h.id);
    return h;
  }

  private birthIn(year: number, ageLo: number, ageHi: number): number {
    const age = this.r.int(ageLo, ageHi);
    return dayOf(year - age, 0, 1) + this.r.int(0, 364);
  }

  /**
   * A household as of 1 January of `year`: a young family, a middle-aged couple with grown
   * children, an old couple or a widow(er), or three generations.
   */
  household(village: number, year: number): void {
    const r = this.r;
    const h = this.newHousehold(village);
    const kind = r.weighted([['young', 38], ['middle', 28], ['old', 12], ['three', 22]] as const);
    const hardship = r.weighted<Category>([['general', 93.5], ['dibao', 3.5], ['poor', 2], ['disabled', 1]]);
    const surname = this.surname();
    const couple = (lo: number, hi: number) => {
      const head = this.birthIn(year, lo, hi);
      this.person(surname, false, head, h, hardship);
      this.person(this.surname(), true, head + r.int(-2, 5) * 365 + r.int(0, 364), h, hardship === 'disabled' ? 'general' : hardship);
      return head;
    };
    const children = (n: number, lo: number, hi: number) => {
      for (let i = 0; i < n; i++) {
        const female = r.chance(0.48);
        this.person(surname, female, this.birthIn(year, lo, hi), h, hardship === 'dibao' ? 'dibao' : 'general', female);
      }
    };
    if (kind === 'young') {
      couple(24, 44);
      children(r.weighted([[1, 45], [2, 45], [3, 10]] as const), 0, 16);
    } else if (kind === 'middle') {
      couple(45, 62);
      children(r.weighted([[0, 25], [1, 45], [2, 30]] as const), 16, 28);
    } else if (kind === 'old') {
      // an old couple, or one left alone: the childless among them are 五保户
      if (r.chance(0.6)) couple(60, 80);
      else this.person(this.surname(), r.chance(0.6), this.birthIn(year, 62, 86), h, r.chance(0.12) ? 'wubao' : hardship);
    } else {
      couple(26, 42);
      children(r.weighted([[1, 50], [2, 40], [3, 10]] as const), 0, 14);
      // the head's parent (or both)
      this.person(surname, false, this.birthIn(year, 54, 80), h, 'general');
      if (r.chance(0.55)) this.person(this.surname(), true, this.birthIn(year, 52, 78), h, 'general');
    }
  }
}

export function buildCounty(r: Random, scale: number, year: number): County {
  const townshipCount = scale >= 1 ? 13 : Math.max(2, Math.round(13 * scale));
  const villageCount = Math.max(townshipCount, Math.round(160 * scale));
  const county: County = { townships: [], villages: [], households: new Map(), persons: [], ids: new Set() };
  const b = new PopulationBuilder(r, county);
  for (let t = 0; t < townshipCount; t++) {
    const isTown = t < 7;
    county.townships.push({
      code: `${COUNTY_CODE}${isTown ? 100 + t : 200 + t}`,
      name: `${TOWN_NAMES[t % TOWN_NAMES.length]}${t >= TOWN_NAMES.length ? Math.floor(t / TOWN_NAMES.length) + 1 : ''}${isTown ? '镇' : '乡'}`,
      baseRate: 0.6 + r.next() * 0.26,
      income: 180_000 + r.int(0, 160_000), // fen per capita
    });
  }
  for (let v = 0; v < villageCount; v++) {
    const township = v % townshipCount;
    const inTown = Math.floor(v / townshipCount);
    const code = `${county.townships[township]!.code}${String(200 + inTown).padStart(3, '0')}`;
    county.villages.push({ code, name: `${b.surname()}${r.pick(['家', '王', '李', '新', '前', '后', '东', '西'])}${r.pick(VILLAGE_SUFFIX)}`, township, households: [] });
    const target = Math.round(r.logNormal(1300, 0.35));
    let people = county.persons.length;
    const start = people;
    while (people - start < target) {
      b.household(v, year);
      people = county.persons.length;
    }
  }
  return county;
}

/** Whether a person lives in the county in year y (born by its end, not gone before it). */
export const livesIn = (p: Person, y: number): boolean => p.birth <= dayOf(y, 11, 31) && (p.lastYear === undefined || p.lastYear >= y);

/** Yearly chance of dying by age. */
function deathChance(age: number): number {
  return age < 1 ? 0.012 : age < 50 ? 0.0015 : age < 65 ? 0.008 : age < 75 ? 0.025 : age < 85 ? 0.07 : 0.15;
}

/**
 * The year's births (returned as mother index and birth day, for the delivery stays), then at
 * its end deaths, daughters marrying into another village and households leaving the county.
 */
export function birthsOf(b: PopulationBuilder, r: Random, y: number): { mother: number; baby: number; day: number }[] {
  const { county } = b;
  const out: { mother: number; baby: number; day: number }[] = [];
  for (const h of county.households.values()) {
    const alive = h.members.filter((i) => livesIn(county.persons[i]!, y) && county.persons[i]!.birth < dayOf(y, 0, 1));
    const mother = alive.find((i) => {
      const p = county.persons[i]!;
      const age = ageIn(p, y);
      return p.female && !p.daughter && age >= 20 && age <= 38;
    });
    if (mother === undefined || !r.chance(0.085)) continue;
    const father = alive.find((i) => !county.persons[i]!.female && ageIn(county.persons[i]!, y) >= 20);
    const surname = father !== undefined ? county.persons[father]!.name[0]! : county.persons[mother]!.name[0]!;
    const day = dayOf(y, 0, 1) + r.int(0, 364);
    const female = r.chance(0.46);
    const baby = b.person(surname, female, day, h, 'general', female);
    out.push({ mother, baby, day });
  }
  return out;
}

export function endOfYear(b: PopulationBuilder, r: Random, y: number): void {
  const { county } = b;
  for (const p of county.persons) if (livesIn(p, y) && p.lastYear === undefined && r.chance(deathChance(ageIn(p, y)))) p.lastYear = y;
  // daughters of 20–27 marry, a tenth a year, into a household of another village
  const households = [...county.households.values()];
  for (const h of households) {
    for (const i of [...h.members]) {
      const p = county.persons[i]!;
      if (!p.daughter || p.lastYear !== undefined || !livesIn(p, y)) continue;
      const age = ageIn(p, y);
      if (age < 20 || age > 27 || !r.chance(0.1)) continue;
      const to = households[r.int(0, households.length - 1)]!;
      if (to.village === h.village) continue;
      h.members.splice(h.members.indexOf(i), 1);
      to.members.push(i);
      p.household = to.id;
      p.village = to.village;
      p.daughter = false;
      p.category = 'general';
    }
  }
  // a few households a year leave the county for work elsewhere
  for (const h of households) if (r.chance(0.004)) for (const i of h.members) county.persons[i]!.lastYear ??= y;
}
