import { FormulaCycleError, FormulaDuplicateKeyError, FormulaReferenceError, FormulaSyntaxError } from './formula-errors';
import { orderByDependencies } from './order-by-dependencies';

const metrics = new Set(['orders', 'sessions', 'revenue', 'ad_spend']);
const isMetric = (key: string): boolean => metrics.has(key);

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe(orderByDependencies.name, () => {
  it('puts every KPI after the KPIs it references', () => {
    const order = orderByDependencies(
      [
        { key: 'revenue_per_session', formula: 'conversion_rate * average_order_value' },
        { key: 'average_order_value', formula: 'revenue / orders' },
        { key: 'conversion_rate', formula: 'orders / sessions' },
      ],
      isMetric,
    );
    expect(order).toEqual(['average_order_value', 'conversion_rate', 'revenue_per_session']);
  });

  it('keeps the input order of independent KPIs', () => {
    const order = orderByDependencies(
      [
        { key: 'b', formula: 'orders' },
        { key: 'a', formula: 'sessions' },
      ],
      isMetric,
    );
    expect(order).toEqual(['b', 'a']);
  });

  it('lets a KPI named like a metric read that metric instead of itself', () => {
    expect(orderByDependencies([{ key: 'sessions', formula: 'sessions' }], isMetric)).toEqual(['sessions']);
  });

  it('reports an unknown reference with the KPI that makes it', () => {
    const error = thrownBy(() => orderByDependencies([{ key: 'roas', formula: 'revenue / adspend' }], isMetric));
    expect(error).toBeInstanceOf(FormulaReferenceError);
    expect(error).toMatchObject({ key: 'roas', reference: 'adspend' });
  });

  it('reports a cycle as the keys that form it', () => {
    const error = thrownBy(() =>
      orderByDependencies(
        [
          { key: 'x', formula: 'orders' },
          { key: 'a', formula: 'b + x' },
          { key: 'b', formula: 'c * 2' },
          { key: 'c', formula: 'a' },
        ],
        isMetric,
      ),
    );
    expect(error).toBeInstanceOf(FormulaCycleError);
    expect(error).toMatchObject({ cycle: ['a', 'b', 'c', 'a'] });
  });

  it('reports a KPI that references itself as a cycle of one', () => {
    const error = thrownBy(() => orderByDependencies([{ key: 'a', formula: 'a + 1' }], isMetric));
    expect(error).toMatchObject({ cycle: ['a', 'a'] });
  });

  it('names the KPI whose formula does not parse', () => {
    const error = thrownBy(() => orderByDependencies([{ key: 'bad', formula: 'orders /' }], isMetric));
    expect(error).toBeInstanceOf(FormulaSyntaxError);
    expect(error).toMatchObject({ key: 'bad', position: 8 });
  });

  it('rejects a key defined twice', () => {
    const error = thrownBy(() =>
      orderByDependencies(
        [
          { key: 'a', formula: 'orders' },
          { key: 'a', formula: 'sessions' },
        ],
        isMetric,
      ),
    );
    expect(error).toBeInstanceOf(FormulaDuplicateKeyError);
  });
});
