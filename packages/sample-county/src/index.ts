export { generateCounty, COUNTY_CODE, type GenerateOptions, type GenerateResult } from './generate.ts';
export { checkChar, makeId, toOld15, breakCheck } from './ids.ts';
export { Random } from './random.ts';
export { writeExamplePolicies, POLICY_DIR } from './policies.ts';
export { townshipGeoJson, type MapTownship } from './map.ts';
