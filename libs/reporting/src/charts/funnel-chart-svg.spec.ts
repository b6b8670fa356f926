import {
  estimateTextWidth,
  labelExtent,
  layoutFunnelChart,
  MIN_BAR_WIDTH,
  renderFunnelChartSvg,
  type FunnelChartStep,
  type LabelBox,
} from './funnel-chart-svg';

const STYLE = {
  barColor: '#1f3a5f',
  onBarColor: '#ffffff',
  connectorColor: '#d2d8df',
  inkColor: '#1d2433',
  mutedColor: '#6b7280',
  fontFamily: 'Inter',
  missingText: 'Données manquantes',
};

function step(label: string, value: number | null, rateText: string | null = null): FunnelChartStep {
  return { label, value, valueText: value === null ? '—' : value.toLocaleString('fr-FR'), rateText };
}

function overlap(a: LabelBox, b: LabelBox): boolean {
  const first = labelExtent(a);
  const second = labelExtent(b);
  return first.left < second.right && second.left < first.right && first.top < second.bottom && second.top < first.bottom;
}

describe(layoutFunnelChart.name, () => {
  it('draws each bar with a width linear in its value', () => {
    const layout = layoutFunnelChart([step('Sessions', 1_000), step('Commandes', 500, '50,0 %'), step('Réachats', 125, '25,0 %')], 'x');
    const widths = layout.bars.map((bar) => bar.bar?.width ?? 0);
    expect(widths[1] / widths[0]).toBeCloseTo(0.5, 10);
    expect(widths[2] / widths[0]).toBeCloseTo(0.125, 10);
    expect(widths[0]).toBeCloseTo(1_000 * layout.scale, 10);
    // Centred: the bars share one axis, so the trapezoids between them are symmetric.
    const centres = layout.bars.map((bar) => (bar.bar === null ? 0 : bar.bar.x + bar.bar.width / 2));
    expect(new Set(centres.map((centre) => centre.toFixed(6))).size).toBe(1);
  });

  it('joins consecutive bars with a trapezoid from one width to the next', () => {
    const layout = layoutFunnelChart([step('Sessions', 1_000), step('Commandes', 400, '40,0 %')], 'x');
    const [top, bottom] = layout.bars;
    const connector = bottom?.connector ?? [];
    expect(connector[1]?.[0] - (connector[0]?.[0] ?? 0)).toBeCloseTo(top?.bar?.width ?? -1, 10);
    expect((connector[2]?.[0] ?? 0) - (connector[3]?.[0] ?? 0)).toBeCloseTo(bottom?.bar?.width ?? -1, 10);
  });

  it('gives a step too small to see a minimum width and prints its value outside the bar', () => {
    // The demo shop's shape: 60,000 sessions, 1,250 orders (2.1 %), 300 repeat orders.
    const layout = layoutFunnelChart([step('Sessions', 60_000), step('Commandes', 1_250, '2,1 %'), step('Réachats', 30, '2,4 %')], 'x');
    const [sessions, orders, repeat] = layout.bars;
    expect(sessions?.valueInside).toBe(true);
    expect(orders?.bar?.width).toBeCloseTo(1_250 * layout.scale, 10);
    expect(repeat?.bar?.width).toBe(MIN_BAR_WIDTH);
    for (const small of [orders, repeat]) {
      expect(small?.valueInside).toBe(false);
      const value = small?.value;
      expect(value === undefined ? -1 : labelExtent(value).left).toBeGreaterThan((small?.bar?.x ?? 0) + (small?.bar?.width ?? 0));
    }
  });

  it('keeps every label clear of every other and inside the chart, long names wrapped', () => {
    const layout = layoutFunnelChart(
      [step('Sessions', 59_149), step('Commandes', 1_234_567, '2 087,2 %'), step('Commandes de clients déjà acheteurs', 3, '0,0 %'), step('Activations', null)],
      'Données manquantes',
    );
    const labels = layout.bars.flatMap((bar) => [bar.name, bar.value, ...(bar.rate === null ? [] : [bar.rate])]);
    labels.forEach((label, index) => {
      const extent = labelExtent(label);
      expect(extent.left).toBeGreaterThanOrEqual(0);
      expect(extent.right).toBeLessThanOrEqual(layout.width);
      expect(extent.top).toBeGreaterThanOrEqual(0);
      expect(extent.bottom).toBeLessThanOrEqual(layout.height);
      for (const other of labels.slice(index + 1))
        expect({ label: label.lines, other: other.lines, overlap: overlap(label, other) }).toMatchObject({ overlap: false });
    });
    expect(layout.bars[2]?.name.lines).toEqual(['Commandes de clients', 'déjà acheteurs']);
    // Each rate sits on the joint between its two bars, clear of both.
    for (const index of [1, 2]) {
      const above = layout.bars[index - 1]?.bar;
      const below = layout.bars[index]?.bar;
      const rate = layout.bars[index]?.rate;
      expect(rate === null || rate === undefined ? null : labelExtent(rate).top).toBeGreaterThanOrEqual((above?.y ?? 0) + (above?.height ?? 0));
      expect(rate === null || rate === undefined ? null : labelExtent(rate).bottom).toBeLessThanOrEqual(below?.y ?? 0);
    }
    // A value printed inside its bar fits in it.
    const inside = layout.bars.filter((bar) => bar.valueInside && bar.bar !== null);
    for (const bar of inside) expect(estimateTextWidth(bar.value.lines[0] ?? '', 12)).toBeLessThan(bar.bar?.width ?? 0);
  });
});

describe(renderFunnelChartSvg.name, () => {
  it('draws a missing step as missing, not as a bar of 0, with no trapezoid into or out of it', () => {
    const svg = renderFunnelChartSvg([step('Visiteurs', 42_000), step('Inscriptions', null), step('Activations', 310)], STYLE, 'Entonnoir');
    expect(svg).toContain('Données manquantes');
    expect(svg).toContain('stroke-dasharray');
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg.match(/<polygon /g)).toBeNull();
    expect(svg).not.toMatch(/>0</);
  });

  it('carries its text alternative: role="img", aria-label and a <title>, escaped', () => {
    const description = 'Entonnoir de conversion, octobre 2026 : Sessions 59 149 ; Commandes 1 250 (2,1 % de l’étape précédente) & <plus>.';
    const svg = renderFunnelChartSvg([step('Sessions', 59_149), step('Commandes', 1_250, '2,1 %')], STYLE, description);
    const escaped = description.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain(`aria-label="${escaped}"`);
    expect(svg).toContain(`<title>${escaped}</title>`);
  });
});
