/**
 * Text normalisation AutoVoice adds on top of the engines. espeak-ng and flite already expand
 * numbers, ordinals, times, currency and the common English abbreviations (Dr., Mr., St.) in
 * their own front ends; what they read badly is handled here, for English only:
 * ISO dates (2024-05-12 → "May 12, 2024"), numeric dates with a four-digit year (12/05/2024,
 * read month/day as in en-US), "&" → "and", and thousands separators in numbers.
 */

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function spokenDate(year: string, month: string, day: string): string | undefined {
  const m = Number(month);
  const d = Number(day);
  const name = MONTHS[m - 1];
  if (name === undefined || d < 1 || d > 31) return undefined;
  return `${name} ${d}, ${year}`;
}

/** Rewrites what the engines read badly; `language` is a tag such as `en-us` (others pass through). */
export function normalizeText(text: string, language: string): string {
  if (!language.toLowerCase().startsWith('en')) return text;
  return text
    .replace(
      /\b(\d{4})-(\d{2})-(\d{2})\b/g,
      (whole, y: string, m: string, d: string) => spokenDate(y, m, d) ?? whole,
    )
    .replace(
      /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g,
      (whole, m: string, d: string, y: string) => spokenDate(y, m, d) ?? whole,
    )
    .replace(/\b(\d{1,3}(?:,\d{3})+)(?!\d)/g, (n: string) => n.replaceAll(',', ''))
    .replace(/\s&\s/g, ' and ');
}
