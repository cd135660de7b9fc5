// Worker threads start without the parent's loaders; register tsx so the TypeScript entry point loads.
require('tsx/cjs');
require('./prediction-log-thread-worker.ts');
