import { findControlCharacter, isBlankText } from './control-characters';

describe('text input checks', () => {
  it('finds the first control character a kind of text may not hold', () => {
    expect(findControlCharacter('Maison Lumière', 'SINGLE_LINE')).toBeNull();
    expect(findControlCharacter('ads\u0000x', 'SINGLE_LINE')).toBe('U+0000 at character 4');
    expect(findControlCharacter('red\u001b[31m', 'MULTILINE')).toBe('U+001B at character 4');
    expect(findControlCharacter('a\u0085b', 'SINGLE_LINE')).toBe('U+0085 at character 2');
    expect(findControlCharacter('one\r\ntwo\tthree', 'SINGLE_LINE')).toBe('U+000D at character 4');
    expect(findControlCharacter('one\r\ntwo\tthree', 'MULTILINE')).toBeNull();
    expect(findControlCharacter('a\u2028b', 'MULTILINE')).toBe('U+2028 at character 2');
  });

  it('calls blank what shows nothing: spaces, zero-width and format characters, fillers', () => {
    for (const blank of ['', '   ', '\u200b', '\ufeff\u200b', ' \u00a0\u3000\u2060 ', '\u3164', '\u2800', '\t\n']) expect(isBlankText(blank)).toBe(true);
    for (const name of ['a', ' Cloudly ', '\u200bx', '٣', '🙂']) expect(isBlankText(name)).toBe(false);
  });
});
