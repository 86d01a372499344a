/**
 * The trend explorer's chart and table: one series per unit (and part of the breakdown) over the
 * periods, rates in per cent, money in 万元 (amounts per stay in 元), the largest series first and
 * at most a dozen drawn (the table holds them all).
 */
import type { ExploreRow } from '@ncms/analytics';
import type { Unit } from '@ncms/rules';
import { isPerHeadMoney } from '@ncms/rules';
import { wan } from '$lib/format';
import type { TableData } from '$lib/table';
import type { ChartSpec } from './common';

export const MAX_SERIES = 12;

export interface TrendInput {
  rows: ExploreRow[];
  indicator: { id: string; zh: string; unit: Unit };
  kind: 'line' | 'bar';
  unitHeading: string;
  partHeading?: string;
}

const seriesName = (r: ExploreRow) => `${r.name ?? r.code}${r.partName ? `·${r.partName}` : ''}`;

/** How a value is drawn: rates in %, money in 万元 unless it is per stay, counts as they are. */
function drawn(unit: Unit, id: string): { scale: (v: unknown) => number | null; axis: string } {
  if (unit === 'rate') return { scale: (v) => (v == null ? null : Number((Number(v) * 100).toFixed(2))), axis: '%' };
  if (unit === 'yuan' && !isPerHeadMoney(id)) return { scale: wan, axis: '万元' };
  if (unit === 'yuan') return { scale: (v) => (v == null ? null : Number(v)), axis: '元' };
  return { scale: (v) => (v == null ? null : Number(v)), axis: unit === 'days' ? '天' : '' };
}

export function trendChart(t: TrendInput): ChartSpec & { series: number } {
  const periods = [...new Set(t.rows.map((r) => r.period))].sort();
  const groups = new Map<string, ExploreRow[]>();
  for (const r of t.rows) {
    const k = seriesName(r);
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const size = (rows: ExploreRow[]) => rows.reduce((s, r) => s + Math.abs(Number(r.value ?? 0)), 0);
  const ranked = [...groups.entries()].sort((a, b) => size(b[1]) - size(a[1])).slice(0, MAX_SERIES);
  const { scale, axis } = drawn(t.indicator.unit, t.indicator.id);
  const title = `${t.indicator.zh}${axis ? `（${axis}）` : ''}${groups.size > MAX_SERIES ? `，前 ${MAX_SERIES} 个` : ''}`;
  const table: TableData = {
    title: t.indicator.zh,
    columns: [
      { key: 'period', label: '期间', unit: 'text' },
      { key: 'name', label: t.unitHeading, unit: 'text', text: (r) => String(r.name ?? r.code) },
      ...(t.partHeading ? [{ key: 'partName', label: t.partHeading, unit: 'text' as const }] : []),
      { key: 'value', label: t.indicator.zh, unit: t.indicator.unit, ...(t.indicator.unit === 'yuan' && isPerHeadMoney(t.indicator.id) ? { money: '元' as const } : {}) },
      { key: 'previous', label: '上年同期', unit: t.indicator.unit, ...(t.indicator.unit === 'yuan' && isPerHeadMoney(t.indicator.id) ? { money: '元' as const } : {}) },
      { key: 'growth', label: '增幅', unit: 'rate' },
    ],
    rows: t.rows,
  };
  return {
    title,
    series: groups.size,
    table,
    option: {
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', axisLabel: { formatter: axis === '%' ? '{value}%' : '{value}' } },
      series: ranked.map(([name, rows]) => {
        const byPeriod = new Map(rows.map((r) => [r.period, r.value]));
        return { name, type: t.kind, data: periods.map((p) => scale(byPeriod.get(p) ?? null)), connectNulls: false };
      }),
    },
  };
}
