import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDependencies } from '../activities';

export interface KilnWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  dependencies: ActivityDependencies;
}

/** A worker that runs Kiln's workflows and activities on one task queue. */
export async function createKilnWorker({ connection, namespace, taskQueue, dependencies }: KilnWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    // Workflows are bundled from source by path; only this module imports activity implementations.
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities(dependencies),
    // Training and scoring hold the CPU; two at a time matches the machine's two cores.
    maxConcurrentActivityTaskExecutions: 2,
    // Cancellation reaches an activity only with a heartbeat's answer: send them at least every 2 s so a
    // cancelled run stops training within seconds, not the default half minute.
    maxHeartbeatThrottleInterval: '2 seconds',
  });
}
