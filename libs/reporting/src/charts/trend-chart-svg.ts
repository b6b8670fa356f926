/**
 * The KPI trend chart, written straight as SVG: the 13 months (or weeks) of this year, the same
 * periods last year beside them, the target, a legend and the reported value.
 *
 * It used to be drawn by ECharts; a report has a dozen of them and ECharts' option model cost
 * ~4 ms a chart (~50 ms of Node CPU a report, measured with bench:reports) for a chart whose
 * geometry is fixed. This keeps ECharts' axis algorithm ("nice" ticks) and pixel snapping of
 * 1 px lines, and writes only what is drawn: each series is one `<path>` (bars and markers as
 * sub-paths), no filters, masks, hover styles or class names for Chromium to parse.
 *
 * Layout, top to bottom: a legend strip (never over the data), the plot, the period labels.
 * The reported value is written in a right-hand gutter, level with its bar or point: the target
 * and last year's lines end at the last period's centre, left of the gutter, so neither the
 * target line nor the legend can run through that label, whatever the values.
 */

export interface TrendChartPoint {
  readonly label: string;
  readonly value: number | null;
  readonly target: number | null;
  /** The same period last year; null without data. */
  readonly lastYear: number | null;
}

/**
 * BARS: volumes and amounts, drawn from zero so that bar lengths compare (a bar twice as long
 * is twice as much). LINE: rates, ratios, durations and scores, drawn as a line on a labelled
 * axis around their level: a 36 % vs 41 % pair drawn as bars cut above zero would look like
 * 1:5, drawn from zero the change would vanish; a line with ticks reads as what it is.
 */
export type TrendChartForm = 'BARS' | 'LINE';

/** Ends of a bounded scale (a share stops at 100 %, a 5-star rating at 5); null where open. */
export interface TrendChartBounds {
  readonly min: number | null;
  readonly max: number | null;
}

export interface TrendChartStyle {
  readonly width: number;
  readonly height: number;
  readonly form: TrendChartForm;
  readonly bounds: TrendChartBounds | null;
  readonly splitNumber: number;
  readonly barColor: string;
  readonly highlightColor: string;
  readonly lastYearColor: string;
  readonly targetColor: string;
  readonly gridColor: string;
  readonly mutedColor: string;
  readonly inkColor: string;
  readonly fontFamily: string;
}

export interface TrendChartTexts {
  /** The chart's text alternative, written as the SVG's `<title>`. */
  readonly title: string;
  /** "13 derniers mois", top left. */
  readonly span: string;
  readonly actual: string;
  readonly lastYear: string;
  readonly target: string;
  /** The reported value, written beside the last bar or point (null: none). */
  readonly valueLabel: string | null;
  /** A tick of the value axis ("200 k"). */
  readonly formatAxis: (value: number) => string;
}

export interface ValueAxis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

const LEFT = 54;
const BOTTOM = 20;
const LEGEND_FONT_SIZE = 9;
const LEGEND_CENTER_Y = 7;
/** The plot starts below the legend strip with room for a marker or a line's stroke. */
const PLOT_TOP = 22;
const AXIS_LABEL_MARGIN = 8;
const AXIS_FONT_SIZE = 10;
const VALUE_LABEL_FONT_SIZE = 11;
const VALUE_LABEL_GAP = 5;
const MIN_RIGHT_MARGIN = 10;
const BAR_RADIUS = 3;
const MARKER_RADIUS = 2.5;
const HIGHLIGHT_RADIUS = 4;
const SWATCH_WIDTH = 14;
const SWATCH_GAP = 4;
const LEGEND_ITEM_GAP = 12;

