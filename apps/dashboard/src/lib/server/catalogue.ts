/** The catalogue's labels and units for the client (see $lib/catalogue-labels). */
import { chineseHeader, columnUnit, indicatorColumns } from '@ncms/rules';
import type { CatalogueLabels } from '$lib/catalogue-labels';

let labels: CatalogueLabels | undefined;

export function catalogueLabels(): CatalogueLabels {
  labels ??= Object.fromEntries(indicatorColumns().map((c) => [c.column, [chineseHeader(c.column), columnUnit(c.column)!]]));
  return labels;
}
