import * as echarts from 'echarts';
import { mulberry32 } from '../snapshot/seeded-random';
import { niceValueAxis, renderTrendChartSvg, type TrendChartStyle } from './trend-chart-svg';

const STYLE: TrendChartStyle = {
  width: 640,
  height: 150,
  grid: { left: 54, right: 10, top: 18, bottom: 20 },
  scale: false,
  splitNumber: 3,
  barColor: '#b7c0cc',
  highlightColor: '#1f3a5f',
  targetColor: '#f2b134',
  gridColor: '#e5e7eb',
  mutedColor: '#6b7280',
  inkColor: '#1d2433',
  fontFamily: "'Inter', 'DejaVu Sans', sans-serif",
};

/** The y-axis ticks ECharts draws for the same bars and target line (the chart this replaces). */
function echartsTicks(values: Array<number | null>, targets: Array<number | null>, scale: boolean): number[] {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 150 });
  try {
    chart.setOption({
      animation: false,
      grid: { left: 54, right: 10, top: 18, bottom: 20 },
      xAxis: { type: 'category', data: values.map((_, index) => `m${index}`) },
      yAxis: { type: 'value', splitNumber: 3, scale, axisLabel: { formatter: (value: number) => `tick:${value}` } },
      series: [
        { type: 'bar', data: values.map((value) => value ?? '-') },
        { type: 'line', data: targets.map((value) => value ?? '-'), connectNulls: true },
      ],
    });
    return [...chart.renderToSVGString().matchAll(/tick:(-?[\d.e+-]+)/g)].map((match) => Number(match[1]));
  } finally {
    chart.dispose();
  }
}

describe('renderTrendChartSvg', () => {
  it('puts the value axis on the same nice ticks as ECharts, for counts from 0 and rates around their level', () => {
    const random = mulberry32(41);
    for (let sample = 0; sample < 200; sample += 1) {
      const magnitude = 10 ** Math.floor(random() * 9 - 3);
      const level = (0.2 + random() * 5) * magnitude;
      const spread = random() < 0.2 ? 0 : random() * 0.6;
      const values = Array.from({ length: 13 }, () => (random() < 0.1 ? null : level * (1 + spread * (random() - 0.5))));
      const targets = Array.from({ length: 13 }, () => (random() < 0.5 ? null : level * (1 + spread * (random() - 0.3))));
      const scale = random() < 0.5;
      const ours = niceValueAxis(
        [...values, ...targets].filter((value): value is number => value !== null),
        scale,
        3,
      ).ticks;
      expect({ values, targets, scale, ticks: ours }).toEqual({ values, targets, scale, ticks: echartsTicks(values, targets, scale) });
    }
  });

  it('draws no bar for a month without data, highlights the reported month with its value, joins the targets', () => {
    const svg = renderTrendChartSvg(
      [
        { label: 'sept. 26', value: 120, target: 100 },
        { label: 'oct. 26', value: null, target: null },
        { label: 'nov. 26', value: 150, target: 140 },
      ],
      STYLE,
      (value) => `${value} u`,
      '150 u',
    );
    // Two bars (grey, then the highlighted last one), none for the empty month.
    expect(svg.match(/<path d="M[\d.]+ [\d.]+H[\d.]+A3/g)).toHaveLength(2);
    expect(svg).toContain('fill="#1f3a5f"');
    expect(svg).toMatch(/font-weight="bold" fill="#1d2433">150 u<\/text>/);
    expect(svg).toContain('>oct. 26</text>');
    // The target line skips the month without a target: two points.
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+" fill="none" stroke="#f2b134"/);
    expect(svg).toContain('>0 u</text>');
  });

  it('escapes labels, which come from formatted user data', () => {
    const svg = renderTrendChartSvg([{ label: '<b>&', value: 1, target: null }], STYLE, String, '1 <€>');
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).toContain('1 &lt;€&gt;');
    expect(svg).not.toContain('<b>');
  });
});
