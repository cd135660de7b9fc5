import { encoderFeatureNames } from './encoders';
import type { FeaturePipelineState, FittedEncoder } from './state';
import { columnStep } from './steps';

/**
 * The state without some features (by index): a one-hot column loses the dropped levels, other
 * encoders go whole; then steps that feed no remaining feature go, and inputs that nothing reads —
 * so serving neither computes nor asks for what the model does not use.
 */
export function withoutFeatures(state: FeaturePipelineState, dropped: ReadonlySet<number>): FeaturePipelineState {
  const encoders: FittedEncoder[] = [];
  let offset = 0;
  for (const encoder of state.encoders) {
    if (encoder.type === 'onehot') {
      const levels = encoder.levels.filter((_, i) => !dropped.has(offset + i));
      if (levels.length > 0) encoders.push({ ...encoder, levels });
    } else if (!dropped.has(offset)) {
      encoders.push(encoder);
    }
    offset += encoderFeatureNames(encoder).length;
  }
  const needed = new Set(encoders.map((encoder) => encoder.column));
  const steps = [...state.steps].reverse().filter((step) => {
    const kind = columnStep(step);
    if (!kind.writes(step).some((name) => needed.has(name))) return false;
    for (const name of kind.reads(step)) needed.add(name);
    return true;
  }).reverse();
  return {
    ...state,
    inputs: state.inputs.filter(({ name }) => needed.has(name)),
    steps,
    encoders,
    featureNames: encoders.flatMap(encoderFeatureNames),
  };
}
