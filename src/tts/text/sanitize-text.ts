/**
 * UTF-8 safety for text bound for a speech engine: the engines are C code reading UTF-8, and
 * unpaired surrogates, control characters or pictographs either crash them, get spelt out
 * ("face with tears of joy") or produce noise. Everything speakable survives.
 */

// Lone high surrogate not followed by a low one, or lone low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0/C1 controls except tab/newline/CR (turned into spaces below), plus bidi/format controls.
const CONTROL =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
// Emoji and pictographs with their modifiers, joiners, keycaps and variation selectors.
const PICTOGRAPH =
  /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u200D|\uFE0E|\uFE0F|\u20E3|[\u{1F1E6}-\u{1F1FF}]|[\u{E0020}-\u{E007F}]/gu;

/** Returns `text` NFC-normalised with lone surrogates, control characters and emoji removed. */
export function sanitizeText(text: string): string {
  return text
    .replace(LONE_SURROGATE, '')
    .normalize('NFC')
    .replace(/[\t\r\n\u2028\u2029]+/g, (m) =>
      /[\n\u2028\u2029]/.test(m) && m.replace(/[^\n]/g, '').length >= 2 ? '\n\n' : ' ',
    )
    .replace(CONTROL, '')
    .replace(PICTOGRAPH, ' ')
    .replace(/[ \u00A0\u2000-\u200A\u3000]+/g, ' ')
    .replace(/ *\n\n */g, '\n\n')
    .trim();
}
