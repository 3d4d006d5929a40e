import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAutoVoiceError } from '../../errors/index.js';
import { normalizeText } from './normalize-text.js';
import { sanitizeText } from './sanitize-text.js';
import { planSpeech } from './speech-plan.js';
import { splitSentences } from './split-sentences.js';
import { parseSsml, parseSsmlPitch, parseSsmlRate } from './ssml.js';

describe('sanitizeText', () => {
  test('drops lone surrogates, controls and emoji, keeps letters of any script', () => {
    assert.equal(sanitizeText('Hi\uD800 there\uDC00!'), 'Hi there!');
    assert.equal(sanitizeText('a\u0000b\u0007c\u200Bd\u202Ee'), 'abcde');
    assert.equal(sanitizeText('Great job 👍🏽 and 👨‍👩‍👧 family 🇫🇷!'), 'Great job and family !');
    assert.equal(sanitizeText('Grüße, 日本語, Привет'), 'Grüße, 日本語, Привет');
    assert.equal(sanitizeText('e\u0301te\u0301'), 'été'); // NFC
  });

  test('keeps paragraph breaks, folds other whitespace', () => {
    assert.equal(sanitizeText('one\ttwo\r\nthree\n\n\nfour'), 'one two three\n\nfour');
  });
});

describe('splitSentences', () => {
  test('splits at sentence ends, not at abbreviations, initials or decimals', () => {
    assert.deepEqual(
      splitSentences('Dr. Smith paid $3.50 for it. J. R. R. Tolkien wrote books! Did he? Yes.'),
      ['Dr. Smith paid $3.50 for it.', 'J. R. R. Tolkien wrote books!', 'Did he?', 'Yes.'],
    );
  });

  test('splits at paragraph breaks and after closing quotes', () => {
    assert.deepEqual(splitSentences('He said "stop." Then left\n\nNew paragraph'), [
      'He said "stop."',
      'Then left',
      'New paragraph',
    ]);
  });

  test('cuts over-long sentences at commas, then spaces, within the limit', () => {
    const long = 'one two three four five, six seven eight nine ten, eleven twelve thirteen fourteen';
    const parts = splitSentences(long, { maxSentenceChars: 30 });
    assert.ok(parts.length >= 3);
    assert.ok(
      parts.every((p) => p.length <= 30),
      JSON.stringify(parts),
    );
    assert.equal(parts.join(' ').replace(/\s+/g, ' '), long);
  });

  test('CJK full stops split without spaces', () => {
    assert.deepEqual(splitSentences('你好。今天很好！'), ['你好。', '今天很好！']);
  });
});

describe('normalizeText', () => {
  test('reads ISO and numeric dates, thousands separators and & in English', () => {
    assert.equal(
      normalizeText('On 2024-05-12 & 12/25/2023 we sold 1,234,567 units.', 'en-us'),
      'On May 12, 2024 and December 25, 2023 we sold 1234567 units.',
    );
  });
  test('leaves other languages and impossible dates alone', () => {
    assert.equal(normalizeText('Am 2024-05-12.', 'de'), 'Am 2024-05-12.');
    assert.equal(normalizeText('Code 2024-13-45.', 'en'), 'Code 2024-13-45.');
  });
});

