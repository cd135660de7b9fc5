import type { Knex } from 'knex';
import { NotFoundError } from '../lib/errors';
import { trialStates, type Params, type StudySnapshot, type TrialJson, type TrialState } from '../models/tuning';
import { checkName, checkText } from './registry-input';
import { nowIso } from './registry-rows';
import {
  studyHeaderColumns, toStudyRecord, toTrialJson, toTrialRow,
  type StudyHeader, type StudyRecord, type StudyRow, type StudySummary, type TrialRow,
} from './study-rows';

export interface SaveStudyInput {
  header: StudyHeader;
  /** Grows with every save of one study: a save older than the stored one changes nothing. */
  revision: number;
  /** The trials to write, new or changed; the others stay as stored. */
  trials: readonly TrialJson[];
}

export interface ListStudiesOptions {
  modelName?: string;
  /** Default 50. */
  limit?: number;
}

export interface BestTrialsOfPreviousStudy {
  study: string;
  trials: Array<{ number: number; value: number; params: Params }>;
}

// SQLite caps bound variables per statement: 9 columns × 100 rows stays well inside it.
const trialsPerInsert = 100;

/**
 * Studies and their trials in the database: written by the tuning workflow's mirror activity (and by
 * `openDatabaseTrialStore`), read by trials for pruning, by `kiln studies`, and by warm starts.
 *
 * @example
 * const studies = createStudyStore(db);
 * await studies.saveStudy({ header, revision: 1, trials: [trialToJSON(trial)] });   // idempotent
 * const study = restoreStudy(await studies.loadSnapshot('telco-churn/run-1'));
 */
export function createStudyStore(db: Knex) {
  const findStudy = async (name: string): Promise<StudyRecord | undefined> => {
    checkText('study', name);
    const row = await db<StudyRow>('studies').where({ name }).first();
    return row ? toStudyRecord(row) : undefined;
  };

  const getStudy = async (name: string): Promise<{ study: StudyRecord; trials: TrialJson[] }> => {
    const study = await findStudy(name);
    if (!study) throw new NotFoundError(`no study named "${name}"`, { study: name });
    const trials = (await db<TrialRow>('trials').where({ study_id: study.id }).orderBy('number')).map(toTrialJson);
    return { study, trials };
  };

  return {
    /**
     * Upserts the study row and the given trials, keyed by name and by (study, trial number), in one
     * transaction: a retried or replayed save writes the same rows again, never new ones. A finished trial
     * is final (an older save cannot turn it back to RUNNING), and the best trial is recomputed from the
     * stored ones. Returns false when a newer revision was already stored (nothing written).
     */
    async saveStudy({ header, revision, trials }: SaveStudyInput): Promise<{ applied: boolean }> {
      checkText('study', header.name);
      checkName('modelName', header.modelName);
      const now = nowIso();
      return db.transaction(async (trx) => {
        // A write first: on SQLite it takes the write lock now instead of failing to upgrade a read lock later.
        await trx('studies')
          .insert({ ...studyHeaderColumns(header), revision, best_trial_number: null, best_value: null, created_at: now, updated_at: now })
          .onConflict('name')
          .merge([...Object.keys(studyHeaderColumns(header)), 'revision', 'updated_at'])
          .where('studies.revision', '<=', revision);
        const study = (await trx<StudyRow>('studies').where({ name: header.name }).first())!;
        if (Number(study.revision) !== revision) return { applied: false };

        const rows = trials.map((trial) => toTrialRow(study.id, trial));
        for (let start = 0; start < rows.length; start += trialsPerInsert) {
          await trx('trials')
            .insert(rows.slice(start, start + trialsPerInsert))
            .onConflict(['study_id', 'number'])
            .merge()
            .whereRaw("trials.state IN ('WAITING', 'RUNNING') OR trials.state = excluded.state");
        }
        const best = await trx<TrialRow>('trials')
          .where({ study_id: study.id, state: 'COMPLETE' })
          .orderBy([{ column: 'value', order: header.direction === 'maximize' ? 'desc' : 'asc' }, { column: 'number', order: 'asc' }])
          .first('number', 'value');
        await trx('studies').where({ id: study.id }).update({ best_trial_number: best?.number ?? null, best_value: best?.value ?? null });
        return { applied: true };
      });
    },

    /** The study, or undefined when none has this name. */
    findStudy,

    /** The study and its trials in number order; NotFoundError for an unknown name. */
    getStudy,

    /** Everything `restoreStudy` needs to rebuild the study as stored (for pruning, resuming). */
    async loadSnapshot(name: string): Promise<StudySnapshot> {
      const { study, trials } = await getStudy(name);
      return {
        format: 'kiln.study/1', name: study.name, direction: study.direction, space: study.space,
        sampler: study.sampler, pruner: study.pruner, store: { studyAttrs: study.attrs, trials },
      };
    },

    /** Newest first, with trial counts per state. */
    async listStudies({ modelName, limit = 50 }: ListStudiesOptions = {}): Promise<StudySummary[]> {
      if (modelName !== undefined) checkName('modelName', modelName);
      const query = db<StudyRow>('studies').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
      if (modelName !== undefined) query.where({ model_name: modelName });
      const studies = (await query).map(toStudyRecord);
      const counts: Array<{ study_id: number; state: TrialState; count: string | number }> = studies.length
        ? await db('trials').whereIn('study_id', studies.map((s) => s.id)).groupBy('study_id', 'state').select('study_id', 'state').count({ count: '*' })
        : [];
      return studies.map((study) => {
        const trialCounts = Object.fromEntries(trialStates.map((state) => [state, 0])) as Record<TrialState, number>;
        for (const c of counts) if (Number(c.study_id) === study.id) trialCounts[c.state] = Number(c.count);
        return { ...study, trialCounts };
      });
    },

    /**
     * The best `count` completed trials of the model's latest other study that completed any: what a
     * retraining study enqueues first (a warm start). Undefined when there is none.
     */
    async bestTrialsOfPreviousStudy(modelName: string, { exclude, count }: { exclude: string; count: number }): Promise<BestTrialsOfPreviousStudy | undefined> {
      checkName('modelName', modelName);
      const row = await db<StudyRow>('studies')
        .where({ model_name: modelName })
        .whereNot({ name: exclude })
        .whereExists(db('trials').whereRaw('trials.study_id = studies.id').where({ state: 'COMPLETE' }))
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .first();
      if (!row) return undefined;
      const trials = await db<TrialRow>('trials')
        .where({ study_id: row.id, state: 'COMPLETE' })
        .orderBy([{ column: 'value', order: row.direction === 'maximize' ? 'desc' : 'asc' }, { column: 'number', order: 'asc' }])
        .limit(count);
      return { study: row.name, trials: trials.map(toTrialJson).map((t) => ({ number: t.number, value: Number(t.value), params: t.params as Params })) };
    },
  };
}

export type StudyStore = ReturnType<typeof createStudyStore>;
