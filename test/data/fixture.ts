import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pl from 'nodejs-polars';
import { createDataActivities } from '../../activities/data';
import { openResources, type KilnResources } from '../../lib/resources';
import type { ListedSourceConfig, SourceConfig } from '../../models/data/source-config';

/** A temp folder with a SQLite registry and an artifact store, and the data activities on them. */
export interface IngestFixture {
  dir: string;
  resources: KilnResources;
  activities: ReturnType<typeof createDataActivities>;
  /** Writes a file into the temp folder and returns its path. */
  write(name: string, content: string | Uint8Array): string;
  close(): Promise<void>;
}

export async function ingestFixture(): Promise<IngestFixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-ingest-'));
  const resources = await openResources({ databaseUrl: `sqlite:${path.join(dir, 'kiln.sqlite')}`, artifactsDir: path.join(dir, 'artifacts') });
  return {
    dir,
    resources,
    activities: createDataActivities(resources),
    write(name, content) {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
    async close() {
      await resources.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A source with the config's defaults filled in, as parsing the config would give it. */
export function csv(path: string, options: Partial<Extract<SourceConfig, { type: 'csv' }>> = {}): Extract<SourceConfig, { type: 'csv' }> {
  return { type: 'csv', path, delimiter: ',', quote: '"', encoding: 'utf8', ...options };
}

export function listed<T extends SourceConfig>(source: T, join?: ListedSourceConfig['join']): ListedSourceConfig {
  return { ...source, ...(join && { join }) } as ListedSourceConfig;
}

/** Six customers: an id, a plan, a monthly amount (one missing), a signup date and whether they churned. */
export const customersCsv = [
  'id,plan,amount,signed_up,churned',
  '1,basic,10.5,2024-01-03,no',
  '2,pro,99,2024-01-15,yes',
  '3,basic,,2024-02-01,no',
  '4,plus,42.25,2024-02-20,no',
  '5,pro,120,2024-03-05,yes',
  '6,basic,8,2024-03-30,no',
].join('\n');

/** The same customers as a typed frame, the way a Parquet or JSON-lines writer would hold them. */
export function customersFrame(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series('id', [1, 2, 3, 4, 5, 6], pl.Int64),
    pl.Series('plan', ['basic', 'pro', 'basic', 'plus', 'pro', 'basic'], pl.Utf8),
    pl.Series('amount', [10.5, 99, null, 42.25, 120, 8], pl.Float64),
    pl.Series('signed_up', ['2024-01-03', '2024-01-15', '2024-02-01', '2024-02-20', '2024-03-05', '2024-03-30'], pl.Utf8),
    pl.Series('churned', ['no', 'yes', 'no', 'no', 'yes', 'no'], pl.Utf8),
  ]);
}

/** The customers as JSON lines. */
export function customersJsonl(): string {
  return `${(customersFrame().toRecords() as Array<Record<string, unknown>>).map((record) => JSON.stringify(record)).join('\n')}\n`;
}
