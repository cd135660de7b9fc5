import { Context } from '@temporalio/activity';
import type { PromoteInput, RegisterModelVersionInput as RegistryRegisterInput } from '../db';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';

/** The registry's input less the calling run, which the activity reads from its context. */
export type RegisterModelVersionInput = Omit<RegistryRegisterInput, 'workflowId' | 'runId'>;
export type PromoteModelVersionInput = Omit<PromoteInput, 'actor'>;

/** The workflow run this activity works for: it makes registration idempotent and the audit log precise. */
function callingWorkflow(): { workflowId: string; runId: string } {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw new Error('registry activities run only as part of a workflow');
  return execution;
}

export function createRegistryActivities({ registry }: ActivityDependencies) {
  return withFailureMapping({
    /** Registers a candidate version; a retry of the same workflow run returns the same version. */
    async registerModelVersion(input: RegisterModelVersionInput): Promise<{ version: number }> {
      const { workflowId, runId } = callingWorkflow();
      const version = await registry.registerModelVersion({ ...input, workflowId, runId });
      return { version: version.version };
    },

    /** Makes a version the production one; idempotent, so a retried or repeated call changes nothing. */
    async promoteModelVersion(input: PromoteModelVersionInput): Promise<{ promoted: boolean; previousProduction?: number }> {
      return registry.promote({ ...input, actor: `workflow:${callingWorkflow().workflowId}` });
    },
  });
}
