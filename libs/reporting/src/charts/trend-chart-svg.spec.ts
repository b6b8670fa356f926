import * as echarts from 'echarts';
import { mulberry32 } from '../snapshot/seeded-random';
import {
  boundedValueAxis,
  estimateTextWidth,
  niceValueAxis,
  renderTrendChartSvg,
  type TrendChartForm,
  type TrendChartPoint,
  type TrendChartStyle,
  type TrendChartTexts,
} from './trend-chart-svg';

const STYLE: TrendChartStyle = {
  width: 640,
  height: 150,
  form: 'BARS',
  bounds: null,
  splitNumber: 3,
  barColor: '#b7c0cc',
  highlightColor: '#1f3a5f',
  lastYearColor: '#d5d9e0',
  targetColor: '#f2b134',
  gridColor: '#e5e7eb',
  mutedColor: '#6b7280',
  inkColor: '#1d2433',
  fontFamily: "'Inter', 'DejaVu Sans', sans-serif",
};

function texts(valueLabel: string | null, formatAxis: (value: number) => string = (value) => `${value} u`): TrendChartTexts {
  return {
    title: 'Sessions, sept. 2026 à nov. 2026',
    span: '13 derniers mois',
    actual: 'Réalisé',
    lastYear: 'Année précédente',
    target: 'Objectif',
    valueLabel,
    formatAxis,
  };
}

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

// ---- Geometry read back from the SVG, independently of how the renderer placed things.

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

interface Drawn {
  /** Text boxes, with the font size they inherit. */
  readonly texts: { readonly text: string; readonly box: Box; readonly bold: boolean; readonly fontSize: number }[];
  /** Filled shapes (bars, markers, legend swatches) as boxes, and stroked lines as segments. */
  readonly shapes: { readonly fill: string; readonly box: Box }[];
  readonly lines: { readonly stroke: string; readonly width: number; readonly segments: [number, number, number, number][] }[];
  readonly width: number;
  readonly height: number;
}

function attribute(attributes: string, name: string): string | null {
  return new RegExp(`(?:^|\\s)${name}="([^"]*)"`).exec(attributes)?.[1] ?? null;
}

/** A coarse, deliberately wide text box: 0.62 em a character (0.68 bold), 1.2 em tall, centred on y. */
function textBox(text: string, x: number, y: number, fontSize: number, anchor: string, bold: boolean): Box {
  const width = [...text].length * fontSize * (bold ? 0.68 : 0.62);
  const x0 = anchor === 'middle' ? x - width / 2 : anchor === 'end' ? x - width : x;
  return { x0, y0: y - fontSize * 0.6, x1: x0 + width, y1: y + fontSize * 0.6 };
}

/** Absolute points of a path's sub-paths (M, L, H, V, A, a, h, v, Z), arcs widened by their radius. */
function pathPoints(d: string): { subpaths: [number, number][][]; extra: [number, number][] } {
  const subpaths: [number, number][][] = [];
  const extra: [number, number][] = [];
  let x = 0;
  let y = 0;
  let current: [number, number][] = [];
  for (const match of d.matchAll(/([MLHVAZmlhvaz])([^MLHVAZmlhvaz]*)/g)) {
    const command = match[1];
    const args =
      match[2].trim() === ''
        ? []
        : match[2]
            .trim()
            .split(/[\s,]+/)
            .map(Number);
    switch (command) {
      case 'M':
        if (current.length > 0) subpaths.push(current);
        [x, y] = args;
        current = [[x, y]];
        break;
      case 'L':
        [x, y] = args;
        current.push([x, y]);
        break;
      case 'H':
      case 'h':
        x = command === 'H' ? args[0] : x + args[0];
        current.push([x, y]);
        break;
      case 'V':
      case 'v':
        y = command === 'V' ? args[0] : y + args[0];
        current.push([x, y]);
        break;
      case 'A':
      case 'a': {
        const radius = args[0];
        const toX = command === 'A' ? args[5] : x + args[5];
        const toY = command === 'A' ? args[6] : y + args[6];
        const midX = (x + toX) / 2;
        const midY = (y + toY) / 2;
        extra.push([midX - radius, midY - radius], [midX + radius, midY + radius]);
        x = toX;
        y = toY;
        current.push([x, y]);
        break;
      }
      case 'Z':
      case 'z':
        break;
    }
  }
  if (current.length > 0) subpaths.push(current);
  return { subpaths, extra };
}

