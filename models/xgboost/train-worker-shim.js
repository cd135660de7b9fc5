// Worker threads start without the parent's loaders; register tsx so the TypeScript
// entry point (and the modules it imports) can be required.
require('tsx/cjs');
require('./train-worker.ts');
