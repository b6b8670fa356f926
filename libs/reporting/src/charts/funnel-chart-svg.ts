/**
 * The funnel chart, written straight as SVG: one centred bar per step whose width is linear in
 * the step's count (a 2 % conversion looks like 2 %), trapezoids joining consecutive bars with
 * the stage-to-stage rate on the joint, and the steps' names in a left column.
 *
 * It used to be an ECharts funnel whose widths went down by rank whatever the values, because
 * its stages mixed counts and euros; the steps now count one kind of thing (see FUNNELS in
 * libs/kpi), so widths can tell the truth. The geometry is computed apart (`layoutFunnelChart`)
 * so that a test can hold it to its rules: widths proportional, a minimum width with the value
 * printed outside for a step too small to hold it, no two labels overlapping, a missing step
 * drawn as missing rather than as 0.
 */

export interface FunnelChartStep {
  /** What the step counts ("Sessions"). */
  readonly label: string;
  /** null when the step has no data: drawn as missing, never as 0. */
  readonly value: number | null;
  /** The count as printed ("59 149"). */
  readonly valueText: string;
  /** The rate from the step above as printed ("2,1 %"), or null. */
  readonly rateText: string | null;
}

export interface FunnelChartStyle {
  readonly barColor: string;
  /** Text on a bar: chosen for contrast with `barColor`. */
  readonly onBarColor: string;
  readonly connectorColor: string;
  readonly inkColor: string;
  readonly mutedColor: string;
  readonly fontFamily: string;
  /** Printed in place of a step without data ("Données manquantes"). */
  readonly missingText: string;
}

export interface LabelBox {
  /** One line, or two for a step name too long for its column. */
  readonly lines: readonly string[];
  /** Anchor point; `anchor` says how the text extends from it. */
  readonly x: number;
  readonly y: number;
  readonly anchor: 'start' | 'middle' | 'end';
  readonly width: number;
  readonly height: number;
}

export interface FunnelBarLayout {
  /** null for a missing step (a dashed placeholder is drawn at `placeholder`). */
  readonly bar: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | null;
  readonly placeholder: { readonly x: number; readonly y: number; readonly width: number; readonly height: number } | null;
  readonly name: LabelBox;
  readonly value: LabelBox;
  /** Whether the value is printed on the bar (false: to its right, the bar being too narrow). */
  readonly valueInside: boolean;
  /** The rate into this step, on the joint with the step above (between the two bars' rows). */
  readonly rate: LabelBox | null;
  /** The trapezoid joining the bar above to this one, when both have data. */
  readonly connector: readonly (readonly [number, number])[] | null;
}

export interface FunnelChartLayout {
  readonly width: number;
  readonly height: number;
  /** Width of a bar per unit of value: every bar is value × scale wide (or the minimum). */
  readonly scale: number;
  readonly bars: readonly FunnelBarLayout[];
}

export const FUNNEL_CHART_WIDTH = 640;
const NAME_COLUMN_WIDTH = 170;
/** Room right of the widest bar for the value of a narrow bar printed outside it. */
const RIGHT_MARGIN = 24;
const COLUMN_GAP = 10;
const BAR_HEIGHT = 30;
const JOINT_HEIGHT = 22;
const PADDING = 6;
/** A step too small to see is drawn this wide, and its value printed outside. */
export const MIN_BAR_WIDTH = 4;
const PLACEHOLDER_WIDTH = 150;
const NAME_FONT_SIZE = 11;
const VALUE_FONT_SIZE = 12;
const RATE_FONT_SIZE = 11;
const LABEL_PADDING = 6;
const LINE_HEIGHT = 1.2;

/**
 * Width of a text in the chart's font, estimated without a font engine: 0.6 em a character
 * (digits and the bundled fonts' lower case are narrower), so that a label said to fit does.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.6;
}

/** A name on one line, or on two split at the space nearest its middle when it is wider than `width`. */
export function wrapLabel(text: string, fontSize: number, width: number): string[] {
  if (estimateTextWidth(text, fontSize) <= width) return [text];
  const spaces = [...text.matchAll(/ /g)].map((match) => match.index);
  if (spaces.length === 0) return [text];
  const split = spaces.reduce((best, index) => (Math.abs(index - text.length / 2) < Math.abs(best - text.length / 2) ? index : best));
  return [text.slice(0, split), text.slice(split + 1)];
}

function box(lines: readonly string[], x: number, y: number, anchor: LabelBox['anchor'], fontSize: number): LabelBox {
  return { lines, x, y, anchor, width: Math.max(...lines.map((line) => estimateTextWidth(line, fontSize))), height: lines.length * fontSize * LINE_HEIGHT };
}

const n = (value: number): string => String(Math.round(value * 100) / 100);

