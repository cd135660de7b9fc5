import path from 'node:path';
import { InputError } from './errors';

/** Where Kiln keeps its local state by default: `var/` under the checkout (or under KILN_HOME). */
export const projectRoot = path.resolve(__dirname, '..');

/** What the worker, the API and the CLI read from the environment (see the README's table). */
export interface KilnSettings {
  temporalAddress: string;
  temporalNamespace: string;
  taskQueue: string;
  /** `sqlite:<path>` or `postgres://…` */
  databaseUrl: string;
  artifactsDir: string;
  port: number;
  adminToken?: string;
  /** Base URL of the Temporal Web UI, for links printed by the CLI and stored with runs. */
  temporalUiUrl: string;
  /** The model `POST /predict` serves when no name is given. */
  defaultModel?: string;
  /** Origins browsers may call the API from (KILN_CORS_ORIGINS, comma-separated, `*` for any); none by default. */
  corsOrigins: string[];
  varDir: string;
}

/** Reads settings from the environment; a malformed value is an InputError naming the variable. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env): KilnSettings {
  const home = env.KILN_HOME ? path.resolve(env.KILN_HOME) : projectRoot;
  const varDir = path.join(home, 'var');
  const temporalAddress = env.TEMPORAL_ADDRESS || 'localhost:7233';
  const temporalPort = parsePort('TEMPORAL_ADDRESS', temporalAddress.split(':').pop() ?? '');
  return {
    temporalAddress,
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.KILN_TASK_QUEUE || 'kiln',
    databaseUrl: env.DATABASE_URL || `sqlite:${path.join(varDir, 'kiln.sqlite')}`,
    artifactsDir: path.resolve(env.KILN_ARTIFACTS || path.join(varDir, 'artifacts')),
    port: env.PORT === undefined || env.PORT === '' ? 8000 : parsePort('PORT', env.PORT),
    adminToken: env.KILN_ADMIN_TOKEN || undefined,
    // The dev server puts its UI 1000 above the frontend port unless told otherwise.
    temporalUiUrl: env.KILN_TEMPORAL_UI_URL || `http://localhost:${temporalPort + 1000}`,
    defaultModel: env.KILN_DEFAULT_MODEL || undefined,
    corsOrigins: (env.KILN_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
    varDir,
  };
}

function parsePort(name: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InputError(`${name}: expected a port number from 0 to 65535, got "${value}"`, { variable: name, value });
  }
  return port;
}

/** Link to one workflow run in the Temporal Web UI. */
export function workflowUiLink(settings: Pick<KilnSettings, 'temporalUiUrl' | 'temporalNamespace'>, workflowId: string, runId?: string): string {
  const base = `${settings.temporalUiUrl}/namespaces/${encodeURIComponent(settings.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return runId ? `${base}/${encodeURIComponent(runId)}/history` : base;
}
