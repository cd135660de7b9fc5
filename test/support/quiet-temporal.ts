// Loaded by mocha before any test: the Temporal SDK logs warnings and errors only, keeping test output readable.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
