#!/usr/bin/env node
// The `kiln` command. tsx compiles the TypeScript sources on load, so the checkout runs without a build step.
require('tsx/cjs');
require('../cli/main.ts');
