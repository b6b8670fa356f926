/**
 * The KPI trend chart (bars for the months, the reported one in the brand colour with its value,
 * a dashed target line) written straight as SVG.
 *
 * It used to be drawn by ECharts; a report has a dozen of them and ECharts' option model cost
 * ~4 ms a chart (~50 ms of Node CPU a report, measured with bench:reports) for a chart whose
 * geometry is fixed. This keeps ECharts' geometry and axis algorithm (grid, band layout, "nice"
 * ticks, pixel snapping of 1 px lines) so the charts look the same, and writes only what is
 * drawn: no hover styles, class names or hydration attributes for Chromium to parse.
 */

export interface TrendChartPoint {
  readonly label: string;
  readonly value: number | null;
  readonly target: number | null;
}

export interface TrendChartStyle {
  readonly width: number;
  readonly height: number;
  readonly grid: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
  /** Like ECharts' value axis `scale`: false keeps 0 on the axis (counts, amounts). */
  readonly scale: boolean;
  readonly splitNumber: number;
  readonly barColor: string;
  readonly highlightColor: string;
  readonly targetColor: string;
  readonly gridColor: string;
  readonly mutedColor: string;
  readonly inkColor: string;
  readonly fontFamily: string;
}

export interface ValueAxis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/** Bar width in the band, corner radius, label margins: ECharts' values for this chart. */
const BAR_WIDTH_SHARE = 0.56;
const BAR_RADIUS = 3;
const AXIS_LABEL_MARGIN = 8;
const AXIS_FONT_SIZE = 10;
const VALUE_LABEL_FONT_SIZE = 11;
const VALUE_LABEL_DISTANCE = 5;

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

/**
 * The chart as an SVG string. `formatAxis` writes a tick ("200 k"), `valueLabel` the text over
 * the last bar (null for none). Missing values draw no bar (never a zero bar); the target line
 * joins the months that have a target.
 */
export function renderTrendChartSvg(
  points: readonly TrendChartPoint[],
  style: TrendChartStyle,
  formatAxis: (value: number) => string,
  valueLabel: string | null,
): string {
  const { width, height, grid } = style;
  const left = grid.left;
  const right = width - grid.right;
  const top = grid.top;
  const bottom = height - grid.bottom;
  const hasTarget = points.some((point) => point.target !== null);
  const axisValues: number[] = [];
  for (const point of points) {
    if (point.value !== null) axisValues.push(point.value);
    if (point.target !== null) axisValues.push(point.target);
  }
  const axis = niceValueAxis(axisValues, style.scale, style.splitNumber);
  const toY = (value: number): number => bottom - ((value - axis.min) / (axis.max - axis.min)) * (bottom - top);
  // The category axis sits on 0 when the value axis crosses it (ECharts' onZero), else at its end.
  const baseY = axis.min <= 0 && axis.max >= 0 ? toY(0) : axis.min > 0 ? bottom : top;
  const band = (right - left) / Math.max(points.length, 1);
  const centerX = (index: number): number => left + band * (index + 0.5);
  const barWidth = band * BAR_WIDTH_SHARE;

  const parts: string[] = [
    `<svg width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}">`,
    `<g fill="none" stroke="${style.gridColor}">`,
  ];
  for (const tick of axis.ticks) {
    const y = crisp(toY(tick));
    parts.push(`<path d="M${left} ${y}H${right}" stroke-dasharray="4,2"/>`);
  }
  parts.push(`<path d="M${left} ${crisp(baseY)}H${right}" stroke-linecap="round"/>`, '</g>');

  parts.push(
    `<g font-family="${escapeXml(style.fontFamily)}" font-size="${AXIS_FONT_SIZE}" fill="${style.mutedColor}" dominant-baseline="central">`,
    `<g text-anchor="end">`,
  );
  for (const tick of axis.ticks) {
    parts.push(`<text x="${left - AXIS_LABEL_MARGIN}" y="${n(toY(tick))}">${escapeXml(formatAxis(tick))}</text>`);
  }
  parts.push('</g>', '<g text-anchor="middle">');
  const labelY = n(baseY + AXIS_LABEL_MARGIN + AXIS_FONT_SIZE / 2);
  points.forEach((point, index) => parts.push(`<text x="${n(centerX(index))}" y="${labelY}">${escapeXml(point.label)}</text>`));
  parts.push('</g>', '</g>');

  const lastIndex = points.length - 1;
  parts.push(`<g fill="${style.barColor}">`);
  points.forEach((point, index) => {
    if (point.value === null || index === lastIndex) return;
    parts.push(`<path d="${barPath(centerX(index) - barWidth / 2, centerX(index) + barWidth / 2, toY(point.value), baseY)}"/>`);
  });
  parts.push('</g>');
  const last = points[lastIndex];
  if (last !== undefined && last.value !== null) {
    const valueY = toY(last.value);
    parts.push(`<path d="${barPath(centerX(lastIndex) - barWidth / 2, centerX(lastIndex) + barWidth / 2, valueY, baseY)}" fill="${style.highlightColor}"/>`);
    if (valueLabel !== null) {
      const labelCenter = Math.min(valueY, baseY) - VALUE_LABEL_DISTANCE - VALUE_LABEL_FONT_SIZE / 2;
      parts.push(
        `<text x="${n(centerX(lastIndex))}" y="${n(labelCenter)}" text-anchor="middle" dominant-baseline="central" ` +
          `font-family="${escapeXml(style.fontFamily)}" font-size="${VALUE_LABEL_FONT_SIZE}" font-weight="bold" fill="${style.inkColor}">${escapeXml(valueLabel)}</text>`,
      );
    }
  }

  if (hasTarget) {
    const line = points
      .map((point, index) => (point.target === null ? null : `${n(centerX(index))} ${n(toY(point.target))}`))
      .filter((point): point is string => point !== null);
    if (line.length > 1) {
      parts.push(`<path d="M${line.join('L')}" fill="none" stroke="${style.targetColor}" stroke-width="2" stroke-dasharray="8,4" stroke-linejoin="bevel"/>`);
    }
  }
  parts.push('</svg>');
  return parts.join('\n');
}