function boxOf(points: readonly [number, number][]): Box {
  const xs = points.map(([px]) => px);
  const ys = points.map(([, py]) => py);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

function readSvg(svg: string): Drawn {
  const drawn: Drawn = { texts: [], shapes: [], lines: [], width: Number(/width="(\d+)"/.exec(svg)?.[1]), height: Number(/height="(\d+)"/.exec(svg)?.[1]) };
  const groups: string[] = [];
  const inherited = (name: string, own: string): string | null => {
    const value = attribute(own, name);
    if (value !== null) return value;
    for (let index = groups.length - 1; index >= 0; index -= 1) {
      const fromGroup = attribute(groups[index], name);
      if (fromGroup !== null) return fromGroup;
    }
    return null;
  };
  for (const tag of svg.matchAll(/<(\/?)(g|text|path)([^>]*?)(\/?)>(?:([^<]*)<\/text>)?/g)) {
    const [, closing, name, attributes, , content] = tag;
    if (name === 'g') {
      if (closing === '/') groups.pop();
      else groups.push(attributes);
      continue;
    }
    if (name === 'text') {
      const fontSize = Number(inherited('font-size', attributes));
      const bold = inherited('font-weight', attributes) === 'bold';
      const box = textBox(
        content ?? '',
        Number(attribute(attributes, 'x')),
        Number(attribute(attributes, 'y')),
        fontSize,
        inherited('text-anchor', attributes) ?? 'start',
        bold,
      );
      drawn.texts.push({ text: content ?? '', box, bold, fontSize });
      continue;
    }
    const d = attribute(attributes, 'd') ?? '';
    const fill = inherited('fill', attributes);
    const stroke = attribute(attributes, 'stroke');
    const { subpaths, extra } = pathPoints(d);
    if (fill !== null && fill !== 'none' && stroke === null) {
      // Filled sub-paths: bars, markers, square legend swatches.
      for (const points of subpaths)
        drawn.shapes.push({
          fill,
          box: boxOf([...points, ...extra.filter(([px, py]) => Math.abs(px - points[0][0]) < 10 && Math.abs(py - points[0][1]) < 10)]),
        });
    } else if (stroke !== null) {
      const width = Number(attribute(attributes, 'stroke-width') ?? '1');
      if (fill !== null && fill !== 'none') {
        // A stroked marker (the highlighted point).
        drawn.shapes.push({ fill, box: inflate(boxOf([...subpaths.flat(), ...extra]), width / 2) });
        continue;
      }
      const segments: [number, number, number, number][] = [];
      for (const points of subpaths) {
        if (points.length === 1) segments.push([points[0][0], points[0][1], points[0][0], points[0][1]]);
        for (let index = 1; index < points.length; index += 1) segments.push([points[index - 1][0], points[index - 1][1], points[index][0], points[index][1]]);
      }
      drawn.lines.push({ stroke, width, segments });
    }
  }
  return drawn;
}

function inflate(box: Box, by: number): Box {
  return { x0: box.x0 - by, y0: box.y0 - by, x1: box.x1 + by, y1: box.y1 + by };
}

function overlaps(a: Box, b: Box): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Whether a stroked segment passes through a box: sampled every ~0.25 px along it. */
function segmentHits(box: Box, [x0, y0, x1, y1]: [number, number, number, number], strokeWidth: number): boolean {
  const target = inflate(box, strokeWidth / 2);
  const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) * 4));
  for (let step = 0; step <= steps; step += 1) {
    const x = x0 + ((x1 - x0) * step) / steps;
    const y = y0 + ((y1 - y0) * step) / steps;
    if (x > target.x0 && x < target.x1 && y > target.y0 && y < target.y1) return true;
  }
  return false;
}

