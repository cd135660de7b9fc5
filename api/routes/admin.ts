import crypto from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { Registry } from '../../db';
import { readJson } from '../errors';
import type { ApiEnv } from '../env';
import type { ModelCache } from '../model-cache';
import { fieldIssues } from '../record-schema';

const promoteSchema = z.strictObject({ version: z.number().int().min(1), reason: z.string().min(1) });
const rollbackSchema = z.strictObject({ reason: z.string().min(1), from_version: z.number().int().min(1).optional() });

/**
 * Bearer-token guard: KILN_ADMIN_TOKEN compared in constant time (as digests, so lengths leak nothing);
 * without a configured token the admin routes are off.
 */
function adminGuard(adminToken: string | undefined): MiddlewareHandler<ApiEnv> {
  const expected = adminToken ? crypto.createHash('sha256').update(adminToken).digest() : undefined;
  return async (c, next) => {
    if (!expected) return c.json({ error: 'admin routes are disabled: set KILN_ADMIN_TOKEN' }, 403);
    const header = c.req.header('authorization') ?? '';
    const given = crypto.createHash('sha256').update(header.startsWith('Bearer ') ? header.slice(7) : '').digest();
    if (!crypto.timingSafeEqual(given, expected)) return c.json({ error: 'a valid admin token is required (Authorization: Bearer <KILN_ADMIN_TOKEN>)' }, 401);
    await next();
  };
}

/** Admin: `POST /models/{name}/promote|rollback|reload`; changes are live at once in this process. */
export function adminRoutes({ registry, models, adminToken }: { registry: Registry; models: ModelCache; adminToken?: string }) {
  const guard = adminGuard(adminToken);
  const parse = async <T extends z.ZodType>(c: import('hono').Context<ApiEnv>, schema: T) => {
    const body = await readJson(c);
    const parsed = schema.safeParse(body);
    return parsed.success ? { data: parsed.data as z.output<T> } : { issues: fieldIssues(parsed.error, body) };
  };

  return new Hono<ApiEnv>()
    .post('/models/:name/promote', guard, async (c) => {
      const input = await parse(c, promoteSchema);
      if (!input.data) return c.json({ error: 'invalid promotion', issues: input.issues }, 422);
      const result = await registry.promote({ modelName: c.req.param('name'), version: input.data.version, reason: input.data.reason, actor: 'api:admin' });
      await models.refresh();
      return c.json(result);
    })
    .post('/models/:name/rollback', guard, async (c) => {
      const input = await parse(c, rollbackSchema);
      if (!input.data) return c.json({ error: 'invalid rollback', issues: input.issues }, 422);
      const result = await registry.rollback({ modelName: c.req.param('name'), fromVersion: input.data.from_version, reason: input.data.reason, actor: 'api:admin' });
      await models.refresh();
      return c.json(result);
    })
    .post('/models/:name/reload', guard, async (c) => {
      await models.refresh();
      const served = await models.get(c.req.param('name'));
      return c.json({ model: served.name, model_version: served.version.version });
    });
}
