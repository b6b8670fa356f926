import { AT_RISK_ATTAINMENT, ON_TRACK_ATTAINMENT, assessAgainstTarget, type TargetAssessmentInput } from './assess-against-target';

const base: TargetAssessmentInput = {
  value: 0,
  target: 0,
  direction: 'HIGHER_IS_BETTER',
  unit: 'COUNT',
  aggregation: 'FLOW',
  elapsedFraction: 1,
};

describe(assessAgainstTarget.name, () => {
  it('uses documented thresholds', () => {
    expect(ON_TRACK_ATTAINMENT).toBe(1);
    expect(AT_RISK_ATTAINMENT).toBe(0.9);
  });

  it('paces a flow target linearly inside the period', () => {
    // 10 days of a 31-day month, target 3100 sessions: 1000 expected, 1050 reached.
    const result = assessAgainstTarget({ ...base, value: 1050, target: 3100, elapsedFraction: 10 / 31 });
    expect(result.expected).toBeCloseTo(1000, 9);
    expect(result.attainment).toBeCloseTo(1.05, 9);
    expect(result.status).toBe('ON_TRACK');
    expect(result.explanation.code).toBe('ON_PACE');
    expect(result.explanation.params).toMatchObject({ value: 1050, target: 3100 });
    expect(result.explanation.params['gapPercent']).toBeCloseTo(5, 6);
  });

  it('classifies a flow behind pace as at risk, then off track', () => {
    expect(assessAgainstTarget({ ...base, value: 950, target: 2000, elapsedFraction: 0.5 })).toMatchObject({
      status: 'AT_RISK',
      attainment: 0.95,
      explanation: { code: 'NEAR_PACE' },
    });
    expect(assessAgainstTarget({ ...base, value: 500, target: 2000, elapsedFraction: 0.5 })).toMatchObject({
      status: 'OFF_TRACK',
      attainment: 0.5,
      explanation: { code: 'BEHIND_PACE' },
    });
  });

  it('puts the thresholds at 1 and 0.9 of the attainment as printed (a whole percent)', () => {
    expect(assessAgainstTarget({ ...base, value: 100, target: 100 }).status).toBe('ON_TRACK');
    expect(assessAgainstTarget({ ...base, value: 90, target: 100 }).status).toBe('AT_RISK');
    expect(assessAgainstTarget({ ...base, value: 89.4, target: 100 }).status).toBe('OFF_TRACK');
    // 99.6 % prints "100 %": on track, never "100 %" beside "at risk"; 99.4 % prints "99 %".
    expect(assessAgainstTarget({ ...base, value: 99.6, target: 100 })).toMatchObject({ status: 'ON_TRACK', attainment: 0.996 });
    expect(assessAgainstTarget({ ...base, value: 99.4, target: 100 }).status).toBe('AT_RISK');
    expect(assessAgainstTarget({ ...base, value: 89.5, target: 100 }).status).toBe('AT_RISK');
  });

  it('compares a finished period with the whole target', () => {
    expect(assessAgainstTarget({ ...base, value: 3000, target: 3100, elapsedFraction: 1 })).toMatchObject({
      expected: 3100,
      status: 'AT_RISK',
      explanation: { code: 'NEAR_TARGET' },
    });
  });

  it('compares a level with the target directly, whatever the elapsed fraction', () => {
    const result = assessAgainstTarget({
      ...base,
      value: 0.018,
      target: 0.02,
      unit: 'PERCENT',
      aggregation: 'LEVEL',
      elapsedFraction: 0.3,
    });
    expect(result.expected).toBe(0.02);
    expect(result.attainment).toBeCloseTo(0.9, 12);
    expect(result.status).toBe('AT_RISK');
    expect(result.explanation.code).toBe('NEAR_TARGET');
    expect(result.explanation.params['gapPoints']).toBeCloseTo(-0.2, 12);
  });

  it('inverts attainment when lower is better', () => {
    // Churn 2.5 % against a 2 % target: 0.8 attained.
    const churn = { ...base, unit: 'PERCENT', aggregation: 'LEVEL', direction: 'LOWER_IS_BETTER' } as const;
    expect(assessAgainstTarget({ ...churn, value: 0.025, target: 0.02 })).toMatchObject({ status: 'OFF_TRACK' });
    expect(assessAgainstTarget({ ...churn, value: 0.025, target: 0.02 }).attainment).toBeCloseTo(0.8, 12);
    expect(assessAgainstTarget({ ...churn, value: 0.015, target: 0.02 }).status).toBe('ON_TRACK');
    expect(assessAgainstTarget({ ...churn, value: 0, target: 0.02 })).toMatchObject({ attainment: 1, status: 'ON_TRACK' });
  });

  it('keeps the order of values on a negative scale', () => {
    // NPS target -10: -5 beats it, -20 misses it.
    const nps = { ...base, unit: 'SCORE', aggregation: 'LEVEL' } as const;
    expect(assessAgainstTarget({ ...nps, value: -5, target: -10 })).toMatchObject({ attainment: 1.5, status: 'ON_TRACK' });
    expect(assessAgainstTarget({ ...nps, value: -20, target: -10 })).toMatchObject({ attainment: 0, status: 'OFF_TRACK' });
    expect(assessAgainstTarget({ ...nps, value: -1, target: 10 }).status).toBe('OFF_TRACK');
  });

  it('judges a zero target by the side of zero', () => {
    const level = { ...base, aggregation: 'LEVEL' } as const;
    expect(assessAgainstTarget({ ...level, value: 3, target: 0 })).toMatchObject({ attainment: null, status: 'ON_TRACK' });
    expect(assessAgainstTarget({ ...level, direction: 'LOWER_IS_BETTER', value: 3, target: 0 })).toMatchObject({ attainment: null, status: 'OFF_TRACK' });
  });

  it('reports NO_TARGET and NO_DATA', () => {
    expect(assessAgainstTarget({ ...base, value: 5, target: null })).toMatchObject({
      status: 'NO_TARGET',
      attainment: null,
      expected: null,
      explanation: { code: 'NO_TARGET' },
    });
    expect(assessAgainstTarget({ ...base, value: null, target: 100, elapsedFraction: 0.5 })).toMatchObject({
      status: 'NO_DATA',
      expected: 50,
      explanation: { code: 'NO_DATA' },
    });
  });

  it('expects nothing from a flow whose period has not started', () => {
    expect(assessAgainstTarget({ ...base, value: 0, target: 100, elapsedFraction: 0 })).toMatchObject({
      status: 'NO_DATA',
      expected: 0,
      explanation: { code: 'NOT_STARTED' },
    });
  });

  it('holds a volume with missing days to its target prorated to its covered days, and flags it incomplete', () => {
    // Sessions at 98 % of the month's target with 2 of 30 days missing: 0.98 / (28 / 30) = 1.05, ahead.
    const result = assessAgainstTarget({ ...base, value: 9800, target: 10_000, elapsedFraction: 1, coveredFraction: 28 / 30 });
    expect(result).toMatchObject({ status: 'ON_TRACK', incomplete: true, explanation: { code: 'ON_PACE' } });
    expect(result.expected).toBeCloseTo(10_000 * (28 / 30), 9);
    expect(result.attainment).toBeCloseTo(1.05, 9);
    // Behind even on its covered days: still at risk, for the value, not for the missing days.
    expect(assessAgainstTarget({ ...base, value: 8800, target: 10_000, elapsedFraction: 1, coveredFraction: 28 / 30 })).toMatchObject({
      status: 'AT_RISK',
      incomplete: true,
    });
    // Every elapsed day covered while the month runs: complete, paced as before.
    expect(assessAgainstTarget({ ...base, value: 500, target: 3000, elapsedFraction: 10 / 30, coveredFraction: 10 / 30 })).toMatchObject({
      incomplete: false,
      expected: 1000,
    });
    // A rate is never prorated.
    expect(
      assessAgainstTarget({ ...base, aggregation: 'LEVEL', unit: 'PERCENT', value: 0.02, target: 0.02, elapsedFraction: 1, coveredFraction: 0.5 }),
    ).toMatchObject({
      incomplete: false,
      expected: 0.02,
    });
  });

  it('rejects an elapsed fraction outside 0..1', () => {
    expect(() => assessAgainstTarget({ ...base, elapsedFraction: 1.2 })).toThrow(RangeError);
  });
});
