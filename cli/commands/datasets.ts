import type { Command } from 'commander';
import { createDatasetValidations, type Dataset, type DatasetValidation } from '../../db';
import type { TableProfile } from '../../models/data/table-profile';
import { formatReport, type ValidationReport } from '../../models/validation';
import { withResources } from '../resources';
import { formatTable } from '../table';

const validationSummary = (validation: DatasetValidation | undefined) =>
  validation === undefined ? 'not validated' : `${validation.ok ? 'passed' : 'failed'} (${validation.errors} errors, ${validation.warnings} warnings)`;
const when = (iso: string) => iso.replace('T', ' ').slice(0, 19);
const watermarkText = (dataset: Dataset) => (dataset.watermark ? `${dataset.watermark.column} ≤ ${dataset.watermark.value}` : '');

/** One dataset version: what it is, where it came from, its columns as profiled, and its validations (the latest report in full). */
export function formatDataset(dataset: Dataset, profile: TableProfile | undefined, validations: DatasetValidation[], latestReport: ValidationReport | undefined): string {
  const lines = [
    `dataset ${dataset.id}  rows: ${dataset.rowCount}  ingested: ${when(dataset.createdAt)}`,
    `content sha256: ${dataset.contentHash}`,
    `source: ${JSON.stringify(dataset.source)}`,
  ];
  if (dataset.parentId) lines.push(`parent: ${dataset.parentId}  watermark: ${watermarkText(dataset)}`);
  else if (dataset.watermark) lines.push(`watermark: ${watermarkText(dataset)}`);
  if (profile) {
    lines.push(
      '',
      formatTable(
        ['column', 'type', 'missing', 'summary'],
        profile.columns.map((column) => [
          column.name,
          column.type,
          `${(100 * column.missingShare).toFixed(1)}%`,
          column.type === 'number'
            ? `mean ${column.mean === null ? '-' : column.mean.toPrecision(4)}; ${column.quantiles.map(({ p, value }) => `p${Math.round(100 * p)} ${value.toPrecision(4)}`).join(', ')}`
            : `${column.distinct} distinct; ${column.top.slice(0, 3).map(({ value, share }) => `${JSON.stringify(value)} ${(100 * share).toFixed(0)}%`).join(', ')}`,
        ]),
      ),
    );
    if (profile.sampledFrom !== undefined && profile.sampledFrom > profile.rows) lines.push(`(profiled on an even sample of ${profile.rows} of the ${profile.sampledFrom} rows)`);
  }
  lines.push('', validations.length === 0 ? 'validations: none yet' : `validations (${validations.length}, latest first):`);
  for (const validation of validations) lines.push(`  ${when(validation.validatedAt)}  ${validationSummary(validation)}  rules ${validation.rulesHash.slice(0, 12)}`);
  if (latestReport) lines.push('', formatReport(latestReport));
  return lines.join('\n');
}

export function registerDatasetsCommand(program: Command): void {
  const datasets = program.command('datasets').description('dataset versions: rows, content hash, lineage, profile and validation reports');

  datasets
    .command('list [name]')
    .description('dataset versions, newest first (all datasets, or one by name)')
    .option('--json', 'print JSON')
    .action((name: string | undefined, options: { json?: boolean }) =>
      withResources(async ({ registry, db }) => {
        const validations = createDatasetValidations(db);
        const found = await Promise.all((await registry.listDatasets(name)).map(async (dataset) => ({ dataset, validation: (await validations.list(dataset.id))[0] })));
        if (options.json) return console.log(JSON.stringify(found.map(({ dataset, validation }) => ({ ...dataset, latestValidation: validation ?? null })), null, 2));
        if (found.length === 0) return console.log(name ? `no versions of dataset "${name}" yet` : 'no datasets yet: `kiln train --config <file>` ingests one');
        console.log(
          formatTable(
            ['version', 'rows', 'parent', 'watermark', 'validation', 'ingested'],
            found.map(({ dataset, validation }) => [dataset.id, dataset.rowCount, dataset.parentId ?? '', watermarkText(dataset), validationSummary(validation), when(dataset.createdAt)]),
          ),
        );
      }),
    );

  datasets
    .command('show <version>')
    .description('one dataset version (an id from `kiln datasets list`, e.g. telco-churn@0123456789ab) with its profile and latest validation report')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) =>
      withResources(async ({ registry, artifacts, db }) => {
        const dataset = await registry.getDataset(id);
        const validations = await createDatasetValidations(db).list(id);
        const profile = dataset.profileKey ? artifacts.getJson<TableProfile>(dataset.profileKey) : undefined;
        const latestReport = validations[0] && artifacts.getJson<ValidationReport>(validations[0].reportKey);
        if (options.json) return console.log(JSON.stringify({ ...dataset, profile: profile ?? null, validations, latestReport: latestReport ?? null }, null, 2));
        console.log(formatDataset(dataset, profile, validations, latestReport));
      }),
    );
}