/**
 * Width of a text in px, estimated per character for the bundled sans-serif fonts (they stay
 * under these widths): the legend and the value label are placed with it, and the unit test
 * checks their boxes with a coarser estimate of its own.
 */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const char of text) {
    if (/[\s\u00a0\u202f.,:;'’|!il()]/.test(char)) em += 0.32;
    else if (/[A-Z€$£%mwMW]/.test(char)) em += 0.78;
    else em += 0.6;
  }
  return em * fontSize * (bold ? 1.08 : 1);
}

/** Rounds `x` to `precision` decimals without binary noise (ECharts' numberUtil.round). */
function roundTo(x: number, precision: number): number {
  return Number(x.toFixed(Math.min(Math.max(0, precision), 20)));
}

/** Decimals of a number as written (ECharts' numberUtil.getPrecision). */
function decimalsOf(value: number): number {
  if (value > 1e-14) {
    for (let digits = 0, scale = 1; digits < 15; digits += 1, scale *= 10) {
      if (Math.round(value * scale) / scale === value) return digits;
    }
  }
  const text = value.toString().toLowerCase();
  const exponent = text.indexOf('e');
  const power = exponent > 0 ? -Number(text.slice(exponent + 1)) : 0;
  const mantissa = exponent > 0 ? text.slice(0, exponent) : text;
  const point = mantissa.indexOf('.');
  return Math.max(0, power + (point < 0 ? 0 : mantissa.length - 1 - point));
}

/** 1, 2, 3 or 5 times a power of ten, nearest to `value` (ECharts' numberUtil.nice, rounding mode). */
function niceStep(value: number): number {
  const exponent = Math.floor(Math.log10(value));
  const power = 10 ** exponent;
  const coefficient = value / power;
  const nice = coefficient < 1.5 ? 1 : coefficient < 2.5 ? 2 : coefficient < 4 ? 3 : coefficient < 7 ? 5 : 10;
  return exponent < 0 ? roundTo(nice * power, -exponent) : nice * power;
}

/**
 * The value axis ECharts computes for these values: the data extent (with 0 unless `scale`),
 * widened when flat, then snapped outwards to a "nice" interval of about span / splitNumber.
 */
export function niceValueAxis(values: readonly number[], scale: boolean, splitNumber: number): ValueAxis {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low > high) {
    low = 0;
    high = 0;
  }
  if (!scale) {
    low = Math.min(low, 0);
    high = Math.max(high, 0);
  }
  if (low === high) {
    if (low !== 0) {
      const half = Math.abs(low) / 2;
      low -= half;
      high += half;
    } else {
      high = 1;
    }
  }
  const interval = niceStep((high - low) / splitNumber);
  const precision = decimalsOf(interval) + 2;
  const min = roundTo(Math.floor(low / interval) * interval, precision);
  const max = roundTo(Math.ceil(high / interval) * interval, precision);
  const ticks: number[] = [];
  for (let tick = min; tick <= max + interval / 2; tick = roundTo(tick + interval, precision)) ticks.push(tick);
  return { min, max, ticks };
}

/**
 * Stops a nice axis at a bounded scale's ends when the data lies inside them: a 5-point rating
 * axis ends at 5 (not 6), a share at 100 % (not 120 %). The bound becomes the last tick; a nice
 * tick too close to it to be read apart is dropped. A value outside its bounds (a badly typed
 * figure) keeps the nice axis: the data is always drawn.
 */
export function boundedValueAxis(axis: ValueAxis, bounds: TrendChartBounds | null, values: readonly number[]): ValueAxis {
  if (bounds === null || axis.ticks.length < 2) return axis;
  const interval = axis.ticks[1] - axis.ticks[0];
  const low = Math.min(...values);
  const high = Math.max(...values);
  let { min, max } = axis;
  let ticks = [...axis.ticks];
  if (bounds.max !== null && max > bounds.max && (values.length === 0 || high <= bounds.max)) {
    max = bounds.max;
    ticks = ticks.filter((tick) => tick <= max - interval * 0.4);
    ticks.push(max);
  }
  if (bounds.min !== null && min < bounds.min && (values.length === 0 || low >= bounds.min)) {
    min = bounds.min;
    ticks = ticks.filter((tick) => tick >= min + interval * 0.4);
    ticks.unshift(min);
  }
  return { min, max, ticks };
}

/** zrender's subPixelOptimize: a 1 px line on a half pixel, so that it is crisp. */
function crisp(position: number): number {
  const doubled = Math.round(position * 2);
  return (doubled + 1) % 2 === 0 ? doubled / 2 : (doubled + 1) / 2;
}

