/** Colour helpers for charts and CSS: brand colours arrive as `#rrggbb` strings. */

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

export function isHexColor(value: string): boolean {
  return HEX_COLOR.test(value);
}

/** Mixes a colour with white: `amount` 0 keeps it, 1 gives white. For tints of the brand. */
export function tint(hex: string, amount: number): string {
  const channel = (offset: number): string => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16);
    const mixed = Math.round(value + (255 - value) * amount);
    return mixed.toString(16).padStart(2, '0');
  };
  return `#${channel(1)}${channel(3)}${channel(5)}`;
}

/** Relative luminance (WCAG), to pick readable text on a brand-coloured band. */
export function luminance(hex: string): number {
  const linear = (offset: number): number => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * linear(1) + 0.7152 * linear(3) + 0.0722 * linear(5);
}

export const CHART_INK = '#1d2433';
export const CHART_MUTED = '#6b7280';
export const CHART_GRID = '#e5e7eb';
/** Last year's series: neutral, lighter than this year's brand colour (ghost bars, a thin line). */
export const CHART_LAST_YEAR_BAR = '#d5d9e0';
export const CHART_LAST_YEAR_LINE = '#a3aab5';
