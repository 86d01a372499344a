/**
 * The catalogue's column labels and units on the client. The catalogue itself (formulas and
 * all) stays on the server: the root layout sends this map once and sets it here before any page
 * renders, so the first view does not carry the whole catalogue. The map is the same for every
 * request, so module state shared by server renders is harmless.
 */
import type { Unit } from '@ncms/rules';

export type CatalogueLabels = Record<string, [label: string, unit: Unit]>;

let labels: CatalogueLabels = {};

export function setCatalogueLabels(l: CatalogueLabels): void {
  labels = l;
}

export function catalogueLabel(column: string): [string, Unit] | undefined {
  return labels[column];
}
