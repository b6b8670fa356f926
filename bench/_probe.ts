import { readFileSync, readdirSync } from 'node:fs';
import { launch } from 'puppeteer-core';
import { demoReportSnapshot, renderReportDocument, CHROMIUM_ARGS, REPORT_PAGE_MARGINS } from '@pilotage/reporting';
const TICK = 10; // ms per clock tick (CLK_TCK 100)
function treeCpuMs(root: number): number {
  const parents = new Map<number, number>(); const cpu = new Map<number, number>();
  for (const d of readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue; try { const s = readFileSync(`/proc/${d}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); parents.set(+d, +f[1]!); cpu.set(+d, (+f[11]! + +f[12]!) * TICK); } catch { /* gone */ } }
  let total = 0; for (const [pid, c] of cpu) { let p: number | undefined = pid; while (p !== undefined && p > 1) { if (p === root) { total += c; break; } p = parents.get(p); } }
  return total;
}
async function main() {
  const doc = renderReportDocument(demoReportSnapshot());
  const browser = await launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS] });
  const pid = browser.process()?.pid ?? 0;
  const page = await browser.newPage();
  await page.setJavaScriptEnabled(false);
  const noFonts = doc.html.replace(/@font-face\{[^}]*\}/g, '');
  const noCharts = doc.html.replace(/<svg[\s\S]*?<\/svg>/g, '');
  const variants: [string, string, Record<string, unknown>][] = [
    ['full', doc.html, {}],
    ['nohf', doc.html, { displayHeaderFooter: false }],
    ['notag', doc.html, { tagged: false, outline: false }],
    ['nofonts', noFonts, {}],
    ['nocharts', noCharts, {}],
    ['bare', noCharts.replace(/@font-face\{[^}]*\}/g, ''), { tagged: false, outline: false, displayHeaderFooter: false }],
  ];
  const results = new Map<string, { wall: number[]; cpu: number[]; node: number[] }>();
  for (let round = 0; round < 4; round++) for (const [name, html, extra] of variants) {
    const c0 = treeCpuMs(pid); const n0 = process.cpuUsage(); const a = performance.now();
    for (let i = 0; i < 3; i++) {
      await page.setContent(html, { waitUntil: 'load' });
      await page.pdf({ format: 'A4', printBackground: true, displayHeaderFooter: true, headerTemplate: doc.headerTemplate, footerTemplate: doc.footerTemplate, margin: REPORT_PAGE_MARGINS, outline: true, tagged: true, ...extra });
    }
    const wall = (performance.now() - a) / 3; const cpu = (treeCpuMs(pid) - c0) / 3; const nu = process.cpuUsage(n0); const node = (nu.user + nu.system) / 3000;
    if (round === 0) continue;
    const r = results.get(name) ?? { wall: [], cpu: [], node: [] }; r.wall.push(wall); r.cpu.push(cpu); r.node.push(node); results.set(name, r);
  }
  const med = (x: number[]) => x.sort((p, q) => p - q)[Math.floor(x.length / 2)]!.toFixed(0);
  for (const [name, r] of results) console.log(name.padEnd(10), 'wall', med(r.wall), 'chromiumCpu', med(r.cpu), 'nodeCpu', med(r.node));
  await browser.close();
}
void main();