export function layoutFunnelChart(steps: readonly FunnelChartStep[], missingText: string): FunnelChartLayout {
  const barsLeft = NAME_COLUMN_WIDTH + COLUMN_GAP;
  const barsRight = FUNNEL_CHART_WIDTH - RIGHT_MARGIN;
  const maxWidth = barsRight - barsLeft;
  const center = barsLeft + maxWidth / 2;
  const largest = Math.max(0, ...steps.map((step) => step.value ?? 0));
  const scale = largest > 0 ? maxWidth / largest : 0;
  const rowTop = (index: number): number => PADDING + index * (BAR_HEIGHT + JOINT_HEIGHT);
  let above: { readonly width: number; readonly bottom: number } | null = null;
  const bars = steps.map((step, index): FunnelBarLayout => {
    const top = rowTop(index);
    const middle = top + BAR_HEIGHT / 2;
    const name = box(wrapLabel(step.label, NAME_FONT_SIZE, NAME_COLUMN_WIDTH), NAME_COLUMN_WIDTH, middle, 'end', NAME_FONT_SIZE);
    const rate = index === 0 || step.rateText === null ? null : box([step.rateText], center, top - JOINT_HEIGHT / 2, 'middle', RATE_FONT_SIZE);
    if (step.value === null || step.value < 0) {
      const placeholder = { x: center - PLACEHOLDER_WIDTH / 2, y: top, width: PLACEHOLDER_WIDTH, height: BAR_HEIGHT };
      above = null;
      return {
        bar: null,
        placeholder,
        name,
        value: box([missingText], center, middle, 'middle', NAME_FONT_SIZE),
        valueInside: true,
        rate,
        connector: null,
      };
    }
    const width = Math.max(MIN_BAR_WIDTH, step.value * scale);
    const bar = { x: center - width / 2, y: top, width, height: BAR_HEIGHT };
    const textWidth = estimateTextWidth(step.valueText, VALUE_FONT_SIZE);
    const valueInside = textWidth + 2 * LABEL_PADDING <= width;
    const value = valueInside
      ? box([step.valueText], center, middle, 'middle', VALUE_FONT_SIZE)
      : box([step.valueText], center + width / 2 + LABEL_PADDING, middle, 'start', VALUE_FONT_SIZE);
    const connector: FunnelBarLayout['connector'] =
      above === null
        ? null
        : [
            [center - above.width / 2, above.bottom],
            [center + above.width / 2, above.bottom],
            [center + width / 2, top],
            [center - width / 2, top],
          ];
    above = { width, bottom: top + BAR_HEIGHT };
    return { bar, placeholder: null, name, value, valueInside, rate, connector };
  });
  return { width: FUNNEL_CHART_WIDTH, height: rowTop(steps.length) - JOINT_HEIGHT + PADDING, scale, bars };
}

/** The horizontal extent of a label, from its anchor. */
export function labelExtent(label: LabelBox): { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number } {
  const left = label.anchor === 'start' ? label.x : label.anchor === 'end' ? label.x - label.width : label.x - label.width / 2;
  return { left, right: left + label.width, top: label.y - label.height / 2, bottom: label.y + label.height / 2 };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The SVG, with its text alternative: `role="img"`, `aria-label` and a `<title>` carrying
 * `description` (written from the data, in the client's language, by the caller).
 */
export function renderFunnelChartSvg(steps: readonly FunnelChartStep[], style: FunnelChartStyle, description: string): string {
  const layout = layoutFunnelChart(steps, style.missingText);
  const alt = escapeXml(description);
  const parts: string[] = [
    `<svg width="${layout.width}" height="${n(layout.height)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${layout.width} ${n(layout.height)}" role="img" aria-label="${alt}">`,
    `<title>${alt}</title>`,
    `<g font-family="${escapeXml(style.fontFamily)}" dominant-baseline="central">`,
  ];
  const text = (label: LabelBox, fontSize: number, attributes: string): string => {
    const first = label.y - ((label.lines.length - 1) * fontSize * LINE_HEIGHT) / 2;
    const lines = label.lines.map((line, index) => `<tspan x="${n(label.x)}" y="${n(first + index * fontSize * LINE_HEIGHT)}">${escapeXml(line)}</tspan>`);
    return `<text text-anchor="${label.anchor}" font-size="${fontSize}" ${attributes}>${lines.join('')}</text>`;
  };
  for (const bar of layout.bars) {
    if (bar.connector !== null) {
      parts.push(`<polygon points="${bar.connector.map(([x, y]) => `${n(x)},${n(y)}`).join(' ')}" fill="${style.connectorColor}"/>`);
    }
    if (bar.bar !== null) {
      parts.push(`<rect x="${n(bar.bar.x)}" y="${n(bar.bar.y)}" width="${n(bar.bar.width)}" height="${bar.bar.height}" rx="2" fill="${style.barColor}"/>`);
      const color = bar.valueInside ? style.onBarColor : style.inkColor;
      parts.push(text(bar.value, VALUE_FONT_SIZE, `font-weight="bold" fill="${color}"`));
    }
    if (bar.placeholder !== null) {
      const box = bar.placeholder;
      parts.push(
        `<rect x="${n(box.x)}" y="${n(box.y)}" width="${box.width}" height="${box.height}" rx="2" fill="none" stroke="${style.mutedColor}" stroke-dasharray="4 3"/>`,
      );
      parts.push(text(bar.value, NAME_FONT_SIZE, `font-style="italic" fill="${style.mutedColor}"`));
    }
    parts.push(text(bar.name, NAME_FONT_SIZE, `fill="${style.inkColor}"`));
    if (bar.rate !== null) parts.push(text(bar.rate, RATE_FONT_SIZE, `font-weight="bold" fill="${style.inkColor}"`));
  }
  parts.push('</g></svg>');
  return parts.join('');
}
