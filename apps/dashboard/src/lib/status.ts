// Target verdicts live in @ncms/rules, shared with the reports.
export { atLeast, atMost, trend, type Status, type Verdict } from '@ncms/rules';
