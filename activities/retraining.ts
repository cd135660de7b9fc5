import { NotFoundError } from '../lib/errors';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';

export function createRetrainingActivities({ registry }: ActivityDependencies) {
  return withFailureMapping({
    /** When the model's newest version was registered (ISO time), or null for a model never trained. */
    async lastTrainedAt(modelName: string): Promise<string | null> {
      try {
        return (await registry.listModelVersions(modelName)).at(-1)?.createdAt ?? null;
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw error;
      }
    },
  });
}