describe('SSML subset', () => {
  test('breaks, nested prosody and sentence elements', () => {
    const pieces = parseSsml(
      '<speak>Hello <break time="250ms"/><prosody rate="150%" pitch="+2st">fast <prosody rate="slow">then slow</prosody></prosody><s>Last &amp; least</s></speak>',
    );
    assert.deepEqual(pieces, [
      { kind: 'text', text: 'Hello ', rateFactor: 1, pitchSemitones: 0, sentenceEnd: true },
      { kind: 'pause', durationMs: 250 },
      { kind: 'text', text: 'fast ', rateFactor: 1.5, pitchSemitones: 2, sentenceEnd: false },
      { kind: 'text', text: 'then slow', rateFactor: 1.125, pitchSemitones: 2, sentenceEnd: true },
      { kind: 'text', text: 'Last & least', rateFactor: 1, pitchSemitones: 0, sentenceEnd: true },
    ]);
  });

  test('rate and pitch values', () => {
    assert.equal(parseSsmlRate('x-slow'), 0.5);
    assert.equal(parseSsmlRate('0.8'), 0.8);
    assert.ok(Math.abs(parseSsmlPitch('+100%') - 12) < 1e-9);
    assert.equal(parseSsmlPitch('-3st'), -3);
    assert.equal(parseSsmlPitch('high'), 3);
  });

  for (const [name, markup] of [
    ['unclosed element', '<speak>Hello <prosody rate="fast">world</speak>'],
    ['mismatched close', '<speak><s>Hi</p></speak>'],
    ['unknown element', '<speak><audio src="x.wav"/></speak>'],
    ['bad break time', '<speak><break time="soon"/></speak>'],
    ['huge break', '<speak><break time="60s"/></speak>'],
    ['bad rate', '<speak><prosody rate="warp9">x</prosody></speak>'],
    ['text outside speak', 'Hello <speak>x</speak>'],
    ['unterminated tag', '<speak>Hello <break time="1s"'],
    ['unknown entity', '<speak>Tom &bogus; Jerry</speak>'],
    ['missing root', '<s>Hello</s>'],
  ] as const) {
    test(`malformed: ${name} → tts.invalid_ssml`, () => {
      assert.throws(
        () => parseSsml(markup),
        (e) => isAutoVoiceError(e, 'tts.invalid_ssml'),
      );
    });
  }
});

describe('planSpeech', () => {
  test('plain text → sentences with the base prosody, paragraph pauses between', () => {
    assert.deepEqual(
      planSpeech('First one. Second one!\n\nThird.', { rateFactor: 1.2, pitchSemitones: -2 }),
      [
        { kind: 'speech', text: 'First one.', rateFactor: 1.2, pitchSemitones: -2 },
        { kind: 'speech', text: 'Second one!', rateFactor: 1.2, pitchSemitones: -2 },
        { kind: 'pause', durationMs: 400 },
        { kind: 'speech', text: 'Third.', rateFactor: 1.2, pitchSemitones: -2 },
      ],
    );
  });

  test('SSML is detected and combined with the base prosody', () => {
    const plan = planSpeech('<speak><prosody rate="2">Quick.</prosody><break time="1s"/>Done.</speak>', {
      rateFactor: 1.5,
    });
    assert.deepEqual(plan, [
      { kind: 'speech', text: 'Quick.', rateFactor: 3, pitchSemitones: 0 },
      { kind: 'pause', durationMs: 1000 },
      { kind: 'speech', text: 'Done.', rateFactor: 1.5, pitchSemitones: 0 },
    ]);
    // ssml: false reads markup-looking text as plain text (characters are escaped for engines).
    assert.equal(planSpeech('<speak>x</speak>', { ssml: false }).length, 1);
  });

  test('fast start cuts only a long first sentence, at its first clause boundary', () => {
    const plan = planSpeech(
      'Well, the weather today is bright and mild, with a light breeze. Then rain, later.',
      { fastStartChars: 40 },
    );
    assert.deepEqual(
      plan.map((s) => (s.kind === 'speech' ? s.text : '|')),
      ['Well, the weather today is bright and mild,', 'with a light breeze.', 'Then rain, later.'],
    );
    assert.equal(
      planSpeech('Short, first. Then more, and more, and more text here.', { fastStartChars: 40 }).length,
      2,
    );
  });

  test('empty, unspeakable, too long and out-of-range controls are typed errors', () => {
    assert.throws(
      () => planSpeech(''),
      (e) => isAutoVoiceError(e, 'tts.text_empty'),
    );
    assert.throws(
      () => planSpeech(' 🎉 \u0000 ... '),
      (e) => isAutoVoiceError(e, 'tts.text_empty'),
    );
    assert.throws(
      () => planSpeech('a'.repeat(101), { maxTextChars: 100 }),
      (e) => {
        assert.ok(isAutoVoiceError(e, 'tts.text_too_long'));
        assert.deepEqual(e.details, { length: 101, maxChars: 100 });
        return true;
      },
    );
    assert.throws(
      () => planSpeech('Hi.', { rateFactor: 10 }),
      (e) => isAutoVoiceError(e, 'usage.invalid_argument'),
    );
    assert.throws(
      () => planSpeech('Hi.', { pitchSemitones: Number.NaN }),
      (e) => isAutoVoiceError(e, 'usage.invalid_argument'),
    );
  });
});
