export {
  computeDrift,
  populationStabilityIndex,
  driftLevel,
  DEFAULT_DRIFT_THRESHOLDS,
  type DriftBaseline,
  type DriftRow,
  type DriftBin,
  type DriftLevel,
  type DriftOptions,
  type DriftReport,
  type DriftThresholds,
  type ColumnDrift,
} from './drift';
export { driftBaseline } from './baseline';
export { summarizeTraffic, trafficSince, type TrafficRow, type TrafficSummary, type TrafficMinute, type LatencyPercentiles } from './traffic';
