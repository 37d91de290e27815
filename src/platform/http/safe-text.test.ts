import { describe, expect, it } from 'vitest';
import { hasUnstorableCharacters, safeText } from './safe-text.js';

describe('safeText', () => {
  const line = safeText().trim().min(1).max(50);
  const multiline = safeText({ multiline: true });

  it.each([
    ['NUL', 'a\u0000b'], ['a C0 control', 'a\u0001b'], ['ESC', 'a\u001bb'], ['DEL', 'a\u007fb'], ['a C1 control', 'a\u0085b'],
    ['a lone high surrogate', 'a\ud800b'], ['a lone low surrogate', 'a\udc00b'], ['a newline in a one-line field', 'a\nb'], ['a tab in a one-line field', 'a\tb'],
  ])('when a one-line text holds %s, then it is refused', (_label, text) => {
    expect(line.safeParse(text).success).toBe(false);
  });

  it.each([
    ['emoji', 'Zoë 👋🏽'], ['right-to-left text and marks', 'سلام\u200f'], ['CJK', '東京都'], ['combining marks', 'e\u0301'], ['a bidi override', '\u202eabc'],
  ])('when a one-line text holds %s, then it is accepted', (_label, text) => {
    expect(line.parse(text)).toBe(text);
  });

  it('when a multi-line text holds tabs and line breaks, then it is accepted, and NUL still is not', () => {
    expect(multiline.parse('a\n\tb\r\n')).toBe('a\n\tb\r\n');
    expect(multiline.safeParse('a\u0000').success).toBe(false);
    expect(multiline.safeParse('a\u000b').success).toBe(false);
  });

  it('when a text looks like a card number, then it is refused unless the field opts out', () => {
    expect(line.safeParse('4111 1111 1111 1111').error?.issues[0]?.message).toMatch(/card number/);
    expect(safeText({ cardCheck: false }).parse('4111111111111111')).toBe('4111111111111111');
  });

  it('when a text holds NUL or an unpaired surrogate, then it is unstorable; other controls are storable', () => {
    expect([hasUnstorableCharacters('a\u0000'), hasUnstorableCharacters('\udfff'), hasUnstorableCharacters('a\u0001'), hasUnstorableCharacters('👋')]).toEqual([true, true, false, false]);
  });
});
