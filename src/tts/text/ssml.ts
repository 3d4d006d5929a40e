import { AutoVoiceError } from '../../errors/index.js';

/**
 * The SSML subset AutoVoice reads: `<speak>` (root), `<s>` and `<p>` (sentence / paragraph
 * boundaries), `<break time="500ms|2s" strength="none..x-strong"/>` and
 * `<prosody rate="..." pitch="...">` (nestable). Anything else — unknown elements, unclosed or
 * mismatched tags, bad attribute values — is `tts.invalid_ssml` with the position.
 */

/** A piece of parsed markup: text with its prosody, or a pause. */
export type SsmlPiece =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly rateFactor: number;
      readonly pitchSemitones: number;
      readonly sentenceEnd: boolean;
    }
  | { readonly kind: 'pause'; readonly durationMs: number };

/** Longest pause one `<break>` may ask for (ms), as in common SSML engines. */
export const MAX_BREAK_MS = 10_000;

const STRENGTH_MS: Record<string, number> = {
  none: 0,
  'x-weak': 100,
  weak: 200,
  medium: 400,
  strong: 700,
  'x-strong': 1200,
};
const RATE_WORDS: Record<string, number> = {
  'x-slow': 0.5,
  slow: 0.75,
  medium: 1,
  default: 1,
  fast: 1.35,
  'x-fast': 1.75,
};
const PITCH_WORDS: Record<string, number> = {
  'x-low': -6,
  low: -3,
  medium: 0,
  default: 0,
  high: 3,
  'x-high': 6,
};

function invalid(message: string, position: number): AutoVoiceError {
  return new AutoVoiceError(
    'tts.invalid_ssml',
    `${message} (at character ${position}). Supported: <speak>, <s>, <p>, <break time="500ms"/>, <prosody rate="slow|1.2|120%" pitch="+2st|-10%|high">.`,
    { position },
  );
}

/** `"fast"`, `"120%"`, `"1.2"` → multiplier of the current rate. */
export function parseSsmlRate(value: string, position = 0): number {
  const v = value.trim().toLowerCase();
  const word = RATE_WORDS[v];
  if (word !== undefined) return word;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(v);
  const factor = m === null ? NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
  if (!(factor >= 0.25 && factor <= 4))
    throw invalid(
      `prosody rate "${value}" must be x-slow..x-fast, a percentage (25%..400%) or a factor (0.25..4)`,
      position,
    );
  return factor;
}

/** `"+2st"`, `"-10%"`, `"high"` → semitones relative to the current pitch. */
export function parseSsmlPitch(value: string, position = 0): number {
  const v = value.trim().toLowerCase();
  const word = PITCH_WORDS[v];
  if (word !== undefined) return word;
  let m = /^([+-]?\d+(?:\.\d+)?)st$/.exec(v);
  if (m !== null && Math.abs(Number(m[1])) <= 24) return Number(m[1]);
  m = /^([+-]?\d+(?:\.\d+)?)%$/.exec(v);
  if (m !== null && Number(m[1]) > -90 && Number(m[1]) <= 300) return 12 * Math.log2(1 + Number(m[1]) / 100);
  throw invalid(
    `prosody pitch "${value}" must be x-low..x-high, semitones ("+2st", within ±24) or a percentage ("-10%")`,
    position,
  );
}

function parseBreakMs(attributes: Record<string, string>, position: number): number {
  const time = attributes.time;
  if (time !== undefined) {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|s)$/i.exec(time.trim());
    if (m === null) throw invalid(`break time "${time}" must look like "500ms" or "1.5s"`, position);
    const ms = Number(m[1]) * ((m[2] ?? '').toLowerCase() === 's' ? 1000 : 1);
    if (ms > MAX_BREAK_MS) throw invalid(`break time "${time}" exceeds ${MAX_BREAK_MS / 1000} s`, position);
    return ms;
  }
  const strength = attributes.strength ?? 'medium';
  const ms = STRENGTH_MS[strength];
  if (ms === undefined)
    throw invalid(
      `break strength "${strength}" is not one of ${Object.keys(STRENGTH_MS).join(', ')}`,
      position,
    );
  return ms;
}

function decodeEntities(text: string, position: number): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(lower.slice(2), 16), 0x10ffff));
    if (lower.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(lower.slice(1), 10), 0x10ffff));
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
    const value = named[lower];
    if (value === undefined || !whole.endsWith(';'))
      throw invalid(`unknown or unterminated entity "${whole}"`, position);
    return value;
  });
}

