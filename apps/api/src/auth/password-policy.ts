import { Injectable } from '@nestjs/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import * as zxcvbnFr from '@zxcvbn-ts/language-fr';
import { BadUserInputError } from '@pilotage/common';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 200;
/** zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;
/** zxcvbn's cost grows fast with length; the first 64 characters decide (a longer password passes on length). */
const CHECKED_LENGTH = 64;

/**
 * NIST SP 800-63B's policy: a minimum length and a check against common, leaked and guessable
 * passwords (zxcvbn-ts with its common, English and French lists: leaked-password lists, names,
 * words, keyboard walks, repeats, dates), plus the user's own e-mail, name and agency. Never
 * composition rules. The dictionaries (about 1.5 s to index) load on the first check.
 */
@Injectable()
export class PasswordPolicy {
  private estimator: ZxcvbnFactory | null = null;

  /** Throws BAD_USER_INPUT on `password` (or `field`) naming what is wrong. */
  assertAcceptable(password: string, personal: readonly string[], field = 'password'): void {
    if (password.length < MIN_PASSWORD_LENGTH) throw BadUserInputError.forField(field, `${field} must be at least ${MIN_PASSWORD_LENGTH} characters`);
    if (password.length > MAX_PASSWORD_LENGTH) throw BadUserInputError.forField(field, `${field} must be at most ${MAX_PASSWORD_LENGTH} characters`);
    const userInputs = personal.flatMap((value) => [value, ...value.split(/[^\p{L}\p{N}]+/u)]).filter((value) => value.length >= 3);
    const result = this.zxcvbn().check(password.slice(0, CHECKED_LENGTH), userInputs);
    if (result.score < MIN_SCORE) {
      const why = result.feedback.warning ?? 'it is too easy to guess';
      throw BadUserInputError.forField(
        field,
        `${field} is too common or too easy to guess (${why.replace(/\.$/, '')}): use a longer phrase of unrelated words`,
      );
    }
  }

  private zxcvbn(): ZxcvbnFactory {
    this.estimator ??= new ZxcvbnFactory({
      dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary, ...zxcvbnFr.dictionary },
      graphs: zxcvbnCommon.adjacencyGraphs,
      translations: zxcvbnEn.translations,
      maxLength: CHECKED_LENGTH,
      l33tMaxSubstitutions: 20,
    });
    return this.estimator;
  }
}