const LEGEND_FONT = 9;
const VALUE_LABEL = '12 345,6 €';

/** What collides in a drawn chart: the value label, the legend, the target line and the data. */
function collisions(svg: string, style: TrendChartStyle): string[] {
  const drawn = readSvg(svg);
  const problems: string[] = [];
  const legendTexts = drawn.texts.filter((text) => text.fontSize === LEGEND_FONT);
  // The legend's swatches are the shapes and lines whose every point lies in the legend strip's rows.
  const legendBottom = legendTexts[0]?.box.y1 ?? 0;
  const inLegend = (box: Box): boolean => box.y1 <= legendBottom;
  const legendBoxes = [
    ...legendTexts.map((text) => text.box),
    ...drawn.shapes.filter((shape) => inLegend(shape.box)).map((shape) => shape.box),
    ...drawn.lines.flatMap((line) =>
      line.segments
        .filter(([, y0, , y1]) => Math.max(y0, y1) <= legendBottom)
        .map(([x0, y0, x1, y1]) =>
          boxOf([
            [x0, y0],
            [x1, y1],
          ]),
        ),
    ),
  ];
  const dataShapes = drawn.shapes.filter((shape) => !inLegend(shape.box));
  const dataLines = drawn.lines
    .filter((line) => line.stroke !== style.gridColor)
    .map((line) => ({ ...line, segments: line.segments.filter(([, y0, , y1]) => Math.max(y0, y1) > legendBottom) }));
  const valueLabels = drawn.texts.filter((text) => text.bold);

  for (const legendBox of legendBoxes) {
    for (const shape of dataShapes) if (overlaps(legendBox, shape.box)) problems.push(`legend over a ${shape.fill} shape`);
    for (const line of dataLines)
      if (line.segments.some((segment) => segmentHits(legendBox, segment, line.width))) problems.push(`legend over the ${line.stroke} line`);
  }
  for (const label of valueLabels) {
    if (label.box.y0 < 0 || label.box.y1 > drawn.height || label.box.x0 < 0) problems.push('value label outside the chart');
    if (label.box.x0 + estimateTextWidth(label.text, 11, true) > drawn.width) problems.push('value label past the right edge');
    for (const legendBox of legendBoxes) if (overlaps(label.box, legendBox)) problems.push('value label on the legend');
    for (const shape of dataShapes) if (overlaps(label.box, shape.box)) problems.push(`value label on a ${shape.fill} shape`);
    for (const line of dataLines)
      if (line.segments.some((segment) => segmentHits(label.box, segment, line.width))) problems.push(`value label struck by the ${line.stroke} line`);
    for (const other of drawn.texts) if (other !== label && overlaps(label.box, other.box)) problems.push(`value label on "${other.text}"`);
  }
  return problems;
}

function series(values: readonly (number | null)[], targets: readonly (number | null)[], lastYear: readonly (number | null)[]): TrendChartPoint[] {
  return values.map((value, index) => ({
    label: `m${String(index + 1).padStart(2, '0')}`,
    value,
    target: targets[index] ?? null,
    lastYear: lastYear[index] ?? null,
  }));
}

const ramp = (from: number, to: number): number[] => Array.from({ length: 13 }, (_, index) => from + ((to - from) * index) / 12);

