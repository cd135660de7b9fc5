import type { ConnectionLike } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { kilnSearchAttributeKeys } from '../workflows/search-attributes';

const registered = new WeakMap<ConnectionLike, Set<string>>();

/**
 * Registers Kiln's search attributes in the namespace when they are missing (once per connection and
 * namespace): a workflow that sets an unregistered attribute would fail its workflow tasks.
 */
export async function ensureSearchAttributes(connection: ConnectionLike, namespace: string): Promise<void> {
  const done = registered.get(connection) ?? new Set<string>();
  registered.set(connection, done);
  if (done.has(namespace)) return;
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = kilnSearchAttributeKeys.filter((key) => !(key.name in (customAttributes ?? {})));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
    });
  }
  done.add(namespace);
}
