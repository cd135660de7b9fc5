import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './settings';

/**
 * Which code a worker runs, recorded with every model version it registers: the git commit of the
 * checkout (with `-dirty` when files differ from it), else `KILN_CODE_VERSION` (set it when deploying
 * without `.git`, e.g. in an image), else `package.json`'s version. Compute it once at start.
 *
 * @example resolveCodeVersion() // 'f3a1…9c0d-dirty'
 */
export function resolveCodeVersion(root: string = projectRoot, env: NodeJS.ProcessEnv = process.env): string {
  if (fs.existsSync(path.join(root, '.git'))) {
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const commit = git('rev-parse', 'HEAD');
      return git('status', '--porcelain', '--untracked-files=no') === '' ? commit : `${commit}-dirty`;
    } catch {
      // git missing or the repository unreadable: fall through to what the deployment says.
    }
  }
  if (env.KILN_CODE_VERSION) return env.KILN_CODE_VERSION;
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return `package ${version}`;
}
