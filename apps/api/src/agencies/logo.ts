import { BadUserInputError } from '@pilotage/common';

export const MAX_LOGO_BYTES = 512 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Validates a logo given as a data URI: PNG (checked by its signature) or SVG (an `<svg>`
 * document), base64, at most 512 KiB. Logos are inlined in reports and rendered with every
 * network request blocked, so an SVG cannot fetch anything; scripts are refused all the same.
 */
export function validateLogoDataUri(field: string, value: string): string {
  const match = /^data:(image\/png|image\/svg\+xml);base64,([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!match) throw BadUserInputError.forField(field, 'must be a base64 data URI of a PNG or SVG image');
  const bytes = Buffer.from(match[2], 'base64');
  if (bytes.length > MAX_LOGO_BYTES) throw BadUserInputError.forField(field, `must be at most ${MAX_LOGO_BYTES / 1024} KiB`);
  if (match[1] === 'image/png') {
    if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw BadUserInputError.forField(field, 'is not a PNG image');
  } else {
    const text = bytes.toString('utf8');
    if (!/<svg[\s>]/i.test(text)) throw BadUserInputError.forField(field, 'is not an SVG image');
    if (/<script|\son\w+\s*=|<foreignObject/i.test(text)) {
      throw BadUserInputError.forField(field, 'SVG logos may not contain scripts, event handlers or foreign objects');
    }
  }
  return value;
}
