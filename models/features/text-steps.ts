import type { ColumnStep } from './column-step';
import type { TextStat } from './config';
import type { FittedStep } from './state';

/** Length and word count of a text column, as new numeric columns; missing text gives missing stats. */
export const textStatsStep: ColumnStep<Extract<FittedStep, { type: 'text_stats' }>> = {
  reads: (step) => [step.column],
  writes: (step) => step.as,
  compile(step, layout) {
    const column = layout.string(step.column);
    const outs = step.as.map((name) => layout.number(name));
    return (frame, row) => {
      const text = frame.strings[column]![row] ?? null;
      for (let i = 0; i < outs.length; i++) frame.numbers[outs[i]!]![row] = text === null ? NaN : textStat(text, step.stats[i]!);
    };
  },
};

/** Characters are Unicode code points (an emoji is one); words are runs of non-whitespace (as `\s` reads it). */
export function textStat(text: string, stat: TextStat): number {
  return stat === 'length' ? codePoints(text) : words(text);
}

function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // The second half of a surrogate pair belongs to the character already counted.
    if (code < 0xdc00 || code > 0xdfff) count++;
  }
  return count;
}

const WHITESPACE = /\s/;

// A loop, not text.match(/\S+/g): no array per value when fitting reads millions.
function words(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code < 0x80 ? code === 32 || (code >= 9 && code <= 13) : WHITESPACE.test(text[i]!);
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}
