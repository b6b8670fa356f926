import { ErrorCode } from '@pilotage/common';

class ResponseTooLarge extends Error {}

/**
 * Serializes a GraphQL response (Apollo's `stringifyResult`), refusing one larger than `maxBytes`
 * with a RESPONSE_TOO_LARGE error instead. The replacer adds up a lower bound of the output's
 * length as JSON.stringify walks the value and stops the walk as soon as it passes the cap, so an
 * oversized answer is never built in full (a 263 MB string took the process to 4 GB before).
 * The cost model keeps answers far below the cap; this is the backstop.
 */
export function boundedStringify(maxBytes: number): (value: unknown) => string {
  return (value) => {
    let atLeast = 0;
    try {
      const json = JSON.stringify(value, (key: string, item: unknown) => {
        atLeast += key.length + (typeof item === 'string' ? item.length : 1);
        if (atLeast > maxBytes) throw new ResponseTooLarge();
        return item;
      });
      if (Buffer.byteLength(json) <= maxBytes) return json + '\n';
    } catch (error) {
      if (!(error instanceof ResponseTooLarge)) throw error;
    }
    return (
      JSON.stringify({
        errors: [
          {
            message: `The response is larger than ${maxBytes} bytes; ask for less (fewer fields, KPIs or periods, a smaller page)`,
            extensions: { code: ErrorCode.RESPONSE_TOO_LARGE, maximum: maxBytes },
          },
        ],
      }) + '\n'
    );
  };
}
