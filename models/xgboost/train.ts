import { Booster } from './booster';
import type { DMatrix } from './dmatrix';
import type { EvalScores } from './eval-log';
import { metricMaximises } from './params';
import type { XGBoostParams } from './params-schema';

export interface TrainOptions {
  /** Checked before training starts: a bad value throws InputError naming the parameter. */
  params: XGBoostParams;
  dtrain: DMatrix;
  /** Number of boosting rounds (upper bound with early stopping). */
  rounds: number;
  /** Sets evaluated after each round, as `[name, matrix]`; early stopping watches the last. */
  evals?: Array<[string, DMatrix]>;
  /** Stop when the last metric of the last eval set has not improved for this many rounds. */
  earlyStoppingRounds?: number;
  /** Called after each round with its scores; return `true` to stop (pruning hook). */
  onRound?: (round: number, scores: EvalScores) => boolean | void;
}

export interface TrainResult {
  booster: Booster;
  /** One entry per completed round. */
  history: EvalScores[];
  /** Best round by the early-stopping metric; the last round when early stopping is off. */
  bestIteration: number;
  /** Score at `bestIteration`, when early stopping was on. */
  bestScore?: number;
}

/**
 * Trains a booster like `xgboost.train` in Python: one `updateOneIter` + `evalOneIter`
 * per round, optional early stopping and a per-round callback. The returned booster
 * holds every round; predict with `iterationRange: [0, bestIteration + 1]` for the best
 * model. With early stopping, `best_iteration` and `best_score` are stored as model
 * attributes, as Python does.
 *
 * @example
 * const { booster, history, bestIteration } = train({
 *   params: { objective: 'binary:logistic', eval_metric: ['logloss', 'auc'] },
 *   dtrain, evals: [['train', dtrain], ['valid', dvalid]], rounds: 500, earlyStoppingRounds: 20,
 * });
 */
export function train(options: TrainOptions): TrainResult {
  const { params, dtrain, rounds, evals = [], earlyStoppingRounds, onRound } = options;
  if (!Number.isSafeInteger(rounds) || rounds <= 0) throw new RangeError(`train: rounds must be a positive integer, got ${rounds}`);
  if (earlyStoppingRounds !== undefined) {
    if (!Number.isSafeInteger(earlyStoppingRounds) || earlyStoppingRounds <= 0) {
      throw new RangeError(`train: earlyStoppingRounds must be a positive integer, got ${earlyStoppingRounds}`);
    }
    if (evals.length === 0) throw new Error('train: earlyStoppingRounds needs at least one eval set');
  }
  const names = evals.map(([name]) => name);
  if (new Set(names).size !== names.length) throw new Error(`train: eval set names must be unique, got ${names.join(', ')}`);

  // Python puts dtrain and the eval sets in the booster's prediction cache too.
  const booster = new Booster({ params, cache: [dtrain, ...evals.map(([, d]) => d)] });
  const history: EvalScores[] = [];
  const stopper = earlyStoppingRounds === undefined ? undefined : new EarlyStopping(earlyStoppingRounds);
  try {
    for (let round = 0; round < rounds; round++) {
      booster.updateOneIter(round, dtrain);
      const scores = booster.evalOneIter(round, evals);
      history.push(scores);
      const stopEarly = stopper?.update(round, scores, booster) ?? false;
      const stopByCallback = onRound?.(round, scores) === true;
      if (stopEarly || stopByCallback) break;
    }
  } catch (error) {
    booster.dispose();
    throw error;
  }
  if (stopper?.best !== undefined) {
    return { booster, history, bestIteration: stopper.best.round, bestScore: stopper.best.score };
  }
  return { booster, history, bestIteration: history.length - 1 };
}

/** Python's EarlyStopping callback: last metric of the last eval set, strict improvement. */
class EarlyStopping {
  best: { round: number; score: number } | undefined;
  #sinceBest = 0;
  #maximise: boolean | undefined;

  constructor(private readonly patience: number) {}

  update(round: number, scores: EvalScores, booster: Booster): boolean {
    const sets = Object.values(scores);
    const metrics = Object.entries(sets[sets.length - 1] ?? {});
    const last = metrics[metrics.length - 1];
    if (last === undefined) throw new Error('train: early stopping found no metric in the last eval set');
    const [metric, score] = last;
    this.#maximise ??= metricMaximises(metric);
    const improved =
      this.best === undefined || (this.#maximise ? score > this.best.score : score < this.best.score);
    if (improved) {
      this.best = { round, score };
      this.#sinceBest = 0;
      booster.setAttr('best_iteration', String(round));
      booster.setAttr('best_score', String(score));
    } else {
      this.#sinceBest += 1;
    }
    return this.#sinceBest >= this.patience;
  }
}
