/**
 * What a test file started and must stop: Nest apps, workers. A boot that outlives its hook's
 * timeout goes on running after Jest moved on; if nothing waited for it, it finished after the
 * test environment was torn down (Apollo then lazily requires `crypto` to hash the schema and
 * gets undefined: "Cannot log after tests are done ... reading 'createHash'"). Everything is
 * therefore tracked from the moment it starts booting, and `closeLeftovers` (an afterAll of
 * every e2e file, see e2e-timeouts.setup.ts) waits for each boot and closes what is still open.
 */
const open = new Set<() => Promise<void>>();

/**
 * Tracks `starting` until it is closed. Returns the one way to close it: idempotent, and safe
 * to call while the boot is still under way (it waits for it, then closes).
 */
export function trackUntilClosed<T>(starting: Promise<T>, close: (started: T) => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  const closeOnce = (): Promise<void> => {
    closing ??= starting.then(close, () => undefined).finally(() => open.delete(closeOnce));
    return closing;
  };
  open.add(closeOnce);
  return closeOnce;
}

/** Waits for every boot still under way and closes everything still open. */
export async function closeLeftovers(): Promise<void> {
  await Promise.all([...open].map((closeOnce) => closeOnce()));
}
