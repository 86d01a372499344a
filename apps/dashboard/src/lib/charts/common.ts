/**
 * The charts of the pages as option objects, each with the table behind it (the "查看数据" view
 * and its exports). Charts only arrange: every number comes from the query API as it is, rates
 * are drawn in per cent and money in 万元, and each bar or region names the unit it stands for
 * so a click can drill down to it.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { GREY, PALETTE, type ChartItem } from './echarts';
import { catalogueColumn, type TableColumn, type TableData } from '$lib/table';
import { count, percent, wan } from '$lib/format';

type Row = Record<string, unknown>;

export interface ChartSpec {
  title: string;
  option: EChartsCoreOption;
  table: TableData;
  /** The values under the pointer in words (shown below the chart; charts carry no tooltip). */
  readout?: (item: ChartItem) => string;
}

const pct = (v: unknown) => (v == null ? null : Number((Number(v) * 100).toFixed(1)));
/** A unit's name; a unit absent from the census has none and is shown by its code. */
export const unitLabel = (r: Row) => (r.name != null ? String(r.name) : r.division_code != null ? `${String(r.division_code)}（不在人口统计中）` : '—');
const label = unitLabel;

/** The name column of a unit table: links to the unit (drill-down) when `href` is given. */
export const nameColumn = (heading: string, href?: (row: Row) => string | undefined): TableColumn => ({ key: 'name', label: heading, unit: 'text', href, text: unitLabel });

/**
 * Units ranked by a rate, lowest at the top of the list and at the bottom of the chart, with the
 * target as a dashed line; the title says what matters (the unit furthest below the target).
 */
export function rateRanking(o: { rows: Row[]; key: string; what: string; unitLabel: string; target?: number; columns: TableColumn[] }): ChartSpec {
  const sorted = [...o.rows].filter((r) => r[o.key] != null).sort((a, b) => Number(a[o.key]) - Number(b[o.key]));
  const lowest = sorted[0];
  const title =
    lowest && o.target !== undefined && Number(lowest[o.key]) < o.target
      ? `${label(lowest)}${o.what}最低，差目标 ${((o.target - Number(lowest[o.key])) * 100).toFixed(1)} 个百分点`
      : `各${o.unitLabel}${o.what}（%）`;
  return {
    title,
    option: {
      grid: { left: 8, right: 40, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, max: (v: { max: number }) => Math.max(100, Math.ceil(v.max)) },
      yAxis: { type: 'category', data: sorted.map(label), axisLabel: { interval: 0 } },
      series: [
        {
          type: 'bar',
          data: sorted.map((r) => ({ value: pct(r[o.key]), code: r.division_code, level: r.level })),
          label: { show: true, position: 'right', formatter: '{c}%', fontSize: 11 },
          itemStyle: { color: (p: { value: number }) => (o.target !== undefined && p.value < o.target * 100 ? PALETTE[2] : PALETTE[0]) },
          markLine:
            o.target === undefined ? undefined : { symbol: 'none', lineStyle: { type: 'dashed', color: GREY }, label: { formatter: `目标 ${percent(o.target)}` }, data: [{ xAxis: o.target * 100 }] },
        },
      ],
    },
    table: { title: `各${o.unitLabel}${o.what}`, columns: o.columns, rows: [...sorted].reverse() },
  };
}

/** Bars of money per unit (万元), largest first. */
export function moneyRanking(o: { rows: Row[]; key: string; what: string; unitLabel: string; columns: TableColumn[] }): ChartSpec {
  const sorted = [...o.rows].filter((r) => r[o.key] != null).sort((a, b) => Number(a[o.key]) - Number(b[o.key]));
  return {
    title: `各${o.unitLabel}${o.what}（万元）`,
    option: {
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: sorted.map(label), axisLabel: { interval: 0 } },
      series: [{ type: 'bar', data: sorted.map((r) => ({ value: wan(r[o.key]), code: r.division_code, level: r.level })), label: { show: true, position: 'right', fontSize: 11 } }],
    },
    table: { title: `各${o.unitLabel}${o.what}`, columns: o.columns, rows: [...sorted].reverse() },
  };
}

/** Money per month as bars (万元) and a count as a line, by discharge month. */
export function monthlyChart(o: { rows: Row[]; year: number; money: { key: string; label: string }[]; count?: { key: string; label: string }; title?: string; extra?: TableColumn[] }): ChartSpec {
  const series: object[] = o.money.map((m) => ({ name: m.label, type: 'bar', stack: o.money.length > 1 ? 'money' : undefined, data: o.rows.map((r) => wan(r[m.key])) }));
  if (o.count) series.push({ name: o.count.label, type: 'line', yAxisIndex: 1, data: o.rows.map((r) => r[o.count!.key]) });
  return {
    title: o.title ?? `${o.year} 年各月${o.money.map((m) => m.label).join('、')}（万元）${o.count ? `与${o.count.label}` : ''}`,
    option: {
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: o.rows.map((r) => `${Number(String(r.month).slice(5))}月`) },
      yAxis: o.count ? [{ type: 'value', name: '万元' }, { type: 'value', name: '人次' }] : [{ type: 'value', name: '万元' }],
      series,
    },
    readout: ({ dataIndex }) => {
      const r = o.rows[dataIndex];
      if (!r) return '';
      const parts = o.money.map((m) => `${m.label} ${wan(r[m.key])?.toFixed(2) ?? '—'} 万元`);
      if (o.count) parts.push(`${o.count.label} ${count(Number(r[o.count.key]))}`);
      return `${Number(String(r.month).slice(5))}月：${parts.join('，')}`;
    },
    table: {
      title: `${o.year} 年各月${o.money.map((m) => m.label).join('、')}`,
      columns: [
        { key: 'month', label: '月份', unit: 'text' },
        ...o.money.map((m) => catalogueColumn(m.key, { label: m.label })),
        ...(o.count ? [catalogueColumn(o.count.key, { label: o.count.label })] : []),
        ...(o.extra ?? []),
      ],
      rows: o.rows,
    },
  };
}

