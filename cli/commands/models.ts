import type { Command } from 'commander';
import { NotFoundError } from '../../lib/errors';
import { loadSettings, workflowUiLink } from '../../lib/settings';
import { withResources } from '../resources';
import { formatTable } from '../table';

const print = (json: boolean | undefined, value: unknown, text: () => string) => console.log(json ? JSON.stringify(value, null, 2) : text());

export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('the model registry: versions, stages, promotions');

  models
    .command('list [name]')
    .description('models, or the versions of one model')
    .option('--json', 'print JSON')
    .action((name: string | undefined, options: { json?: boolean }) =>
      withResources(async ({ registry }) => {
        if (!name) {
          const all = await registry.listModels();
          return print(options.json, all, () => formatTable(['model', 'production', 'latest'], all.map((m) => [m.name, m.productionVersion, m.latestVersion])));
        }
        const versions = await registry.listModelVersions(name);
        print(options.json, versions, () =>
          formatTable(
            ['version', 'stage', 'roc_auc', 'log_loss', 'dataset', 'created'],
            versions.map((v) => [v.version, v.stage, v.metrics.roc_auc?.toFixed(4), v.metrics.log_loss?.toFixed(4), v.datasetId, v.createdAt]),
          ),
        );
      }),
    );

  models
    .command('show <name> <version>')
    .description('one version: metrics, params, lineage and stage history')
    .option('--json', 'print JSON')
    .action((name: string, version: string, options: { json?: boolean }) =>
      withResources(async ({ registry }) => {
        const lineage = await registry.getLineage(name, parseVersion(version));
        const { version: found, dataset, run, study, history } = lineage;
        const link = workflowUiLink(loadSettings(), found.workflowId, found.runId);
        const checksum = (c: typeof found.modelChecksum) => (c ? `sha256 ${c.sha256.slice(0, 16)}…, ${c.size} bytes` : 'no checksum recorded');
        print(options.json, { ...found, dataset, run, study, history, temporalUi: link }, () =>
          [
            `${name} v${found.version}  stage: ${found.stage}  created: ${found.createdAt}`,
            `dataset: ${dataset.id} (${dataset.rowCount} rows, sha256 ${dataset.contentHash.slice(0, 16)}…)`,
            `run: ${found.workflowId} / ${found.runId}${run ? `  ${run.status}${run.outcome ? ` (${run.outcome})` : ''}` : ''}\n  ${link}`,
            `code: ${found.codeVersion ?? 'not recorded'}`,
            `artifacts: model ${checksum(found.modelChecksum)}; pipeline ${checksum(found.pipelineChecksum)}`,
            ...(study
              ? [`study: ${study.name} (${study.state}), best trial ${study.bestTrial ? `${study.bestTrial.number}: ${study.bestTrial.value} ${JSON.stringify(study.bestTrial.params)}` : 'none'}`]
              : []),
            `card: ${found.cardKey ? `kiln models card ${name} ${found.version}` : 'none'}`,
            '',
            formatTable(['metric', 'value'], Object.entries(found.metrics).map(([k, v]) => [k, v.toFixed(4)])),
            '',
            formatTable(['param', 'value'], Object.entries(found.params).map(([k, v]) => [k, JSON.stringify(v)])),
            '',
            formatTable(['at', 'from', 'to', 'actor', 'reason'], history.map((t) => [t.at, t.fromStage ?? '-', t.toStage, t.actor, t.reason])),
          ].join('\n'),
        );
      }),
    );

  models
    .command('card <name> <version>')
    .description("print a version's Markdown model card")
    .action((name: string, version: string) =>
      withResources(async ({ registry, artifacts }) => {
        const found = await registry.getModelVersion(name, parseVersion(version));
        if (!found.cardKey) throw new NotFoundError(`${name} v${found.version} has no model card (it was registered before cards were written)`);
        process.stdout.write(artifacts.get(found.cardKey).toString('utf8'));
      }),
    );

  models
    .command('promote <name> <version>')
    .description('make a version the production one (idempotent, audited)')
    .requiredOption('-r, --reason <text>', 'why, for the audit log')
    .action((name: string, version: string, options: { reason: string }) =>
      withResources(async ({ registry }) => {
        const result = await registry.promote({ modelName: name, version: parseVersion(version), reason: options.reason, actor: `cli:${process.env.USER ?? 'unknown'}` });
        console.log(
          result.promoted
            ? `${name} v${version} is now in production${result.previousProduction ? ` (v${result.previousProduction} archived)` : ''}`
            : `${name} v${version} was already in production`,
        );
      }),
    );

  models
    .command('stage <name> <version> <stage>')
    .description('move a version to candidate, staging or archived (audited, idempotent; production is entered by promote)')
    .requiredOption('-r, --reason <text>', 'why, for the audit log')
    .action((name: string, version: string, stage: string, options: { reason: string }) =>
      withResources(async ({ registry }) => {
        const result = await registry.setStage({ modelName: name, version: parseVersion(version), stage: stage as 'staging', reason: options.reason, actor: `cli:${process.env.USER ?? 'unknown'}` });
        console.log(result.changed ? `${name} v${version}: ${result.from} → ${stage}` : `${name} v${version} was already ${stage}`);
      }),
    );

  registerRollbackCommand(models);
}

export function registerRollbackCommand(models: Command): void {
  models
    .command('rollback <name>')
    .description('return production to the version the current one replaced (audited; with --from, repeating is a no-op)')
    .requiredOption('-r, --reason <text>', 'why, for the audit log')
    .option('--from <version>', 'the production version to leave; nothing happens if production is already another one')
    .action((name: string, options: { reason: string; from?: string }) =>
      withResources(async ({ registry }) => {
        const result = await registry.rollback({
          modelName: name,
          fromVersion: options.from === undefined ? undefined : parseVersion(options.from),
          reason: options.reason,
          actor: `cli:${process.env.USER ?? 'unknown'}`,
        });
        console.log(result.rolledBack ? `${name} rolled back: v${result.production} is in production` : `${name}: production is v${result.production}, nothing to roll back from v${options.from}`);
      }),
    );
}

function parseVersion(text: string): number {
  const version = Number(text);
  if (!Number.isInteger(version) || version < 1) throw new Error(`version: expected a positive whole number, got "${text}"`);
  return version;
}