/** Adversarial series: the reported value on its target, at the axis top, below zero, months without data. */
const ADVERSARIAL: Record<string, TrendChartPoint[]> = {
  'value equal to the target': series(ramp(80, 100), ramp(100, 100), ramp(70, 90)),
  'value at the top of the axis, target just below': series([...ramp(10, 50).slice(0, 12), 300], ramp(290, 290), ramp(5, 40)),
  'target above everything, value at the top band': series(ramp(0.02, 0.021), ramp(0.03, 0.03), ramp(0.018, 0.02)),
  'all months null': series(Array<null>(13).fill(null), Array<null>(13).fill(null), Array<null>(13).fill(null)),
  'all null but the reported month': series([...Array<null>(12).fill(null), 42], [...Array<null>(12).fill(null), 42], Array<null>(13).fill(null)),
  'negative NPS crossing its target': series(ramp(-35, -12), ramp(-12, -12), ramp(-40, -20)),
  'last year far above this year': series(ramp(10, 12), ramp(11, 11), ramp(90, 120)),
  'reported month without data, target on': series([...ramp(5, 9).slice(0, 12), null], ramp(9, 9), ramp(4, 8)),
  'value at the bottom, target at the top': series([...ramp(50, 90).slice(0, 12), 0], ramp(100, 100), ramp(40, 80)),
};