/** Campaign progress on its reporting days against the participation target. */
export function campaignChart(rows: Row[], year: number, target?: number): ChartSpec {
  return {
    title: `${year} 年参合进度（按报告日，%）`,
    option: {
      grid: { left: 8, right: 40, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => String(r.day).slice(5)), boundaryGap: false },
      yAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, max: (v: { max: number }) => Math.max(100, Math.ceil(v.max)) },
      series: [
        {
          name: '参合进度',
          type: 'line',
          areaStyle: { opacity: 0.12 },
          data: rows.map((r) => pct(r.campaign_progress)),
          markLine: target === undefined ? undefined : { symbol: 'none', lineStyle: { type: 'dashed', color: GREY }, label: { formatter: `目标 ${percent(target)}` }, data: [{ yAxis: target * 100 }] },
        },
      ],
    },
    readout: ({ dataIndex }) => {
      const r = rows[dataIndex];
      return r ? `${String(r.day)}：累计参合 ${count(Number(r.enrolled))} 人，进度 ${percent(Number(r.campaign_progress))}` : '';
    },
    table: {
      title: `${year} 年参合进度`,
      columns: [
        { key: 'day', label: '报告日', unit: 'text' },
        { key: 'enrolled', label: '累计参合人数', unit: 'people' },
        { key: 'campaign_progress', label: '参合进度', unit: 'rate' },
      ],
      rows,
    },
  };
}

/** Townships coloured by a rate on the county's map; regions are named by their codes. */
export function rateMap(o: { rows: Row[]; key: string; what: string; target?: number; columns: TableColumn[] }): ChartSpec {
  const values = o.rows.map((r) => pct(r[o.key])).filter((v): v is number => v !== null);
  return {
    title: `各乡镇${o.what}地图（%）`,
    option: {
      visualMap: {
        type: 'continuous',
        min: Math.floor(Math.min(...values, o.target !== undefined ? o.target * 100 : 100) - 1),
        max: Math.ceil(Math.max(...values, 0)),
        inRange: { color: ['#c98a2e', '#f1ede4', '#1f5f99'] },
        text: ['高', '低'],
        calculable: false,
        left: 0,
        bottom: 0,
        itemHeight: 90,
      },
      series: [
        {
          type: 'map',
          map: 'county',
          roam: false,
          label: { show: true, fontSize: 11, formatter: (p: { data?: { label: string } }) => p.data?.label ?? '' },
          emphasis: { label: { show: true } },
          data: o.rows.map((r) => ({ name: String(r.division_code), label: label(r), value: pct(r[o.key]), code: r.division_code, level: r.level })),
        },
      ],
    },
    readout: ({ data }) => {
      const d = data as { label?: string; value?: number } | null;
      return d?.label ? `${d.label}：${o.what} ${d.value?.toFixed(1)}%` : '';
    },
    table: { title: `各乡镇${o.what}`, columns: o.columns, rows: o.rows },
  };
}

/** A Lorenz curve against the line of equality. */
export function lorenzChart(points: { x: number; y: number; code: string | null }[], title: string): ChartSpec {
  return {
    title,
    option: {
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: 'value', min: 0, max: 100, name: '参合人口累计 %', nameLocation: 'middle', nameGap: 24 },
      yAxis: { type: 'value', min: 0, max: 100, name: '补偿累计 %' },
      series: [
        { name: '洛伦兹曲线', type: 'line', showSymbol: false, data: points.map((p) => [p.x * 100, p.y * 100]) },
        { name: '绝对平均线', type: 'line', showSymbol: false, lineStyle: { type: 'dashed', color: GREY }, itemStyle: { color: GREY }, data: [[0, 0], [100, 100]] },
      ],
    },
    readout: ({ data }) => {
      const [x, y] = (data as [number, number] | null) ?? [];
      return x === undefined ? '' : `参合人口累计 ${x.toFixed(1)}% 的村，得到补偿累计 ${y!.toFixed(1)}%`;
    },
    table: {
      title,
      columns: [
        { key: 'code', label: '村', unit: 'text' },
        { key: 'x', label: '参合人口累计占比', unit: 'rate' },
        { key: 'y', label: '补偿累计占比', unit: 'rate' },
      ],
      rows: points,
    },
  };
}

/** Grouped bars by category (万元): expected against received, say. */
export function moneyBars(o: { title: string; categories: string[]; series: { name: string; values: unknown[] }[]; table: TableData }): ChartSpec {
  return {
    title: o.title,
    option: {
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: o.categories, axisLabel: { interval: 0 } },
      yAxis: { type: 'value', name: '万元' },
      series: o.series.map((s) => ({ name: s.name, type: 'bar', data: s.values.map(wan) })),
    },
    readout: ({ dataIndex }) => `${o.categories[dataIndex] ?? ''}：${o.series.map((s) => `${s.name} ${wan(s.values[dataIndex])?.toFixed(2) ?? '—'} 万元`).join('，')}`,
    table: o.table,
  };
}