function n(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A bar with its value end rounded, like ECharts' `borderRadius: [3, 3, 0, 0]`. */
function barPath(left: number, right: number, valueY: number, baseY: number): string {
  const height = Math.abs(baseY - valueY);
  const radius = Math.min(BAR_RADIUS, height, (right - left) / 2);
  if (radius <= 0) return `M${n(left)} ${n(valueY)}H${n(right)}V${n(baseY)}H${n(left)}Z`;
  const toward = valueY < baseY ? 1 : -1;
  const sweep = toward === 1 ? 1 : 0;
  return (
    `M${n(left + radius)} ${n(valueY)}H${n(right - radius)}` +
    `A${radius} ${radius} 0 0 ${sweep} ${n(right)} ${n(valueY + toward * radius)}` +
    `V${n(baseY)}H${n(left)}V${n(valueY + toward * radius)}` +
    `A${radius} ${radius} 0 0 ${sweep} ${n(left + radius)} ${n(valueY)}Z`
  );
}

/** A circle as a sub-path, so that all the markers of a series are one element. */
function dotPath(x: number, y: number, radius: number): string {
  return `M${n(x - radius)} ${n(y)}a${radius} ${radius} 0 1 0 ${radius * 2} 0a${radius} ${radius} 0 1 0 ${-radius * 2} 0Z`;
}

/** A polyline through the points that have a value, broken where one is missing (never drawn to zero). */
function linePath(values: readonly (number | null)[], x: (index: number) => number, y: (value: number) => number): string {
  let path = '';
  let pen = false;
  values.forEach((value, index) => {
    if (value === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${n(x(index))} ${n(y(value))}`;
    pen = true;
  });
  return path;
}

/**
 * The chart as an SVG string. Missing values draw nothing (no zero bar, a gap in a line); the
 * target and last year's series join the periods that have one.
 */
export function renderTrendChartSvg(points: readonly TrendChartPoint[], style: TrendChartStyle, texts: TrendChartTexts): string {
  const { width, height } = style;
  const bars = style.form === 'BARS';
  const hasTarget = points.some((point) => point.target !== null);
  const hasLastYear = points.some((point) => point.lastYear !== null);
  const lastIndex = points.length - 1;
  const last = points[lastIndex];
  const valueLabel = last !== undefined && last.value !== null ? texts.valueLabel : null;

  const labelWidth = valueLabel === null ? 0 : estimateTextWidth(valueLabel, VALUE_LABEL_FONT_SIZE, true);
  const left = LEFT;
  const right = width - Math.max(MIN_RIGHT_MARGIN, labelWidth + VALUE_LABEL_GAP + HIGHLIGHT_RADIUS + 2);
  const top = PLOT_TOP;
  const bottom = height - BOTTOM;

  const axisValues: number[] = [];
  for (const point of points) {
    for (const value of [point.value, point.target, point.lastYear]) if (value !== null && Number.isFinite(value)) axisValues.push(value);
  }
  // Bars keep zero whatever the scale's lower bound (a rating's 1): only a line's axis starts at it.
  const bounds = style.bounds === null ? null : { min: bars ? null : style.bounds.min, max: style.bounds.max };
  const axis = boundedValueAxis(niceValueAxis(axisValues, !bars, style.splitNumber), bounds, axisValues);
  const toY = (value: number): number => bottom - ((value - axis.min) / (axis.max - axis.min)) * (bottom - top);
  // Bars stand on 0 (always on a bar axis); a line's axis sits at the bottom of the plot.
  const baseY = bars ? toY(0) : bottom;
  const band = (right - left) / Math.max(points.length, 1);
  const centerX = (index: number): number => left + band * (index + 0.5);
  // With last year's bars: a pale, narrower bar on the left of each period, this year's on the right.
  const barWidth = band * (hasLastYear ? 0.36 : 0.56);
  const ghostWidth = band * 0.3;
  const pairGap = band * 0.04;
  const barCenter = (index: number): number => (hasLastYear ? centerX(index) + (ghostWidth + pairGap) / 2 : centerX(index));
  const ghostCenter = (index: number): number => centerX(index) - (barWidth + pairGap) / 2;
  const valueX = (index: number): number => (bars ? barCenter(index) : centerX(index));

  const font = escapeXml(style.fontFamily);
  const parts: string[] = [
    `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}">`,
    `<title>${escapeXml(texts.title)}</title>`,
  ];

  // Grid: one path for the tick lines (solid: Chromium's PDF output makes each dash a path), one for the axis.
  const grid = axis.ticks.map((tick) => `M${left} ${crisp(toY(tick))}H${n(right)}`).join('');
  parts.push(
    `<path d="${grid}" fill="none" stroke="${style.gridColor}"/>`,
    `<path d="M${left} ${crisp(baseY)}H${n(right)}" fill="none" stroke="${style.gridColor}"/>`,
  );

  // Axis texts.
  parts.push(`<g font-family="${font}" font-size="${AXIS_FONT_SIZE}" fill="${style.mutedColor}" dominant-baseline="central">`, `<g text-anchor="end">`);
  for (const tick of axis.ticks) parts.push(`<text x="${left - AXIS_LABEL_MARGIN}" y="${n(toY(tick))}">${escapeXml(texts.formatAxis(tick))}</text>`);
  parts.push('</g>', '<g text-anchor="middle">');
  const categoryY = n(bottom + AXIS_LABEL_MARGIN + AXIS_FONT_SIZE / 2);
  points.forEach((point, index) => parts.push(`<text x="${n(centerX(index))}" y="${categoryY}">${escapeXml(point.label)}</text>`));
  parts.push('</g>', '</g>');

  // Last year first, under this year's.
  if (hasLastYear) {
    if (bars) {
      const ghosts = points
        .map((point, index) =>
          point.lastYear === null ? '' : barPath(ghostCenter(index) - ghostWidth / 2, ghostCenter(index) + ghostWidth / 2, toY(point.lastYear), baseY),
        )
        .join('');
      if (ghosts !== '') parts.push(`<path d="${ghosts}" fill="${style.lastYearColor}"/>`);
    } else {
      // Solid, thin and grey rather than dotted: Chromium's PDF output turns every dash into a
      // path of its own (a dotted line was ~100 closed paths a chart, +40 % of the page content).
      const line = linePath(
        points.map((point) => point.lastYear),
        centerX,
        toY,
      );
      if (line !== '') parts.push(`<path d="${line}" fill="none" stroke="${style.lastYearColor}" stroke-width="1.5" stroke-linejoin="round"/>`);
    }
  }

  // This year.
  if (bars) {
    const previous = points
      .map((point, index) =>
        point.value === null || index === lastIndex ? '' : barPath(barCenter(index) - barWidth / 2, barCenter(index) + barWidth / 2, toY(point.value), baseY),
      )
      .join('');
    if (previous !== '') parts.push(`<path d="${previous}" fill="${style.barColor}"/>`);
    if (last !== undefined && last.value !== null) {
      parts.push(
        `<path d="${barPath(barCenter(lastIndex) - barWidth / 2, barCenter(lastIndex) + barWidth / 2, toY(last.value), baseY)}" fill="${style.highlightColor}"/>`,
      );
    }
  } else {
    const values = points.map((point) => point.value);
    const line = linePath(values, centerX, toY);
    if (line !== '') parts.push(`<path d="${line}" fill="none" stroke="${style.highlightColor}" stroke-width="2" stroke-linejoin="round"/>`);
    const dots = values.map((value, index) => (value === null || index === lastIndex ? '' : dotPath(centerX(index), toY(value), MARKER_RADIUS))).join('');
    if (dots !== '') parts.push(`<path d="${dots}" fill="${style.highlightColor}"/>`);
    if (last !== undefined && last.value !== null) {
      parts.push(
        `<path d="${dotPath(centerX(lastIndex), toY(last.value), HIGHLIGHT_RADIUS)}" fill="${style.highlightColor}" stroke="#ffffff" stroke-width="1"/>`,
      );
    }
  }

  // Target: a dashed line through this year's bars or points, joining the periods that have one
  // (a plan's target is set, not measured: a month without one is not a gap in the data); a
  // lone target is a short dash across its period.
  if (hasTarget) {
    const known = points.flatMap((point, index) => (point.target === null ? [] : [`${n(valueX(index))} ${n(toY(point.target))}`]));
    const only = points.findIndex((point) => point.target !== null);
    const onlyTarget = points[only]?.target ?? null;
    const line =
      known.length > 1 || onlyTarget === null
        ? `M${known.join('L')}`
        : `M${n(valueX(only) - band * 0.3)} ${n(toY(onlyTarget))}H${n(valueX(only) + (bars ? barWidth / 2 : HIGHLIGHT_RADIUS))}`;
    parts.push(`<path d="${line}" fill="none" stroke="${style.targetColor}" stroke-width="2" stroke-dasharray="8,4" stroke-linejoin="bevel"/>`);
  }

  // The reported value, in the right-hand gutter, level with its bar top or point.
  if (valueLabel !== null && last !== undefined && last.value !== null) {
    const markRight = bars ? barCenter(lastIndex) + barWidth / 2 : centerX(lastIndex) + HIGHLIGHT_RADIUS;
    const half = VALUE_LABEL_FONT_SIZE / 2;
    const y = Math.min(Math.max(toY(last.value), top + half), bottom - half);
    parts.push(
      `<text x="${n(markRight + VALUE_LABEL_GAP)}" y="${n(y)}" dominant-baseline="central" font-family="${font}" font-size="${VALUE_LABEL_FONT_SIZE}" ` +
        `font-weight="bold" fill="${style.inkColor}">${escapeXml(valueLabel)}</text>`,
    );
  }

  parts.push(legend(style, texts, hasLastYear, hasTarget, width));
  parts.push('</svg>');
  return parts.join('\n');
}

/** The legend strip above the plot: the span on the left, the series' keys on the right. */
function legend(style: TrendChartStyle, texts: TrendChartTexts, hasLastYear: boolean, hasTarget: boolean, width: number): string {
  const bars = style.form === 'BARS';
  const y = LEGEND_CENTER_Y;
  const items: { text: string; swatch: (x: number) => string }[] = [
    {
      text: texts.actual,
      swatch: (x) =>
        bars
          ? `<path d="M${n(x + 3)} ${y - 4}h8v8h-8Z" fill="${style.highlightColor}"/>`
          : `<path d="M${n(x)} ${y}h${SWATCH_WIDTH}" stroke="${style.highlightColor}" stroke-width="2"/>`,
    },
  ];
  if (hasLastYear) {
    items.push({
      text: texts.lastYear,
      swatch: (x) =>
        bars
          ? `<path d="M${n(x + 3)} ${y - 4}h8v8h-8Z" fill="${style.lastYearColor}"/>`
          : `<path d="M${n(x)} ${y}h${SWATCH_WIDTH}" stroke="${style.lastYearColor}" stroke-width="1.5"/>`,
    });
  }
  if (hasTarget) {
    items.push({
      text: texts.target,
      swatch: (x) => `<path d="M${n(x)} ${y}h${SWATCH_WIDTH}" stroke="${style.targetColor}" stroke-width="2" stroke-dasharray="5,3"/>`,
    });
  }
  const parts = [
    `<g font-family="${escapeXml(style.fontFamily)}" font-size="${LEGEND_FONT_SIZE}" fill="${style.mutedColor}" dominant-baseline="central">`,
    `<text x="0" y="${y}">${escapeXml(texts.span)}</text>`,
  ];
  // Right-aligned: laid out from the right edge leftwards.
  let x = width - 2;
  for (const item of [...items].reverse()) {
    const textWidth = estimateTextWidth(item.text, LEGEND_FONT_SIZE);
    x -= textWidth;
    parts.push(`<text x="${n(x)}" y="${y}">${escapeXml(item.text)}</text>`);
    x -= SWATCH_GAP + SWATCH_WIDTH;
    parts.push(item.swatch(x));
    x -= LEGEND_ITEM_GAP;
  }
  parts.push('</g>');
  return parts.join('\n');
}
