import { assessAgainstTarget } from '../computation';
import { statusAlertOf } from './status-alert';

/** Sessions (a FLOW) on the 10th of a 31-day month: 1,000 of a 3,100 target are expected. */
function sessionsOn10thOfMarch(value: number | null, target: number | null = 3100) {
  const elapsedFraction = 10 / 31;
  const assessment = assessAgainstTarget({ value, target, direction: 'HIGHER_IS_BETTER', unit: 'COUNT', aggregation: 'FLOW', elapsedFraction });
  return { ...assessment, value, target, elapsedFraction, month: '2026-03' };
}

describe('statusAlertOf', () => {
  it('makes an off-track KPI a critical alert with the paced numbers', () => {
    expect(statusAlertOf(sessionsOn10thOfMarch(800))).toEqual({
      rule: 'STATUS',
      status: 'OFF_TRACK',
      severity: 'CRITICAL',
      month: '2026-03',
      value: 800,
      target: 3100,
      expected: expect.closeTo(1000, 9),
      attainment: expect.closeTo(0.8, 9),
      elapsedFraction: 10 / 31,
    });
  });

  it('makes an at-risk KPI a warning', () => {
    expect(statusAlertOf(sessionsOn10thOfMarch(950))).toMatchObject({ status: 'AT_RISK', severity: 'WARNING' });
  });

  it('has no alert for a KPI on track, without data or without target', () => {
    expect(statusAlertOf(sessionsOn10thOfMarch(1000))).toBeNull();
    expect(statusAlertOf(sessionsOn10thOfMarch(null))).toBeNull();
    expect(statusAlertOf(sessionsOn10thOfMarch(800, null))).toBeNull();
  });

  it('rejects a month not in the form YYYY-MM and an off-track assessment without numbers', () => {
    expect(() => statusAlertOf({ ...sessionsOn10thOfMarch(800), month: '2026-3' })).toThrow("month '2026-3'");
    expect(() => statusAlertOf({ ...sessionsOn10thOfMarch(800), value: null })).toThrow('OFF_TRACK assessment of 2026-03 must have a value');
  });
});
