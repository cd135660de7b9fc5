import { concurrencyContract } from './concurrency.contract';
import { datasetValidationsContract } from './dataset-validations.contract';
import { engines, startupMs, type TestEngine } from './engines';
import { migrationContract } from './migrations.contract';
import { registryContract } from './registry.contract';
import { runsContract } from './runs.contract';

// The same contract on every engine: SQLite (the default) and PostgreSQL, started once for the suite.
for (const spec of engines) {
  describe(`registry database on ${spec.name}`, function () {
    let engine: TestEngine | undefined;
    before(async function () {
      this.timeout(60_000);
      engine = await spec.start();
      if (startupMs[spec.name] !== undefined) console.log(`      (${spec.name} started in ${startupMs[spec.name]} ms)`);
    });
    after(() => engine?.close());
    const current = (): TestEngine => {
      if (!engine) throw new Error(`${spec.name} did not start`);
      return engine;
    };

    migrationContract(current);
    registryContract(current);
    concurrencyContract(current);
    runsContract(current);
    datasetValidationsContract(current);
  });
}
