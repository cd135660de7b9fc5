import { InputError } from '../../lib/errors';
import type { FeaturesConfig, FeatureStepConfig } from './config';
import type { EncoderSpec } from './encoders';
import type { FittedStep, InputColumn, InputKind } from './state';

/** The config's steps checked against the input columns: one step per column, kinds known, nothing fitted yet. */
export interface Plan {
  /** The inputs with their kinds as the steps read them (a text column read by a date step is a date). */
  inputs: InputColumn[];
  /** Steps to fit in order; learned fields (impute's value, clip's bounds) are placeholders. `path` names the config field. */
  steps: Array<{ step: FittedStep; path: string }>;
  encoders: EncoderSpec[];
}

interface ColumnRef {
  name: string;
  /** The config field naming the column, e.g. `features.steps[2].columns[1]`. */
  path: string;
}

/** Every column a step names, with the field that names it. */
function columnRefs(step: FeatureStepConfig, at: string): ColumnRef[] {
  switch (step.type) {
    case 'ratio':
      return [{ name: step.numerator, path: `${at}.numerator` }, { name: step.denominator, path: `${at}.denominator` }];
    case 'days_between':
      return [{ name: step.start, path: `${at}.start` }, { name: step.end, path: `${at}.end` }];
    default:
      return step.column !== undefined ? [{ name: step.column, path: `${at}.column` }] : step.columns!.map((name, j) => ({ name, path: `${at}.columns[${j}]` }));
  }
}

/** The kind a step needs its columns read as, when that decides how a text column is parsed. */
const parsedAs = (step: FeatureStepConfig): InputKind | undefined =>
  step.type === 'date_parts' || step.type === 'days_between' ? 'date' : step.type === 'text_stats' ? 'text' : undefined;

/**
 * Checks the steps against the inputs and orders the work. Errors are InputErrors naming the config
 * field, e.g. `features.steps[2].column: "foo" is not a column (…)`.
 */
