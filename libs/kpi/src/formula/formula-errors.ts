/** A formula that does not follow the grammar; `position` is the 0-based offset of the offending character. */
export class FormulaSyntaxError extends Error {
  override readonly name = 'FormulaSyntaxError';

  constructor(
    message: string,
    readonly position: number,
    /** Set by `orderByDependencies` to name the definition whose formula is wrong. */
    readonly key?: string,
  ) {
    super(message);
  }
}

/** A formula references an identifier that is neither a base metric nor another defined KPI. */
export class FormulaReferenceError extends Error {
  override readonly name = 'FormulaReferenceError';

  constructor(
    readonly key: string,
    readonly reference: string,
  ) {
    super(`KPI '${key}' references '${reference}', which is neither a metric nor a defined KPI`);
  }
}

/** KPI formulas that depend on each other in a loop; `cycle` starts and ends with the same key. */
export class FormulaCycleError extends Error {
  override readonly name = 'FormulaCycleError';

  constructor(readonly cycle: readonly string[]) {
    super(`KPI formulas depend on each other in a cycle: ${cycle.join(' -> ')}`);
  }
}

/** The same KPI key is defined twice in one set of definitions. */
export class FormulaDuplicateKeyError extends Error {
  override readonly name = 'FormulaDuplicateKeyError';

  constructor(readonly key: string) {
    super(`KPI '${key}' is defined more than once`);
  }
}
