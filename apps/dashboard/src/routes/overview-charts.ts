/** The overview's charts as option objects and the tables behind them. */
import type { EChartsCoreOption } from 'echarts/core';
import type { Row } from '@ncms/warehouse';
import { GREY } from '$lib/charts/echarts';
import type { TableData } from '$lib/table';
import { percent } from '$lib/format';

export function rankingChart(rows: Row[], target: number | undefined): { title: string; option: EChartsCoreOption; table: TableData } {
  const sorted = [...rows].filter((r) => r.participation_rate != null).sort((a, b) => Number(a.participation_rate) - Number(b.participation_rate));
  const lowest = sorted[0];
  const title =
    lowest && target !== undefined && Number(lowest.participation_rate) < target
      ? `${lowest.name ?? lowest.division_code}参合率最低，差目标 ${((target - Number(lowest.participation_rate)) * 100).toFixed(1)} 个百分点`
      : '各乡镇参合率（%）';
  return {
    title,
    option: {
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)}%` },
      xAxis: { type: 'value', axisLabel: { formatter: '{value}%' }, max: 100 },
      yAxis: { type: 'category', data: sorted.map((r) => r.name ?? r.division_code) },
      series: [
        {
          type: 'bar',
          data: sorted.map((r) => Number((Number(r.participation_rate) * 100).toFixed(1))),
          markLine: target === undefined ? undefined : { symbol: 'none', lineStyle: { type: 'dashed', color: GREY }, label: { formatter: `目标 ${percent(target)}` }, data: [{ xAxis: target * 100 }] },
        },
      ],
    },
    table: {
      title: '各乡镇参合率',
      columns: [
        { key: 'name', label: '乡镇', unit: 'text' },
        { key: 'participation_rate', label: '参合率', unit: 'rate' },
        { key: 'enrollees', label: '参合人数', unit: 'people' },
        { key: 'gap_to_target', label: '距目标差额(人)', unit: 'people' },
      ],
      rows: [...sorted].reverse(),
    },
  };
}

export function monthlyChart(rows: Row[], year: number): { title: string; option: EChartsCoreOption; table: TableData } {
  return {
    title: `${year} 年各月基金支出（万元）与住院人次`,
    option: {
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      xAxis: { type: 'category', data: rows.map((r) => String(r.month).slice(5) + '月') },
      yAxis: [{ type: 'value', name: '万元' }, { type: 'value', name: '人次' }],
      series: [
        { name: '基金支出', type: 'bar', data: rows.map((r) => Number((Number(r.payouts_total) / 10000).toFixed(2))) },
        { name: '住院人次', type: 'line', yAxisIndex: 1, data: rows.map((r) => r.inpatient_stays) },
      ],
    },
    table: {
      title: `${year} 年各月基金支出`,
      columns: [
        { key: 'month', label: '月份', unit: 'text' },
        { key: 'payouts_total', label: '基金支出', unit: 'yuan' },
        { key: 'inpatient_stays', label: '住院人次', unit: 'count' },
      ],
      rows,
    },
  };
}
