/** The map chart and its colour scale, added to ECharts on the pages that draw a map. */
import { use } from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { VisualMapComponent } from 'echarts/components';

use([MapChart, VisualMapComponent]);