export function resolvePlan(config: Pick<FeaturesConfig, 'steps' | 'maxCategories'>, inputs: readonly InputColumn[], targetColumn: string): Plan {
  const stepsWithPaths = config.steps.map((step, i) => ({ step, at: `features.steps[${i}]` }));

  // Text columns become dates or free text when a step reads them so; the first such step decides.
  const kinds = new Map(inputs.map(({ name, kind }) => [name, kind]));
  const decidedBy = new Map<string, string>();
  for (const { step, at } of stepsWithPaths) {
    const kind = parsedAs(step);
    if (!kind) continue;
    for (const ref of columnRefs(step, at)) {
      const earlier = decidedBy.get(ref.name);
      if (earlier !== undefined && kinds.get(ref.name) !== kind) {
        throw new InputError(`${ref.path}: "${ref.name}" is read as ${kinds.get(ref.name)} by ${earlier}, so it cannot be read as ${kind} here`, { field: ref.path });
      }
      if (kinds.get(ref.name) === 'categorical') {
        kinds.set(ref.name, kind);
        decidedBy.set(ref.name, ref.path);
      }
    }
  }

  const columns = new Map(kinds);
  const derived: string[] = [];
  const need = (ref: ColumnRef, allowed: InputKind[], what: string): InputKind => {
    const kind = columns.get(ref.name);
    if (kind === undefined) {
      const why = ref.name === targetColumn ? 'is the target, never a feature' : `is not a column (inputs: ${inputs.map((c) => c.name).join(', ')}${derived.length ? `; made by earlier steps: ${derived.join(', ')}` : ''})`;
      throw new InputError(`${ref.path}: "${ref.name}" ${why}`, { field: ref.path });
    }
    if (!allowed.includes(kind)) throw new InputError(`${ref.path}: "${ref.name}" is ${kind}; ${what} needs a ${allowed.join(' or ')} column`, { field: ref.path });
    return kind;
  };
  const add = (name: string, path: string) => {
    if (columns.has(name) || name === targetColumn) throw new InputError(`${path}: "${name}" is already a column; name the new one differently`, { field: path });
    columns.set(name, 'numeric');
    derived.push(name);
  };

  const steps: Plan['steps'] = [];
  const encodersOf = new Map<string, EncoderSpec[]>();
  const encode = (column: string, spec: EncoderSpec) => encodersOf.set(column, [...(encodersOf.get(column) ?? []), spec]);
  for (const { step, at } of stepsWithPaths) {
    if (step.type === 'ratio') {
      need({ name: step.numerator, path: `${at}.numerator` }, ['numeric'], 'ratio');
      need({ name: step.denominator, path: `${at}.denominator` }, ['numeric'], 'ratio');
      const as = step.as ?? `${step.numerator}_per_${step.denominator}`;
      add(as, `${at}.as`);
      steps.push({ step: { type: 'ratio', numerator: step.numerator, denominator: step.denominator, as }, path: at });
      continue;
    }
    if (step.type === 'days_between') {
      need({ name: step.start, path: `${at}.start` }, ['date'], 'days_between');
      need({ name: step.end, path: `${at}.end` }, ['date'], 'days_between');
      const as = step.as ?? `days_${step.start}_to_${step.end}`;
      add(as, `${at}.as`);
      steps.push({ step: { type: 'days_between', start: step.start, end: step.end, as }, path: at });
      continue;
    }
    for (const ref of columnRefs(step, at)) {
      const column = ref.name;
      switch (step.type) {
        case 'impute': {
          const kind = need(ref, ['numeric', 'categorical'], 'impute');
          const strategy = step.strategy ?? (kind === 'numeric' ? 'median' : 'mode');
          if (strategy === 'median' && kind !== 'numeric') throw new InputError(`${at}.strategy: median needs a numeric column; "${column}" is ${kind}`, { field: `${at}.strategy` });
          if (strategy === 'constant' && kind === 'numeric' && typeof step.value !== 'number') {
            throw new InputError(`${at}.value: "${column}" is numeric, so its fill value must be a number, got ${JSON.stringify(step.value)}`, { field: `${at}.value` });
          }
          const indicator = step.indicator ? `${column}_missing` : undefined;
          if (indicator) add(indicator, `${at}.indicator`);
          const value = strategy === 'constant' ? (kind === 'numeric' ? step.value! : String(step.value)) : NaN;
          steps.push({ step: { type: 'impute', column, strategy, value, ...(indicator && { indicator }) }, path: ref.path });
          break;
        }
        case 'log1p':
          need(ref, ['numeric'], 'log1p');
          steps.push({ step: { type: 'log1p', column }, path: ref.path });
          break;
        case 'clip':
          need(ref, ['numeric'], 'clip');
          steps.push({ step: { type: 'clip', column, quantiles: step.quantiles, low: NaN, high: NaN }, path: ref.path });
          break;
        case 'date_parts': {
          need(ref, ['date'], 'date_parts');
          const as = step.parts.map((part) => `${column}_${part}`);
          for (const name of as) add(name, `${at}.parts`);
          steps.push({ step: { type: 'date_parts', column, parts: step.parts, as }, path: ref.path });
          break;
        }
        case 'text_stats': {
          need(ref, ['text'], 'text_stats');
          const as = step.stats.map((stat) => `${column}_${stat}`);
          for (const name of as) add(name, `${at}.stats`);
          steps.push({ step: { type: 'text_stats', column, stats: step.stats, as }, path: ref.path });
          break;
        }
        case 'onehot':
          need(ref, ['categorical'], 'onehot');
          encode(column, { type: 'onehot', column, maxCategories: step.maxCategories ?? config.maxCategories });
          break;
        case 'frequency':
          need(ref, ['categorical'], 'frequency');
          encode(column, { type: 'frequency', column });
          break;
        case 'target_encode':
          need(ref, ['categorical'], 'target_encode');
          encode(column, { type: 'target', column, folds: step.folds, smoothing: step.smoothing });
          break;
      }
    }
  }

  // Feature order: inputs in dataset order, then derived columns in the order steps made them.
  const encoders: EncoderSpec[] = [];
  for (const [name, kind] of columns) {
    if (kind === 'numeric') encoders.push({ type: 'number', column: name });
    else if (kind === 'categorical') encoders.push(...(encodersOf.get(name) ?? [{ type: 'onehot', column: name, maxCategories: config.maxCategories }]));
  }
  return { inputs: inputs.map(({ name }) => ({ name, kind: kinds.get(name)! })), steps, encoders };
}
