// The feature pipeline at scale: ingest + validate + fit + transform of a 1,000,000-row Kickstarter-shaped
// file, and the serving transform of one raw record.
// Run: npx tsx bench/feature-bench.ts   (KILN_BENCH_ROWS to change the size, default 1000000)
//
// The big file is BENCH-ONLY DATA: rows of data/kickstarter-2018-sample.csv drawn with replacement
// (seeded), written to a temp dir and deleted afterwards. Its values are real rows repeated, not new
// projects; it measures speed, never model quality.
// Baselines in the same run: the v1 pipeline (numeric passthrough and one-hot of every column, no steps)
// on the same rows, and the API's record-schema check of the same record.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordSchema } from '../api/record-schema';
import { loadPipelineConfig } from '../lib/pipeline-config';
import { projectRoot } from '../lib/settings';
import { contentHash } from '../models/data/content-hash';
import { profileTable } from '../models/data/table-profile';
import { readCsvTable, toParquet, toRecords } from '../models/data/tabular';
import { fitTrainingFeatures, type FitOptions } from '../models/features/feature-pipeline';
import type { RawRecord } from '../models/features/raw-values';
import { createRandom } from '../models/random';
import { stratifiedSplit } from '../models/split';
import { validateDataset } from '../models/validation';

const ROWS = Number(process.env.KILN_BENCH_ROWS ?? 1_000_000);
const SINGLE_RECORDS = 20_000;
const config = loadPipelineConfig(path.join(projectRoot, 'data/pipelines/kickstarter.yaml'));
const sample = path.join(projectRoot, 'data/kickstarter-2018-sample.csv');

const seconds = (since: number) => (performance.now() - since) / 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Rows of the sample drawn with replacement, with the sample's header and line endings; IDs renumbered to stay unique. */
function writeResampled(file: string, rows: number): void {
  const lines = fs.readFileSync(sample, 'utf8').split('\r\n');
  // ID is the first field and never quoted: what follows its comma is the rest of the row.
  const [header, rests] = [lines[0]!, lines.slice(1).filter((line) => line.length > 0).map((line) => line.slice(line.indexOf(',')))];
  const random = createRandom(2018);
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, `${header}\r\n`);
  for (let written = 0; written < rows; written += 10_000) {
    const chunk = Array.from({ length: Math.min(10_000, rows - written) }, (_, i) => `${written + i + 1}${rests[random.int(rests.length)]}\r\n`);
    fs.writeSync(out, chunk.join(''));
  }
  fs.closeSync(out);
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-feature-bench-'));
  try {
    const file = path.join(dir, `kickstarter-resampled-${ROWS}-BENCH-ONLY.csv`);
    writeResampled(file, ROWS);
    process.stderr.write(`${file}: ${(fs.statSync(file).size / 1e6).toFixed(0)} MB, ${ROWS} rows resampled from the 9,999-row sample (bench only)\n`);

    const stages: Array<[string, number]> = [];
    const time = <T>(name: string, run: () => T): T => {
      const started = performance.now();
      const result = run();
      stages.push([name, seconds(started)]);
      process.stderr.write(`${name}: ${seconds(started).toFixed(2)} s\n`);
      return result;
    };

    const table = time('ingest: readCsvTable (check, parse, type columns)', () => readCsvTable(file));
    time('ingest: content hash, Parquet snapshot, profile (as the ingest activity)', () => [contentHash(table), toParquet(table.frame), profileTable(table)]);
    const all = time('validate: rows as records (toRecords)', () => toRecords(table.frame));
    const report = time('validate: validateDataset (config rules, no profile)', () =>
      validateDataset({ records: all, schema: table.schema, target: config.target, rules: config.validation, exclude: config.features.exclude }));
    // Resampling repeats each name ~100 times with its outcome, so validation rightly calls name a leak
    // here; the bench goes on, as it measures time.
    const errors = report.findings.filter((finding) => finding.severity === 'error').map((finding) => `${finding.check} ${finding.column ?? ''}`);
    const { column, positive, keep } = config.target;
    // As the activities do: keep successful/failed (activities/labelled-data.ts), then the seeded stratified split.
    const { train, holdout } = time('split: keep successful/failed, stratified 80/20', () => {
      const records = all.filter((record) => keep!.includes(String(record[column])));
      const labels = records.map((record) => (String(record[column]) === positive ? 1 : 0));
      const split = stratifiedSplit(labels, { testFraction: config.split.testFraction, seed: config.split.seed });
      return { train: split.train.map((row) => records[row]!), holdout: split.test.map((row) => records[row]!) };
    });
    const inputs = table.schema
      .filter(({ name }) => name !== column && !config.features.exclude.includes(name))
      .map(({ name, type }) => ({ name, kind: type === 'number' ? ('numeric' as const) : ('categorical' as const) }));
    const target = { column, positive, negative: 'failed' };

    const fitAndTransform = (label: string, options: FitOptions) => {
      const fitted = time(`fit (${label}) on ${train.length} training rows`, () => fitTrainingFeatures(train, inputs, target, options));
      time(`transform (${label}) of ${holdout.length} holdout rows`, () => fitted.pipeline.transform(holdout));
      return fitted;
    };
    const configured = fitAndTransform('config steps', config.features);
    const total = stages.reduce((sum, [, s]) => sum + s, 0);
    const plain = fitAndTransform('v1 baseline: one-hot only', { maxCategories: config.features.maxCategories, imbalance: 'none' });

    // One raw record as the API receives it: every value as text.
    const raw = toRecords(table.frame.head(SINGLE_RECORDS)).map((record) => Object.fromEntries(Object.entries(record).map(([key, value]) => [key, value === null ? null : String(value)])) as RawRecord);
    const perRecord = (run: (record: RawRecord) => void) => {
      for (const record of raw.slice(0, 2000)) run(record); // warm-up
      return median(raw.map((record) => {
        const started = process.hrtime.bigint();
        run(record);
        return Number(process.hrtime.bigint() - started) / 1000;
      }));
    };
    const out = new Float32Array(configured.pipeline.featureCount);
    const plainOut = new Float32Array(plain.pipeline.featureCount);
    const schema = recordSchema(configured.pipeline.inputs);
    const single = [
      ['transformInto, config steps', perRecord((record) => configured.pipeline.transformInto(record, out))],
      ['transformInto, v1 baseline (one-hot only)', perRecord((record) => plain.pipeline.transformInto(record, plainOut))],
      ['API record-schema check (zod) of the same record', perRecord((record) => schema.parse(record))],
    ] as const;

    console.log(`\n### Feature pipeline, ${ROWS.toLocaleString('en')} Kickstarter-shaped rows (resampled, bench only)\n`);
    console.log('| stage | seconds |');
    console.log('| --- | ---: |');
    for (const [name, s] of stages) console.log(`| ${name} | ${s.toFixed(2)} |`);
    console.log(`| **ingest + validate + split + fit + transform (config steps)** | **${total.toFixed(2)}** (target ≤ 30) |`);
    console.log(`\nvalidation errors (expected from resampling): ${errors.join(', ') || 'none'}`);
    console.log(`config pipeline: ${configured.pipeline.featureCount} features from ${configured.pipeline.inputs.length} inputs; v1 baseline: ${plain.pipeline.featureCount} features\n`);
    console.log(`### One raw record (text values, as the API receives them), median of ${SINGLE_RECORDS.toLocaleString('en')}\n`);
    console.log('| operation | µs |');
    console.log('| --- | ---: |');
    for (const [name, us] of single) console.log(`| ${name} | ${us.toFixed(2)} |`);
    console.log('\ntarget: transformInto with the config steps ≤ 50 µs median');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
