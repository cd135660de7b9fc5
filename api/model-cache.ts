import type { Logger } from 'pino';
import type { ModelVersion, Registry } from '../db';
import { loadScoringModel } from '../lib/artifact-checksum';
import type { ArtifactStore } from '../lib/artifact-store';
import { NotFoundError } from '../lib/errors';
import type { ScoringModel } from '../models/scoring-model';
import { recordValidator, type RecordValidator } from './record-schema';

/** A production model version loaded for serving. */
export interface ServedModel {
  name: string;
  version: ModelVersion;
  scoring: ScoringModel;
  validator: RecordValidator;
}

export interface ModelCacheOptions {
  registry: Registry;
  artifacts: ArtifactStore;
  logger: Logger;
  /** How often to look for a newly promoted version. Default 2000 ms. */
  refreshMs?: number;
  /** The model `POST /predict` serves; default: the only model with a production version. */
  defaultModel?: string;
}

/**
 * Keeps the production version of each requested model loaded, and swaps in a newly promoted one
 * without a restart. Artifacts are checked against the checksums registered with the version; a failed
 * reload (a missing or corrupted file) keeps serving the version already loaded and says why in the log,
 * once per version and reason rather than at every refresh.
 */
export class ModelCache {
  private readonly models = new Map<string, ServedModel>();
  private readonly loading = new Map<string, Promise<ServedModel>>();
  /** The last reload failure of each model, so a refresh repeating it does not flood the log. */
  private readonly failures = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private defaultName?: Promise<string>;

  constructor(private readonly options: ModelCacheOptions) {}

  /** The loaded production version of `name`, loading it on first use. */
  async get(name: string): Promise<ServedModel> {
    return this.models.get(name) ?? (await this.load(name));
  }

  /** Name of the default model; resolved once per refresh period, not per request. */
  defaultModel(): Promise<string> {
    this.defaultName ??= this.resolveDefaultModel().catch((error) => {
      this.defaultName = undefined;
      throw error;
    });
    return this.defaultName;
  }

  private async resolveDefaultModel(): Promise<string> {
    if (this.options.defaultModel) return this.options.defaultModel;
    const served = (await this.options.registry.listModels()).filter((model) => model.productionVersion !== undefined);
    if (served.length === 1) return served[0]!.name;
    throw new NotFoundError(
      served.length === 0
        ? 'no model has a production version yet: run a training pipeline first'
        : `several models are in production (${served.map((m) => m.name).join(', ')}): set KILN_DEFAULT_MODEL or call /models/{name}/predict`,
    );
  }

  start(): void {
    const refreshMs = this.options.refreshMs ?? 2000;
    this.timer = setInterval(() => void this.refresh(), refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const model of this.models.values()) model.scoring.dispose();
    this.models.clear();
  }

  /** Reloads every cached model whose production version changed. */
  async refresh(): Promise<void> {
    this.defaultName = undefined;
    for (const [name, served] of this.models) {
      try {
        const production = await this.options.registry.getProductionVersion(name);
        if (production && production.version !== served.version.version) await this.load(name);
        this.failures.delete(name);
      } catch (error) {
        const reason = (error as Error).message;
        if (this.failures.get(name) === reason) continue;
        this.failures.set(name, reason);
        this.options.logger.error({ err: error, model: name, served: served.version.version }, `model reload failed; still serving version ${served.version.version}: ${reason}`);
      }
    }
  }

  private load(name: string): Promise<ServedModel> {
    const pending = this.loading.get(name);
    if (pending) return pending;
    const loading = this.loadProduction(name).finally(() => this.loading.delete(name));
    this.loading.set(name, loading);
    return loading;
  }

  private async loadProduction(name: string): Promise<ServedModel> {
    const { registry, artifacts, logger } = this.options;
    const version = await registry.getProductionVersion(name);
    if (!version) throw new NotFoundError(`model "${name}" has no production version`, { model: name });
    // The model's warnings (e.g. served by libxgboost alone) as structured log lines naming the version.
    const scoring = loadScoringModel(artifacts, version, { logger: logger.child({ model: name, version: version.version }) });
    const served: ServedModel = { name, version, scoring, validator: recordValidator(scoring.pipeline.inputs) };
    const previous = this.models.get(name);
    this.models.set(name, served);
    // Requests already holding the previous version finish with it; free its native memory afterwards.
    if (previous) setTimeout(() => previous.scoring.dispose(), 10_000).unref();
    logger.info({ model: name, version: version.version, previous: previous?.version.version }, 'serving model version');
    return served;
  }
}

