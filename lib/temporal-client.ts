import { Client, Connection } from '@temporalio/client';
import type { KilnSettings } from './settings';

/** A Temporal client for the settings' address; an unreachable server is one clear error with the fix. */
export async function connectClient(settings: Pick<KilnSettings, 'temporalAddress' | 'temporalNamespace'>): Promise<Client> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: settings.temporalAddress, connectTimeout: '5 seconds' });
  } catch (error) {
    throw new Error(
      `cannot reach Temporal at ${settings.temporalAddress} (${(error as Error).message}): start one with \`npx kiln server\` or set TEMPORAL_ADDRESS`,
    );
  }
  return new Client({ connection, namespace: settings.temporalNamespace });
}

/** Runs `work` with a client, and closes its connection whatever happens: what each CLI command needs. */
export async function withClient<T>(settings: Pick<KilnSettings, 'temporalAddress' | 'temporalNamespace'>, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectClient(settings);
  try {
    return await work(client);
  } finally {
    await client.connection.close();
  }
}
