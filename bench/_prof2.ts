import * as echarts from 'echarts';
const months = ['oct. 25','nov. 25','déc. 25','janv. 26','févr. 26','mars 26','avr. 26','mai 26','juin 26','juil. 26','août 26','sept. 26','oct. 26'];
const data = months.map((_, i) => 1000 + i * 37);
function opt(kind: number): echarts.EChartsOption {
  const base: echarts.EChartsOption = { animation: false, textStyle: { fontFamily: 'Inter', fontSize: 11 },
    grid: kind === 2 ? { left: 48, right: 8, top: 26, bottom: 22 } : { left: 8, right: 8, top: 26, bottom: 4, containLabel: true },
    xAxis: { type: 'category', data: months, axisTick: { show: false }, axisLabel: { interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', splitNumber: 4, axisLabel: { formatter: (v: number) => `${v} k` }, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [] };
  const bars = kind === 0
    ? data.map((v, i) => ({ value: v, itemStyle: { color: i === 12 ? '#123456' : '#aabbcc', borderRadius: [3, 3, 0, 0] }, label: i === 12 ? { show: true, position: 'top' as const, formatter: () => 'x' } : { show: false } }))
    : [...data.slice(0, 12), { value: data[12], itemStyle: { color: '#123456' }, label: { show: true, position: 'top' as const, formatter: 'x' } }];
  base.series = [{ type: 'bar', data: bars, itemStyle: { color: '#aabbcc', borderRadius: [3, 3, 0, 0] } }, { type: 'line', data: data.map((v) => v * 0.9), symbol: 'none', lineStyle: { type: 'dashed' } }];
  return base;
}
for (const kind of [0, 1, 2]) {
  const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 200 });
  for (let i = 0; i < 100; i++) { c.setOption(opt(kind), { notMerge: true }); c.renderToSVGString(); }
  const t = performance.now();
  for (let i = 0; i < 300; i++) { c.setOption(opt(kind), { notMerge: true }); c.renderToSVGString(); }
  console.log('kind', kind, ((performance.now() - t) / 300).toFixed(2), 'ms');
  c.dispose();
}
let t = performance.now();
for (let i = 0; i < 100; i++) { const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 200 }); c.dispose(); }
console.log('init+dispose', ((performance.now() - t) / 100).toFixed(2));
