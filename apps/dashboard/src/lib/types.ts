/** Shapes shared by the server's loads and the components that show them. */

export interface Filters {
  year: number;
  township?: string;
  village?: string;
}

export interface Unit {
  code: string;
  name: string | null;
}
