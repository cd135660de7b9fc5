import { openResources, type KilnResources } from '../lib/resources';
import { loadSettings } from '../lib/settings';

/** Runs `work` against the database and artifacts of the current settings, closing them afterwards. */
export async function withResources<T>(work: (resources: KilnResources) => Promise<T>): Promise<T> {
  const resources = await openResources(loadSettings());
  try {
    return await work(resources);
  } finally {
    await resources.close();
  }
}
