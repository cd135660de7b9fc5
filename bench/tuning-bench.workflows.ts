// What the orchestration bench bundles: Kiln's tuning study, and the floor it is measured against.
import { proxyActivities } from '@temporalio/workflow';
import type { KilnActivities } from '../activities';
import type { RunTrialInput } from '../activities/tuning';

export { tuningStudy } from '../workflows/tuning-study';

const { runTrial } = proxyActivities<KilnActivities>({ startToCloseTimeout: '1 minute' });

/** The same trial activity `count` times, one after the other, with nothing around it: Temporal's own cost. */
export async function bareTrials(input: RunTrialInput, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await runTrial(input);
}
