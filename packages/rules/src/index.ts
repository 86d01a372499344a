export * from './decimal.ts';
export * from './vocabulary.ts';
export * from './policy.ts';
export * from './compensate.ts';
export * from './sql.ts';
export * from './indicators.ts';
export * from './equity.ts';
export * from './indicator-sql.ts';
