import assert from 'node:assert/strict';
import { parsePipelineConfig } from '../../lib/pipeline-config';

const base = { name: 'm', source: { type: 'csv', path: 'a.csv' }, target: { column: 'y', positive: 'Yes' }, training: { rounds: 5 } };

describe('pipeline config: threshold, promotion gate, schedule and monitoring', () => {
  it('defaults to a fixed 0.5 threshold, a strict-improvement gate, and no schedule or monitoring', () => {
    const config = parsePipelineConfig(base);
    assert.deepEqual(config.threshold, { rule: 'fixed', value: 0.5 });
    assert.deepEqual(config.promotion, { metric: 'roc_auc', minImprovement: 0, minRelativeImprovement: 0, guards: [] });
    assert.equal(config.schedule, undefined);
    assert.equal(config.monitoring, undefined);
  });

  it('reads every section and fills their defaults', () => {
    const config = parsePipelineConfig({
      ...base,
      threshold: { rule: 'target_precision', value: 0.7 },
      promotion: { metric: 'pr_auc', minValue: 0.5, guards: [{ metric: 'log_loss', tolerance: 0.01 }, { metric: 'recall' }] },
      schedule: { cron: '0 3 * * *' },
      monitoring: { every: '30m' },
    });
    assert.deepEqual(config.threshold, { rule: 'target_precision', value: 0.7 });
    assert.deepEqual(config.promotion.guards, [{ metric: 'log_loss', tolerance: 0.01 }, { metric: 'recall', tolerance: 0 }]);
    assert.deepEqual(config.schedule, { cron: '0 3 * * *', cooldown: '1h' });
    assert.deepEqual(config.monitoring, { every: '30m', window: 1000, psiThreshold: 0.25 });
  });

  it('names the bad field of each section', () => {
    const problems = (extra: object) => {
      try {
        parsePipelineConfig({ ...base, ...extra });
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail('expected an error');
    };
    assert.match(problems({ threshold: { rule: 'target_recall' } }), /threshold\.value: /);
    assert.match(problems({ threshold: { rule: 'best' } }), /threshold\.rule: /);
    assert.match(problems({ promotion: { guards: [{ metric: 'auc' }] } }), /promotion\.guards\[0\]\.metric: /);
    assert.match(problems({ schedule: { every: '5 minutes' } }), /schedule\.every: a duration like 90s, 30m, 6h or 1d/);
    assert.match(problems({ schedule: { cron: '* * * * *', every: '1h' } }), /schedule: give exactly one of cron and every/);
    assert.match(problems({ monitoring: { window: 10 } }), /monitoring\.window: /);
  });
});
