import * as echarts from 'echarts';
const months = ['oct. 25','nov. 25','déc. 25','janv. 26','févr. 26','mars 26','avr. 26','mai 26','juin 26','juil. 26','août 26','sept. 26','oct. 26'];
const data = months.map((_, i) => 1000 + i * 37);
type Mod = (o: any) => void;
const mods: [string, Mod][] = [
  ['base', () => {}],
  ['silent', (o) => { o.series.forEach((s: any) => (s.silent = true)); }],
  ['noSplitDash', (o) => { o.yAxis.splitLine = { lineStyle: { color: '#eee' } }; }],
  ['noXLabels', (o) => { o.xAxis.axisLabel.show = false; }],
  ['noLine', (o) => { o.series = [o.series[0]]; }],
  ['noBarRadius', (o) => { delete o.series[0].itemStyle.borderRadius; }],
  ['tooltipOff', (o) => { o.tooltip = { show: false }; o.series.forEach((s: any) => { s.emphasis = { disabled: true }; s.select = { disabled: true }; }); }],
  ['allOff', (o) => { o.tooltip = { show: false }; o.series.forEach((s: any) => { s.silent = true; s.emphasis = { disabled: true }; s.select = { disabled: true }; s.clip = false; s.legendHoverLink = false; }); o.yAxis.silent = true; o.xAxis.silent = true; }],
];
function opt(mod: Mod) {
  const o: any = { animation: false, textStyle: { fontFamily: 'Inter', fontSize: 11 }, grid: { left: 48, right: 8, top: 26, bottom: 22 },
    xAxis: { type: 'category', data: months, axisTick: { show: false }, axisLabel: { interval: 0, fontSize: 10 } },
    yAxis: { type: 'value', splitNumber: 4, axisLabel: { formatter: (v: number) => `${v} k` }, splitLine: { lineStyle: { type: 'dashed' } } },
    series: [{ type: 'bar', data: [...data.slice(0, 12), { value: data[12], itemStyle: { color: '#123456' }, label: { show: true, position: 'top', formatter: 'x' } }], itemStyle: { color: '#aabbcc', borderRadius: [3, 3, 0, 0] } }, { type: 'line', data: data.map((v) => v * 0.9), symbol: 'none', lineStyle: { type: 'dashed' } }] };
  mod(o); return o;
}
const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 640, height: 200 });
for (let r = 0; r < 2; r++) for (const [name, mod] of mods) {
  for (let i = 0; i < 50; i++) { c.setOption(opt(mod), { notMerge: true }); c.renderToSVGString(); }
  const t = performance.now();
  for (let i = 0; i < 200; i++) { c.setOption(opt(mod), { notMerge: true }); c.renderToSVGString(); }
  if (r === 1) console.log(name.padEnd(12), ((performance.now() - t) / 200).toFixed(2), 'ms');
}
let t = performance.now(); for (let i = 0; i < 200; i++) c.setOption(opt(mods[0]![1]), { notMerge: true }); console.log('setOption only', ((performance.now() - t) / 200).toFixed(2));
t = performance.now(); for (let i = 0; i < 200; i++) c.renderToSVGString(); console.log('render only', ((performance.now() - t) / 200).toFixed(2));
c.dispose();