function parseAttributes(source: string, position: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  const re = /\s*([a-zA-Z_:][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    re.lastIndex = index;
    const m = re.exec(source);
    if (m === null || m[1] === undefined) throw invalid(`malformed attributes "${source.trim()}"`, position);
    attributes[m[1]] = decodeEntities(m[3] ?? m[4] ?? '', position);
    index = re.lastIndex;
  }
  return attributes;
}

interface Frame {
  readonly name: string;
  readonly rateFactor: number;
  readonly pitchSemitones: number;
}

/** True when `text` looks like SSML (starts with `<speak`). */
export function looksLikeSsml(text: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?<speak[\s>/]/.test(text);
}

/** Parses an SSML document (subset above) into text and pause pieces, in order. */
export function parseSsml(markup: string): SsmlPiece[] {
  const source = markup.replace(/^\s*<\?xml[^>]*\?>/, '');
  const pieces: SsmlPiece[] = [];
  const stack: Frame[] = [];
  let sawRoot = false;
  let index = 0;
  const current = (): Frame => stack[stack.length - 1] ?? { name: '', rateFactor: 1, pitchSemitones: 0 };
  const endSentence = (): void => {
    const last = pieces[pieces.length - 1];
    if (last?.kind === 'text' && !last.sentenceEnd)
      pieces[pieces.length - 1] = { ...last, sentenceEnd: true };
  };
  while (index < source.length) {
    const lt = source.indexOf('<', index);
    const textEnd = lt === -1 ? source.length : lt;
    if (textEnd > index) {
      const raw = source.slice(index, textEnd);
      if (raw.includes('>')) throw invalid('stray ">" in text; write &gt;', index + raw.indexOf('>'));
      if (stack.length === 0 && raw.trim().length > 0) throw invalid('text outside <speak>', index);
      const text = decodeEntities(raw, index);
      if (text.trim().length > 0) {
        const f = current();
        pieces.push({
          kind: 'text',
          text,
          rateFactor: f.rateFactor,
          pitchSemitones: f.pitchSemitones,
          sentenceEnd: false,
        });
      }
    }
    if (lt === -1) break;
    if (source.startsWith('<!--', lt)) {
      const close = source.indexOf('-->', lt + 4);
      if (close === -1) throw invalid('unterminated comment', lt);
      index = close + 3;
      continue;
    }
    const gt = source.indexOf('>', lt);
    if (gt === -1) throw invalid('unterminated tag', lt);
    const tag = source.slice(lt + 1, gt);
    index = gt + 1;
    const m = /^(\/?)([a-zA-Z][\w:-]*)([\s\S]*?)(\/?)$/.exec(tag);
    if (m === null) throw invalid(`malformed tag "<${tag}>"`, lt);
    const [, closing, name = '', attributeSource = '', selfClosing] = m;
    if (closing === '/') {
      const open = stack.pop();
      if (open === undefined || open.name !== name)
        throw invalid(`</${name}> does not close <${open?.name ?? 'nothing'}>`, lt);
      if (name === 's' || name === 'p') endSentence();
      continue;
    }
    const attributes = parseAttributes(attributeSource, lt);
    if (stack.length === 0 && (name !== 'speak' || sawRoot))
      throw invalid(sawRoot ? 'content after </speak>' : 'the document must start with <speak>', lt);
    const f = current();
    switch (name) {
      case 'speak':
        if (sawRoot) throw invalid('nested <speak>', lt);
        sawRoot = true;
        break;
      case 's':
      case 'p':
        endSentence();
        break;
      case 'break':
        if (selfClosing !== '/') throw invalid('<break> must be self-closing: <break time="500ms"/>', lt);
        endSentence();
        pieces.push({ kind: 'pause', durationMs: parseBreakMs(attributes, lt) });
        continue;
      case 'prosody': {
        const rate = attributes.rate === undefined ? 1 : parseSsmlRate(attributes.rate, lt);
        const pitch = attributes.pitch === undefined ? 0 : parseSsmlPitch(attributes.pitch, lt);
        if (selfClosing === '/') continue;
        stack.push({ name, rateFactor: f.rateFactor * rate, pitchSemitones: f.pitchSemitones + pitch });
        continue;
      }
      default:
        throw invalid(`unsupported element <${name}>`, lt);
    }
    if (selfClosing !== '/') stack.push({ name, rateFactor: f.rateFactor, pitchSemitones: f.pitchSemitones });
  }
  if (!sawRoot) throw invalid('the document must start with <speak>', 0);
  if (stack.length > 0) throw invalid(`<${stack[stack.length - 1]?.name}> is never closed`, source.length);
  endSentence();
  return pieces;
}
