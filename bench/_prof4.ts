import * as echarts from 'echarts';
const months = ['oct. 25','nov. 25','déc. 25','janv. 26','févr. 26','mars 26','avr. 26','mai 26','juin 26','juil. 26','août 26','sept. 26','oct. 26'];
function opt(seed: number): any {
  const data = months.map((_, i) => 1000 + i * 37 + seed);
  return { animation: false, textStyle: { fontFamily: 'Inter', fontSize: 11 }, grid: { left: 48, right: 8, top: 26, bottom: 22 },
    xAxis: { type: 'category', data: months, axisTick: { show: false }, axisLabel: { interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', splitNumber: 4, axisLabel: { formatter: (v: number) => `${v} k` }, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [{ type: 'bar', data: [...data.slice(0, 12), { value: data[12], itemStyle: { color: '#123456' }, label: { show: true, position: 'top', formatter: 'x' } }], itemStyle: { color: '#aabbcc', borderRadius: [3, 3, 0, 0] } }, { type: 'line', data: data.map((v) => v * 0.9), symbol: 'none', lineStyle: { type: 'dashed' } }] };
}
const mode = process.argv[2];
let c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 200 });
for (let batch = 0; batch < 6; batch++) {
  const t = performance.now();
  for (let i = 0; i < 200; i++) {
    if (mode === 'fresh' && i % 13 === 0) { c.dispose(); c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 200 }); }
    c.setOption(opt(i), { notMerge: true }); c.renderToSVGString();
  }
  console.log(mode, batch, ((performance.now() - t) / 200).toFixed(2), 'ms', (process.memoryUsage().heapUsed / 1e6).toFixed(0), 'MB');
}
c.dispose();
