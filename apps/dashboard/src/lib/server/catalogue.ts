/** The catalogue's labels and units for the client (see $lib/catalogue-labels). */
import { FACILITY_INDICATORS, INDICATORS, chineseHeader, columnUnit, indicatorColumns } from '@ncms/rules';
import type { CatalogueLabels } from '$lib/catalogue-labels';

let labels: CatalogueLabels | undefined;

/**
 * Every column's label and unit. Large-payout columns follow each year's policy: the labels
 * cover every threshold the county's policies name, besides the default ones.
 */
export function catalogueLabels(thresholds: readonly number[] = []): CatalogueLabels {
  labels ??= Object.fromEntries([...indicatorColumns(), ...indicatorColumns(FACILITY_INDICATORS)].map((c) => [c.column, [chineseHeader(c.column), columnUnit(c.column)!]]));
  const extra = indicatorColumns(INDICATORS.filter((i) => i.thresholdKeys), thresholds).filter((c) => !(c.column in labels!));
  return extra.length ? { ...labels, ...Object.fromEntries(extra.map((c) => [c.column, [chineseHeader(c.column), columnUnit(c.column)!]])) } : labels;
}
