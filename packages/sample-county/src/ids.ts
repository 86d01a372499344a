/** GB 11643 citizen ID numbers: the generator writes valid ones (and a few broken on purpose). */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function makeId(area6: string, birth8: string, seq3: number): string {
  const first17 = `${area6}${birth8}${String(seq3).padStart(3, '0')}`;
  return first17 + checkChar(first17);
}

/** The pre-1999 form: 6-digit area, 6-digit birth date (yyMMdd), 3-digit sequence, no check. */
export function toOld15(id18: string): string {
  return id18.slice(0, 6) + id18.slice(8, 17);
}

/** The same number with a wrong check character. */
export function breakCheck(id18: string): string {
  const right = id18[17]!;
  const wrong = CHECK[(CHECK.indexOf(right) + 1) % 11]!;
  return id18.slice(0, 17) + wrong;
}
