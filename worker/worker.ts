import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDependencies, type KilnActivities } from '../activities';

export interface KilnWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
  /** Replaces some activities (tests inject faults and counters); the rest are Kiln's own. */
  overrides?: (activities: KilnActivities) => Partial<KilnActivities>;
}

/** A worker that runs Kiln's workflows and activities on one task queue. */
export async function createKilnWorker({ connection, namespace, taskQueue, dependencies, overrides }: KilnWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    // Workflows are bundled from source by path; only this module imports activity implementations.
    workflowsPath: require.resolve('../workflows'),
    activities: withOverrides(createActivities(dependencies), overrides),
    // Training and scoring hold the CPU; two at a time matches the machine's two cores.
    maxConcurrentActivityTaskExecutions: 2,
    // Cancellation reaches an activity only with a heartbeat's answer: send them at least every 2 s so a
    // cancelled run stops training within seconds, not the default half minute.
    maxHeartbeatThrottleInterval: '2 seconds',
  });
}

function withOverrides(activities: KilnActivities, overrides: KilnWorkerOptions['overrides']): KilnActivities {
  return overrides ? { ...activities, ...overrides(activities) } : activities;
}
