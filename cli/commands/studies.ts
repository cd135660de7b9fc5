import type { Command } from 'commander';
import { createStudyStore, type StudyRecord, type StudyStore } from '../../db';
import { decodeNumber, type TrialJson } from '../../models/tuning';
import { loadSettings, workflowUiLink } from '../../lib/settings';
import { withResources } from '../resources';
import { formatTable } from '../table';

/** Runs `work` against the study store of the current settings, closing the database afterwards. */
function withStudies<T>(work: (studies: StudyStore) => Promise<T>): Promise<T> {
  return withResources((resources) => work(createStudyStore(resources.db)));
}

const value = (v: number | null | undefined) => (v === null || v === undefined ? '' : Number.isFinite(v) ? v.toFixed(4) : String(v));
const seconds = (trial: TrialJson) => (trial.startedAt !== null && trial.completedAt !== null ? ((trial.completedAt - trial.startedAt) / 1000).toFixed(1) : '');
const shortParam = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(4) : String(v));

/** The study's header lines and one row per trial, its parameters as columns. */
export function formatStudy(study: StudyRecord, trials: TrialJson[], link: string): string {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const finished = trials.filter((t) => ['COMPLETE', 'PRUNED', 'FAIL'].includes(t.state)).length;
  return [
    `study ${study.name}  model: ${study.modelName}  state: ${study.state}${study.attrs.stop_reason ? ` (${String(study.attrs.stop_reason)})` : ''}  ${study.direction}`,
    `trials: ${finished} finished of ${trials.length}  best: ${study.bestTrialNumber === null ? 'none yet' : `trial ${study.bestTrialNumber}, ${value(study.bestValue)}`}`,
    `sampler: ${JSON.stringify(study.sampler)}  pruner: ${JSON.stringify(study.pruner)}`,
    `workflow: ${study.workflowId}\n  ${link}`,
    '',
    formatTable(
      ['trial', 'state', 'value', 'rounds', 'seconds', ...names],
      trials.map((t) => [
        t.number === study.bestTrialNumber ? `${t.number} *` : t.number,
        t.state,
        value(t.value === null ? null : decodeNumber(t.value)),
        t.systemAttrs.best_rounds === undefined ? '' : String(t.systemAttrs.best_rounds),
        seconds(t),
        ...names.map((name) => (name in t.params ? shortParam(t.params[name]) : '')),
      ]),
    ),
  ].join('\n');
}

export function registerStudiesCommand(program: Command): void {
  const studies = program.command('studies').description('hyper-parameter studies: their trials, best value and state');

  studies
    .command('list')
    .description('studies, newest first')
    .option('--model <name>', 'only the studies of this model')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print JSON')
    .action((options: { model?: string; limit: string; json?: boolean }) =>
      withStudies(async (store) => {
        const found = await store.listStudies({ modelName: options.model, limit: parseLimit(options.limit) });
        if (options.json) return console.log(JSON.stringify(found, null, 2));
        console.log(
          formatTable(
            ['study', 'model', 'state', 'complete', 'pruned', 'failed', 'running', 'best', 'best trial', 'updated'],
            found.map((s) => [
              s.name, s.modelName, s.state, s.trialCounts.COMPLETE, s.trialCounts.PRUNED, s.trialCounts.FAIL, s.trialCounts.RUNNING,
              value(s.bestValue), s.bestTrialNumber ?? '', s.updatedAt,
            ]),
          ),
        );
      }),
    );

  studies
    .command('show <name>')
    .description('one study: its trials with their parameters, values and rounds (* marks the best)')
    .option('--json', 'print JSON')
    .option('--watch [seconds]', 'print it again every few seconds (default 2) while it runs')
    .action((name: string, options: { json?: boolean; watch?: string | true }) =>
      withStudies(async (store) => {
        const every = options.watch === undefined ? undefined : options.watch === true ? 2 : Number(options.watch);
        if (every !== undefined && !(every > 0)) throw new Error(`--watch: expected a number of seconds, got "${options.watch}"`);
        for (;;) {
          const { study, trials } = await store.getStudy(name);
          const link = workflowUiLink(loadSettings(), study.workflowId);
          console.log(options.json ? JSON.stringify({ ...study, temporalUi: link, trials }, null, 2) : formatStudy(study, trials, link));
          if (every === undefined || study.state !== 'running') return;
          await new Promise((resolve) => setTimeout(resolve, every * 1000));
          if (!options.json) console.log('');
        }
      }),
    );
}

function parseLimit(text: string): number {
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit: expected a positive whole number, got "${text}"`);
  return limit;
}
