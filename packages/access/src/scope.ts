/**
 * Scope: a township officer sees their own township's villages and people only. A request for
 * units outside it is refused (403), never answered with an empty table that looks like "no
 * data"; a scoped user who names no township gets their own.
 */
import type { Principal } from './roles.ts';

export class OutOfScopeError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'OutOfScopeError';
  }
}

export interface UnitParams {
  township?: string;
  village?: string;
}

/** The units a request may read: the asked ones checked against the principal's township. */
export function scopeUnits(p: Principal, asked: UnitParams): UnitParams {
  if (!p.township) return asked;
  if (asked.township && asked.township !== p.township) throw new OutOfScopeError('township', `无权查看乡镇 ${asked.township} 的数据：您的账号只能查看本乡镇 (${p.township})`);
  if (asked.village && !asked.village.startsWith(p.township)) throw new OutOfScopeError('village', `无权查看村 ${asked.village} 的数据：不在本乡镇 (${p.township}) 内`);
  return { ...asked, township: p.township };
}

// An 18-character ID number (area, birth date, sequence, check) standing alone: not the decimals of a float.
const ID_NUMBER = /(?<![0-9.])([1-8][0-9]{5})(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])([0-9]{3}[0-9Xx])(?![0-9])/g;

/** Any 18-digit ID number inside a text masked as `mask_id` does (`410523********123X`): for logs and messages. */
export function maskIdNumbers(text: string): string {
  return text.replace(ID_NUMBER, (_, area: string, tail: string) => `${area}********${tail}`);
}
