import { defineSearchAttributeKey } from '@temporalio/common';

// Search attributes make runs filterable in the Temporal Web UI (e.g. `KilnModel = "telco-churn"`).
// lib/search-attributes.ts registers them on the server before the first run starts.
export const modelNameKey = defineSearchAttributeKey('KilnModel', 'KEYWORD');
export const datasetVersionKey = defineSearchAttributeKey('KilnDatasetVersion', 'KEYWORD');
/** promoted | kept-production | failed | cancelled */
export const outcomeKey = defineSearchAttributeKey('KilnOutcome', 'KEYWORD');

export const kilnSearchAttributeKeys = [modelNameKey, datasetVersionKey, outcomeKey];
