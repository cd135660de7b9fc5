/** Scores of one round: eval set name → metric name → value. */
export type EvalScores = Record<string, Record<string, number>>;

/**
 * Parses XGBoost's evaluation line, e.g. `"[3]\ttrain-logloss:0.41\tvalid-auc:0.93"`,
 * into `{ train: { logloss: 0.41 }, valid: { auc: 0.93 } }`.
 *
 * Set names and metric names may both contain "-" (`ndcg@3-`, `my-valid`), so each
 * token is matched against the known set names, longest first, rather than split.
 */
export function parseEvalLine(line: string, names: readonly string[]): EvalScores {
  const byLength = [...names].sort((a, b) => b.length - a.length);
  const scores: EvalScores = {};
  for (const name of names) scores[name] = {};
  for (const token of line.split('\t').slice(1)) {
    const colon = token.lastIndexOf(':');
    if (colon < 0) continue;
    const key = token.slice(0, colon);
    const name = byLength.find((n) => key.startsWith(`${n}-`));
    if (name === undefined) continue;
    scores[name][key.slice(name.length + 1)] = Number(token.slice(colon + 1));
  }
  return scores;
}
