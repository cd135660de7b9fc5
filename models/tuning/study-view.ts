import type { JsonValue } from './json';
import type { SearchSpace } from './search-space';
import type { Direction, Trial, TrialState } from './trial';

/** What samplers and pruners see of a study: its trials, plus the bookkeeping they may write. */
export interface StudyView {
  readonly name: string;
  readonly direction: Direction;
  readonly space: SearchSpace;
  getTrials(states?: readonly TrialState[]): readonly Trial[];
  getStudyAttrs(): Readonly<Record<string, JsonValue>>;
  setStudyAttr(key: string, value: JsonValue): void;
  setTrialSystemAttr(number: number, key: string, value: JsonValue): void;
}
