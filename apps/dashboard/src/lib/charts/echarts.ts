/**
 * The one ECharts wrapper: a Svelte action that loads ECharts (only the charts and components
 * the pages use, on first use), applies the theme, sets the option, follows the element's size,
 * reports clicks for drill-down and marks the element `data-chart-ready` once drawn (the browser
 * tests wait for it). Components only build option objects.
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';

export const PALETTE = ['#1f5f99', '#7a9cc6', '#c98a2e', '#5b8c5a', '#8f6bb3', '#b4574d', '#4f9fa8', '#9aa3ad'];
export const GREY = '#9aa3ad';

const THEME = {
  color: PALETTE,
  textStyle: { fontFamily: "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif", color: '#1b1f24' },
  categoryAxis: { axisLine: { lineStyle: { color: '#9aa3ad' } }, axisLabel: { color: '#3b434c' } },
  valueAxis: { splitLine: { lineStyle: { color: '#e6e9ed' } }, axisLabel: { color: '#3b434c' } },
};

let loading: Promise<typeof import('echarts/core')> | undefined;

export function loadECharts(): Promise<typeof import('echarts/core')> {
  loading ??= import('./echarts-setup').then(({ echarts }) => {
    echarts.registerTheme('ncms', THEME);
    return echarts;
  });
  return loading;
}

export interface ChartItem {
  name: string;
  data: unknown;
  seriesName?: string;
  dataIndex: number;
}

export interface ChartParams {
  option: EChartsCoreOption;
  /** Called with the clicked item's name and data (drill-down). */
  onClick?: (item: ChartItem) => void;
  /** Called with the item under the pointer (the value read-out). */
  onHover?: (item: ChartItem) => void;
  /** A GeoJSON map to register under `map.name` before drawing. */
  map?: { name: string; geoJson: unknown };
}

export function chart(node: HTMLElement, params: ChartParams) {
  let instance: EChartsType | undefined;
  let current = params;
  let disposed = false;
  const observer = new ResizeObserver(() => instance?.resize());
  const draw = () => {
    if (!instance) return;
    node.removeAttribute('data-chart-ready');
    instance.setOption(current.option, { notMerge: true });
  };
  const types = new Set(((params.option as { series?: { type?: string }[] }).series ?? []).map((s) => s.type));
  void Promise.all([loadECharts(), types.has('line') ? import('./echarts-line') : null, current.map ? import('./echarts-map') : null]).then(([echarts]) => {
    if (disposed) return;
    if (current.map) echarts.registerMap(current.map.name, current.map.geoJson as never);
    instance = echarts.init(node, 'ncms', { renderer: 'canvas' });
    // Listen before the first setOption, or the first 'finished' is missed.
    instance.on('finished', () => node.setAttribute('data-chart-ready', ''));
    const item = (e: { name: string; data: unknown; seriesName?: string; dataIndex: number }): ChartItem => ({ name: e.name, data: e.data, seriesName: e.seriesName, dataIndex: e.dataIndex });
    instance.on('click', (e) => {
      current.onHover?.(item(e));
      current.onClick?.(item(e));
    });
    instance.on('mouseover', (e) => current.onHover?.(item(e)));
    observer.observe(node);
    draw();
  });
  return {
    update(next: ChartParams) {
      current = next;
      draw();
    },
    destroy() {
      disposed = true;
      observer.disconnect();
      instance?.dispose();
    },
  };
}
