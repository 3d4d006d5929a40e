/**
 * Sentence splitting for streaming and for bounding the work of one engine call. Splits after
 * . ! ? … (and their CJK forms) when what follows looks like a new sentence, and at paragraph
 * breaks; never after a known abbreviation, an initial or inside a number ("3.5").
 */

/** Options of `splitSentences`. */
export interface SplitSentencesOptions {
  /** A sentence longer than this (characters) is cut further at , ; : and then at spaces. */
  readonly maxSentenceChars: number;
}

/** Defaults: sentences up to 300 characters (about 20 s of speech). */
export const defaultSplitSentencesOptions: SplitSentencesOptions = { maxSentenceChars: 300 };

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'no',
  'fig',
  'approx',
  'dept',
  'inc',
  'ltd',
  'co',
  'mt',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  // German/French/Spanish common forms
  'z.b',
  'bzw',
  'usw',
  'nr',
  'mme',
  'mlle',
  'sra',
  'sr',
  'dra',
]);

function endsWithAbbreviation(before: string): boolean {
  const word = /([\p{L}.]+)\.$/u.exec(before)?.[1];
  if (word === undefined) return false;
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  // A single capital initial ("J. Smith") or dotted acronym ("U.S.").
  return /^\p{Lu}$/u.test(word) || /^(\p{L}\.)+\p{L}$/u.test(word);
}

function cutLong(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    let cut = Math.max(window.lastIndexOf(', '), window.lastIndexOf('; '), window.lastIndexOf(': '));
    if (cut < maxChars / 3) cut = window.lastIndexOf(' ');
    if (cut <= 0) cut = maxChars - 1;
    out.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest.length > 0) out.push(rest);
  return out;
}

/** Splits plain text into sentences (trimmed, non-empty), each at most `maxSentenceChars`. */
export function splitSentences(text: string, options: Partial<SplitSentencesOptions> = {}): string[] {
  const o: SplitSentencesOptions = { ...defaultSplitSentencesOptions, ...options };
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    let start = 0;
    // Latin-script ends need following space; CJK full stops do not.
    const boundary = /([.!?…]+|[。！？]+)(["'”’)\]」』]*)(\s+|$|(?<=[。！？]["'”’)\]」』]*))/gu;
    for (let m = boundary.exec(paragraph); m !== null; m = boundary.exec(paragraph)) {
      const end = m.index + (m[1]?.length ?? 0) + (m[2]?.length ?? 0);
      const candidate = paragraph.slice(start, end);
      const next = paragraph.slice(boundary.lastIndex);
      const isCjk = /[。！？]/u.test(m[1] ?? '');
      const looksLikeEnd = isCjk || next.length === 0 || /^["'“‘([]?[\p{Lu}\p{Lo}\p{N}¿¡]/u.test(next);
      if (!looksLikeEnd || ((m[1] ?? '') === '.' && endsWithAbbreviation(candidate))) continue;
      if (candidate.trim().length > 0) sentences.push(candidate.trim());
      start = boundary.lastIndex;
    }
    const tail = paragraph.slice(start).trim();
    if (tail.length > 0) sentences.push(tail);
  }
  return sentences.flatMap((s) => cutLong(s, o.maxSentenceChars));
}
