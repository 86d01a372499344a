/** The line chart, added to ECharts on the pages that draw one (the overview draws bars only). */
import { use } from 'echarts/core';
import { LineChart } from 'echarts/charts';

use([LineChart]);
