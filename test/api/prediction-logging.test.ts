import assert from 'node:assert/strict';
import fs from 'node:fs';
import { telcoApp, telcoCsv, telcoRecords, type TelcoApp } from './telco-model';

// Every answered prediction becomes one log row holding the record that was scored, whatever the shape of
// the request: the API queues the body's JSON text and the log turns it into rows (see RequestLog).
describe('prediction log rows of single, JSON batch and CSV batch requests', function () {
  this.timeout(120_000);
  let served: TelcoApp;
  before(async () => (served = await telcoApp()));
  after(() => served.close());

  const post = (route: string, body: string, requestId: string, contentType = 'application/json') =>
    served.app.request(route, { method: 'POST', headers: { 'content-type': contentType, 'x-request-id': requestId }, body });

  /** The logged rows of a request, by item, after the writer has written them. */
  const logged = async (requestId: string) => {
    await served.writer.flush();
    const rows = await served.resources.db('predictions').where({ request_id: requestId }).orderBy('item').select('item', 'inputs_json', 'probability', 'prediction', 'model_version');
    return rows.map((row) => ({ item: row.item, inputs: JSON.parse(row.inputs_json), probability: row.probability, prediction: row.prediction, version: row.model_version }));
  };

  it('logs what each request answered, with the inputs it scored, and no row for a bad record', async () => {
    const [first, second, third] = telcoRecords();
    const single = await post('/predict', `  ${JSON.stringify({ ...first, customer: 'c-1' })}\n`, 'log-single');
    const answer = (await single.json()) as { probability: number; prediction: string; model_version: number };
    assert.deepEqual(await logged('log-single'), [{ item: 0, inputs: { ...first, customer: 'c-1' }, probability: answer.probability, prediction: answer.prediction, version: answer.model_version }]);

    const batch = await post('/predict/batch', JSON.stringify([first, { ...second, tenure: 'n/a' }, third]), 'log-batch');
    const { results } = (await batch.json()) as { results: Array<{ index: number; probability?: number; prediction?: string }> };
    assert.deepEqual(
      await logged('log-batch'),
      [0, 2].map((item) => ({ item, inputs: [first, second, third][item], probability: results[item]!.probability, prediction: results[item]!.prediction, version: answer.model_version })),
    );

    const lines = fs.readFileSync(telcoCsv, 'utf8').split('\n');
    const csv = await post('/predict/batch', [lines[0], lines[1], lines[2]!.replace(',34,', ',thirty-four,'), lines[3]].join('\n') + '\n', 'log-csv', 'text/csv');
    const csvResults = ((await csv.json()) as { results: Array<{ probability?: number }> }).results;
    const rows = await logged('log-csv');
    assert.deepEqual(rows.map((row) => [row.item, row.probability]), [[0, csvResults[0]!.probability], [2, csvResults[2]!.probability]]);
    // A CSV row is logged as the record its columns make (values as the file has them).
    assert.equal(rows[1]!.inputs.customerID, lines[3]!.split(',')[0]);
    assert.equal(Number(rows[1]!.inputs.tenure), third!.tenure);
  });
});
