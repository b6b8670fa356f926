/** An objective key that is not in the objective catalog: a typo or a stale front-end, never ignored. */
export class UnknownObjectiveError extends Error {
  override readonly name = 'UnknownObjectiveError';
  readonly code = 'UNKNOWN_OBJECTIVE';

  constructor(readonly objectiveKey: string) {
    super(`Unknown objective '${objectiveKey}'`);
  }
}