describe(renderTrendChartSvg.name, () => {
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

  it.each(
    Object.entries(ADVERSARIAL).flatMap(([name, points]) => (['BARS', 'LINE'] as TrendChartForm[]).map((form) => [`${name} (${form})`, form, points] as const)),
  )('draws no label, legend or target line over another: %s', (_name, form, points) => {
    const style = { ...STYLE, form };
    const svg = renderTrendChartSvg(points, style, texts(VALUE_LABEL));
    expect(collisions(svg, style)).toEqual([]);
  });

  it('sees a legend drawn over the data', () => {
    const points = series(ramp(80, 100), ramp(100, 100), ramp(70, 90));
    const svg = renderTrendChartSvg(points, STYLE, texts(VALUE_LABEL));
    const moved = svg.replace('</svg>', '<g font-size="9"><text x="300" y="100">Objectif</text></g>\n</svg>');
    expect(collisions(moved, STYLE)).toContain(`legend over a ${STYLE.barColor} shape`);
  });

  it('sees a label struck by a target line drawn through it', () => {
    const points = series(ramp(80, 100), ramp(100, 100), ramp(70, 90));
    const svg = renderTrendChartSvg(points, STYLE, texts(VALUE_LABEL));
    const label = /<text x="([\d.]+)" y="([\d.]+)"[^>]*font-weight="bold"/.exec(svg);
    expect(label).not.toBeNull();
    const [x, y] = [Number(label?.[1]), Number(label?.[2])];
    const struck = svg.replace('</svg>', `<path d="M${x - 20} ${y}L${x + 60} ${y}" fill="none" stroke="${STYLE.targetColor}" stroke-width="2"/>\n</svg>`);
    expect(collisions(struck, STYLE)).toContain(`value label struck by the ${STYLE.targetColor} line`);
  });

  it('draws volumes as bars from zero with last year’s pale bars beside them and the reported one in the brand colour', () => {
    const svg = renderTrendChartSvg(
      [
        { label: 'sept. 26', value: 120, target: 100, lastYear: 90 },
        { label: 'oct. 26', value: null, target: null, lastYear: 95 },
        { label: 'nov. 26', value: 150, target: 140, lastYear: 130 },
      ],
      STYLE,
      texts('150 u'),
    );
    // One path for last year's three bars, one for this year's earlier bar, one for the reported bar.
    expect(svg.match(/<path d="(M[\d.]+ [\d.]+H[^"]*Z){3}" fill="#d5d9e0"\/>/g)).toHaveLength(1);
    expect(svg.match(/<path d="(M[\d.]+ [\d.]+H[^"]*Z)" fill="#b7c0cc"\/>/g)).toHaveLength(1);
    expect(svg).toMatch(/<path d="M[^"]*Z" fill="#1f3a5f"\/>/);
    expect(svg).toMatch(/font-weight="bold" fill="#1d2433">150 u<\/text>/);
    expect(svg).toContain('>oct. 26</text>');
    expect(svg).toContain('>Année précédente</text>');
    // The target skips the month without one; the axis starts at 0.
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+" fill="none" stroke="#f2b134"/);
    expect(svg).toContain('>0 u</text>');
  });

  it('draws rates as a line on their level, broken where a month has no data, with last year’s as a thin grey line', () => {
    const svg = renderTrendChartSvg(
      [
        { label: 'a', value: 0.36, target: 0.4, lastYear: 0.35 },
        { label: 'b', value: 0.38, target: 0.4, lastYear: 0.37 },
        { label: 'c', value: null, target: 0.4, lastYear: 0.36 },
        { label: 'd', value: 0.41, target: 0.4, lastYear: 0.38 },
      ],
      { ...STYLE, form: 'LINE' },
      texts('41 %', (value) => `${Math.round(value * 100)} %`),
    );
    // 36 % and 41 % on an axis around their level, not from 0: the first tick is above 0.
    expect(svg).not.toContain('>0 %</text>');
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+M[\d.]+ [\d.]+" fill="none" stroke="#1f3a5f"/);
    expect(svg).toMatch(/<path d="M[^"]*L[^"]*" fill="none" stroke="#d5d9e0" stroke-width="1.5"/);
  });

  it('ends a 5-point rating axis at 5 and a share’s at 100 %, but never cuts off a value beyond its bounds', () => {
    const ratings = series([4.2, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9, 4.8, 4.7, 4.9, 4.95, 4.9, 4.8], ramp(5, 5), ramp(4.1, 4.6));
    const rating = renderTrendChartSvg(ratings, { ...STYLE, form: 'LINE', bounds: { min: 1, max: 5 } }, texts('4,8', String));
    const ticks = [...rating.matchAll(/<text x="46" y="[\d.]+">([^<]+)<\/text>/g)].map((match) => Number(match[1]));
    expect(Math.max(...ticks)).toBe(5);
    expect(ticks.every((tick) => tick >= 1 && tick <= 5)).toBe(true);
    expect(rating).toMatch(/<text x="46" y="22">5<\/text>/);

    const unbounded = niceValueAxis([4.2, 4.95, 5], true, 3);
    expect(unbounded.max).toBeGreaterThan(5);
    expect(boundedValueAxis(unbounded, { min: 1, max: 5 }, [4.2, 4.95, 5]).max).toBe(5);
    expect(niceValueAxis([0.9, 0.995], true, 3).max).toBeGreaterThan(1);
    expect(boundedValueAxis(niceValueAxis([0.9, 0.995], true, 3), { min: 0, max: 1 }, [0.9, 0.995]).max).toBe(1);
    // A share typed as 104 % is still drawn: the axis goes past the bound rather than hide it.
    expect(boundedValueAxis(niceValueAxis([0.9, 1.04], true, 3), { min: 0, max: 1 }, [0.9, 1.04]).max).toBeGreaterThanOrEqual(1.04);
    // Bars keep zero even when the scale starts at 1.
    const bars = renderTrendChartSvg(ratings, { ...STYLE, form: 'BARS', bounds: { min: 1, max: 5 } }, texts('4,8', String));
    expect(bars).toContain('>0</text>');
    expect(bars).toContain('>5</text>');
    expect(bars).not.toContain('>6</text>');
  });

  it('carries its text alternative as the SVG’s title, and escapes labels, which come from formatted user data', () => {
    const svg = renderTrendChartSvg([{ label: '<b>&', value: 1, target: null, lastYear: null }], STYLE, { ...texts('1 <€>'), title: 'A < B & "C"' });
    expect(svg).toContain('<title>A &lt; B &amp; &quot;C&quot;</title>');
    expect(svg).toContain('&lt;b&gt;&amp;');
    expect(svg).toContain('1 &lt;€&gt;');
    expect(svg).not.toContain('<b>');
    // Without last year's data, no legend entry for it.
    expect(svg).not.toContain('Année précédente');
  });
});
