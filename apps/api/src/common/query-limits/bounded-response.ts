import { ErrorCode } from '@pilotage/common';

/**
 * Serializes a GraphQL response (Apollo's `stringifyResult`), refusing one larger than `maxBytes`
 * with a RESPONSE_TOO_LARGE error instead. The cost model (query-cost.ts) already bounds what the
 * resolvers build — the 263 MB answer that took the process to 4 GB is refused before it runs —
 * so this backstop serializes with V8's native JSON.stringify (a replacer that counts bytes as it
 * walks would take every answer off V8's fast path) and measures the result.
 */
export function boundedStringify(maxBytes: number): (value: unknown) => string {
  return (value) => {
    const json = JSON.stringify(value);
    if (Buffer.byteLength(json) <= maxBytes) return json + '\n';
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
