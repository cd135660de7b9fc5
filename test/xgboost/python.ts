import { execFileSync } from 'node:child_process';

let found: string | undefined;

/**
 * The Python interpreter that can import Debian's python3-xgboost. `KILN_PYTHON` wins;
 * then /usr/bin/python3 (a pyenv shim earlier on PATH may lack numpy); then `python3`.
 */
export function pythonWithXGBoost(): string {
  if (found !== undefined) return found;
  const candidates = [process.env.KILN_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['-c', 'import numpy, xgboost'], { stdio: 'pipe' });
      found = candidate;
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(`no Python with xgboost and numpy among ${candidates.join(', ')}: apt-get install python3-xgboost`);
}
