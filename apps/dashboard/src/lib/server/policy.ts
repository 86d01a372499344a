/** The county's policy in force for a year (targets drive colours, warnings and verdicts). */
import type { Platform } from '@ncms/platform';
import type { Policy } from '@ncms/rules';

export async function policyFor(platform: Platform, year: number): Promise<{ policy: Policy; note?: string } | undefined> {
  return (await platform.policies()).forYear(year);
}

export type Targets = NonNullable<Policy['targets']>;
