import { parentPort, workerData } from 'node:worker_threads';
import { connectDatabase, createPredictionLog, type RequestLog } from '../db';

/** The thread of `PredictionLogThread`: its own connection, one insert per message in order, an answer for each. */
const db = connectDatabase((workerData as { databaseUrl: string }).databaseUrl);
const log = createPredictionLog(db);
const port = parentPort!;
type Message = { id: number; logs: RequestLog[] } | { close: true };

async function handle(message: Message): Promise<void> {
  if ('close' in message) {
    await db.destroy();
    port.close();
    return;
  }
  try {
    await log.insertRequestLogs(message.logs);
    port.postMessage({ id: message.id });
  } catch (error) {
    port.postMessage({ id: message.id, error: (error as Error).message });
  }
}

// One message at a time, so `close` never destroys the connection under an insert.
let done = Promise.resolve();
port.on('message', (message: Message) => {
  done = done.then(() => handle(message));
});
