import { BadUserInputError } from '@pilotage/common';

/** Keyset cursor: (createdAt, id) of the last item, opaque to clients. */
export interface CreatedAtCursor {
  readonly createdAt: string;
  readonly id: string;
}

export function encodeCursor(cursor: CreatedAtCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): CreatedAtCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      if (!Number.isNaN(Date.parse(parsed[0]))) return { createdAt: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw BadUserInputError.forField('after', 'is not a valid cursor');
}
