import assert from 'node:assert/strict';
import { createDatasetValidations } from '../../db';
import { registryFixture, type RegistryFixture, type TestEngine } from './engines';
import { isIsoTimestamp, seedDataset } from './helpers';

/** Validation reports kept with dataset versions: identical on every engine. */
export function datasetValidationsContract(engine: () => TestEngine): void {
  describe('dataset validations', () => {
    let f: RegistryFixture;
    let datasetId: string;
    beforeEach(async () => {
      f = await registryFixture(engine());
      datasetId = await seedDataset(f.registry);
    });
    afterEach(() => f?.destroy());

    const record = (rulesHash: string, ok: boolean, reportKey: string) =>
      createDatasetValidations(f.db).record({ datasetId, rulesHash, ok, errors: ok ? 0 : 2, warnings: 1, reportKey });

    it('keeps one row per dataset version and rules, the latest validation replacing an earlier one', async () => {
      const validations = createDatasetValidations(f.db);
      await record('rules-a', false, 'sha256/a1.json');
      await record('rules-b', true, 'sha256/b.json');
      await record('rules-a', true, 'sha256/a2.json');
      const listed = await validations.list(datasetId);
      assert.deepEqual(
        listed.map(({ rulesHash, ok, errors, warnings, reportKey }) => ({ rulesHash, ok, errors, warnings, reportKey })),
        [
          { rulesHash: 'rules-a', ok: true, errors: 0, warnings: 1, reportKey: 'sha256/a2.json' },
          { rulesHash: 'rules-b', ok: true, errors: 0, warnings: 1, reportKey: 'sha256/b.json' },
        ],
      );
      assert.ok(listed.every((v) => isIsoTimestamp(v.validatedAt) && v.datasetId === datasetId));
      assert.deepEqual(await validations.list('unknown@000000000000'), []);
    });

    it('refuses a validation of a dataset version that is not registered', async () => {
      await assert.rejects(createDatasetValidations(f.db).record({ datasetId: 'nope@000000000000', rulesHash: 'r', ok: true, errors: 0, warnings: 0, reportKey: 'k' }));
    });
  });
}
