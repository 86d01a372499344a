/**
 * ECharts with only the charts and components the pages use. Imported statically here, so the
 * bundler keeps these and drops the rest; the pages load this module lazily (echarts.ts), and
 * lines (echarts-line.ts) and the map's parts (echarts-map.ts) only where drawn. Legends and value read-outs are
 * drawn by the Chart component in HTML, which keeps the overview's first view under 200 KB.
 */
import * as core from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

core.use([BarChart, GridComponent, MarkLineComponent, CanvasRenderer]);

export const echarts = core;
