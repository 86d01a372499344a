// Numbers as a county office writes them live in @ncms/rules, shared with the reports.
export { money, moneyUnitFor, moneyWithUnit, percent, points, ratio, growth, count, countUnit, dateZh, formatValue, num, wan, type MoneyUnit } from '@ncms/rules';
