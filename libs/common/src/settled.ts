/** A promise's outcome as a value: a promise started ahead of its turn, awaited later, never rejects unhandled meanwhile. */
export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Lets `promise` run while other work goes on, without an unhandled rejection if that work stops first. */
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/** The value of a settled promise, or its error thrown. */
export function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}
