import assert from 'node:assert/strict';
import { createPruner, createRandomSampler, createStudy, parseSearchSpace, restoreStudy, type Pruner, type Study } from '../../models/tuning';

const space = parseSearchSpace({ x: { type: 'float', low: 0, high: 1 } });

/** Learning curves that approach 1 − x at different speeds; some trials are pruned on the way. */
export function runCurves(pruner: Pruner, trials: number, steps = 30, study?: Study): { study: Study; decisions: string[] } {
  const s = study ?? createStudy({ name: 'pruning', space, sampler: createRandomSampler({ seed: 3 }), pruner });
  const decisions: string[] = [];
  for (let i = 0; i < trials; i++) {
    const trial = s.ask();
    const x = trial.params.x as number;
    let pruned = false;
    for (let step = 0; step < steps && !pruned; step++) {
      s.report(trial.number, step, x + (1 - x) / (step + 1));
      pruned = s.shouldPrune(trial.number);
      if (pruned) decisions.push(`${trial.number}@${step}`);
    }
    s.tell(trial.number, pruned ? { state: 'PRUNED' } : { value: x });
  }
  return { study: s, decisions };
}

/** What every pruner must do: decide only from the study, survive a JSON round trip, rebuild from its spec. */
export function runPrunerContract(name: string, makePruner: () => Pruner): void {
  describe(`Pruner contract: ${name}`, () => {
    it('does not prune a trial that has reported nothing', () => {
      const study = runCurves(makePruner(), 8).study;
      const trial = study.ask();
      assert.equal(study.shouldPrune(trial.number), false);
    });

    it('does not prune the first trial', () => {
      assert.deepEqual(runCurves(makePruner(), 1).decisions, []);
    });

    it('decides the same way every time', () => {
      assert.deepEqual(runCurves(makePruner(), 25).decisions, runCurves(makePruner(), 25).decisions);
    });

    it('rebuilds from its spec with the same decisions', () => {
      const pruner = makePruner();
      const rebuilt = createPruner(JSON.parse(JSON.stringify(pruner.spec)));
      assert.deepEqual(rebuilt.spec, pruner.spec);
      assert.deepEqual(runCurves(rebuilt, 25).decisions, runCurves(pruner, 25).decisions);
    });

    it('decides the same after the study goes through JSON (continue-as-new)', () => {
      const straight = runCurves(makePruner(), 30).decisions;
      const first = runCurves(makePruner(), 15);
      const restored = restoreStudy(JSON.parse(JSON.stringify(first.study.toJSON())));
      const rest = runCurves(restored.pruner, 15, 30, restored).decisions;
      assert.deepEqual([...first.decisions, ...rest], straight);
    });

    it('copes with NaN reports', () => {
      const { study } = runCurves(makePruner(), 6);
      const trial = study.ask();
      study.report(trial.number, 0, NaN);
      assert.equal(typeof study.shouldPrune(trial.number), 'boolean');
    });
  });
}
