export * from './kinds.ts';
export * from './headers.ts';
export * from './prepare.ts';
export { csvField, csvLine } from './csv-text.ts';
export { cellText } from './xlsx.ts';
