/**
 * A report chart as an SVG string, drawn by ECharts' server-side renderer (no browser): the same
 * chart library the pages use, so a bar looks the same on screen and on paper. Grey for
 * context, one accent colour for the data, the target as a dashed line with its label.
 */
import * as echarts from 'echarts';
import type { ReportChart } from '../model.ts';

const ACCENT = '#1f5fa8';
// single quotes: ECharts writes this into a double-quoted style attribute
const FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";

export function chartSvg(c: ReportChart, width = 620, height = 300): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: FONT, fontSize: 11 },
    grid: { left: 48, right: 16, top: 28, bottom: c.categories.length > 8 ? 72 : 40 },
    legend: c.series.length > 1 ? { top: 0 } : undefined,
    xAxis: { type: 'category', data: c.categories, axisLabel: { interval: 0, rotate: c.categories.length > 8 ? 40 : 0 } },
    // the axis reaches the target, so its line is drawn even when every bar is below it
    yAxis: { type: 'value', name: c.unit, nameTextStyle: { align: 'right' }, ...(c.target ? { max: (v: { max: number }) => Math.ceil(Math.max(v.max, c.target!.value) / 10) * 10 } : {}) },
    series: c.series.map((s, i) => ({
      name: s.name,
      type: c.kind,
      data: s.values,
      itemStyle: { color: i === 0 ? ACCENT : '#9aa5b1' },
      label: { show: c.categories.length <= 16 && c.kind === 'bar', position: 'top', fontSize: 9 },
      ...(i === 0 && c.target
        ? { markLine: { symbol: 'none', lineStyle: { type: 'dashed', color: '#666' }, label: { formatter: `${c.target.label} ${c.target.value}${c.unit}`, position: 'insideEndTop' }, data: [{ yAxis: c.target.value }] } }
        : {}),
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}
