import { Context } from '@temporalio/activity';
import type { FinishRunInput, PromoteInput, RegisterModelVersionInput as RegistryRegisterInput } from '../db';
import { checksumOf } from '../lib/artifact-checksum';
import { resolveCodeVersion } from '../lib/code-version';
import type { PipelineConfig } from '../lib/pipeline-config';
import { renderModelCard } from '../models/model-card';
import type { TrainTestSplit } from '../models/split';
import type { ValidationReport } from '../models/validation';
import type { ActivityDependencies } from './dependencies';
import { withFailureMapping } from './failures';
import { loadLabelledData } from './labelled-data';
import { modelCardInput, type ModelCardSources } from './model-card-input';

/** The registry's input less what the activity finds itself: the calling run, checksums, code version. */
export type RegisterModelVersionInput = Omit<RegistryRegisterInput, 'workflowId' | 'runId' | 'modelChecksum' | 'pipelineChecksum' | 'codeVersion'>;
export type PromoteModelVersionInput = Omit<PromoteInput, 'actor'>;
export interface RecordRunFinishedInput extends Omit<FinishRunInput, 'workflowId' | 'runId'> {
  /** The run id `recordRunStarted` recorded: another than the caller's when the run was reset (kiln reset). */
  startedRunId: string;
}

export interface WriteModelCardInput extends Pick<ModelCardSources, 'target' | 'evaluation' | 'description'> {
  modelName: string;
  version: number;
  splitKey: string;
  /** The validation activity's report: the data profile and the warnings. */
  validationReportKey: string;
}

export interface RegistryActivityOptions {
  /** Recorded with every version registered. Default: computed once, here, from the checkout (see resolveCodeVersion). */
  codeVersion?: string;
}

/** The workflow run this activity works for: it makes every write here idempotent and the audit log precise. */
export function callingWorkflow(): { workflowId: string; runId: string } {
  const execution = Context.current().info.workflowExecution;
  if (!execution) throw new Error('registry activities run only as part of a workflow');
  return execution;
}

export function createRegistryActivities(deps: ActivityDependencies, { codeVersion = resolveCodeVersion() }: RegistryActivityOptions = {}) {
  const { registry, artifacts } = deps;
  return withFailureMapping({
    /** Records the calling run as running, with its config (less the validation rules); a retry writes nothing more. */
    async recordRunStarted({ config }: { config: PipelineConfig }): Promise<{ runId: string }> {
      const { validation, ...summary } = config;
      const run = await registry.startRun({ ...callingWorkflow(), modelName: config.name, config: summary });
      return { runId: run.runId };
    },

    /** Records how the calling run ended; a retry, or a second call, leaves the first record. */
    async recordRunFinished({ startedRunId, ...input }: RecordRunFinishedInput): Promise<{ status: string }> {
      const current = callingWorkflow();
      if (startedRunId !== current.runId) {
        // A reset run reuses the original's start from history: it is recorded as a run of its own, same config.
        const original = await registry.getRun(current.workflowId, startedRunId);
        await registry.startRun({ ...current, modelName: original.modelName, config: original.config });
      }
      const run = await registry.finishRun({ ...input, ...current });
      return { status: run.status };
    },

    /** Registers a candidate version with its artifacts' checksums; a retry of the same workflow run returns the same version. */
    async registerModelVersion(input: RegisterModelVersionInput): Promise<{ version: number }> {
      const version = await registry.registerModelVersion({
        ...input,
        ...callingWorkflow(),
        // Read through the store, which checks each file against its key before it is vouched for.
        modelChecksum: checksumOf(artifacts.get(input.modelKey)),
        pipelineChecksum: checksumOf(artifacts.get(input.pipelineKey)),
        codeVersion,
      });
      return { version: version.version };
    },

    /** Makes a version the production one; idempotent, so a retried or repeated call changes nothing. */
    async promoteModelVersion(input: PromoteModelVersionInput): Promise<{ promoted: boolean; previousProduction?: number }> {
      return registry.promote({ ...input, actor: `workflow:${callingWorkflow().workflowId}` });
    },

    /**
     * Writes the version's Markdown model card (see models/model-card.ts) as an artifact and records its
     * key on the version. The card is a pure function of stored inputs, so a retry stores the same key.
     */
    async writeModelCard(input: WriteModelCardInput): Promise<{ cardKey: string }> {
      const lineage = await registry.getLineage(input.modelName, input.version);
      const { records, labels } = await loadLabelledData(deps, lineage.dataset.id, input.target);
      const card = renderModelCard(
        modelCardInput(artifacts, {
          lineage,
          description: input.description,
          target: input.target,
          records,
          labels,
          split: artifacts.getJson<TrainTestSplit>(input.splitKey),
          report: artifacts.getJson<ValidationReport>(input.validationReportKey),
          evaluation: input.evaluation,
        }),
      );
      const cardKey = artifacts.put(Buffer.from(card, 'utf8'));
      await registry.setModelCard(input.modelName, input.version, cardKey);
      return { cardKey };
    },
  });
}
