import { setImmediate as nextTurnOfTheLoop } from 'node:timers/promises';

/** A series of at least this many points is completed by GraphQL on a turn of the event loop of its own. */
export const LONG_SERIES_POINTS = 100;

let lastTurn: Promise<void> = Promise.resolve();

/**
 * Resolves on a turn of the event loop of its own, after every turn asked for before it (one
 * queue for the process). GraphQL completes a list in one synchronous piece: a year of daily
 * points of 13 KPIs is ~19,000 fields, tens of milliseconds during which /health and every
 * other request wait. A field that awaits its turn before returning its list is completed in
 * the microtasks of that turn; the next turn is an immediate queued from inside this one, which
 * Node runs only after polling I/O again — so between two series, waiting requests get served.
 */
export function ownTurnOfTheLoop(): Promise<void> {
  const turn = lastTurn.then(() => nextTurnOfTheLoop());
  lastTurn = turn;
  return turn;
}
