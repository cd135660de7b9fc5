#!/usr/bin/env bash
# Installs what Kiln needs and is missing: npm packages, Debian's libxgboost, the Temporal CLI.
# Idempotent, and a no-op taking well under a second when everything is in place.
#   scripts/setup.sh          what the demo needs
#   scripts/setup.sh --test   also what the test suite needs (xgboost CLI, python3-xgboost, PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
temporal_cli_version=v1.5.1

say() { echo "[kiln setup] $*" >&2; }

want_test=false
[ "${1:-}" = "--test" ] && want_test=true

# --- Debian packages ------------------------------------------------------------------------
missing_debs=()
# grep without -q reads all input: with -q, ldconfig could die of SIGPIPE and pipefail would call the library missing.
"$(command -v ldconfig || echo /sbin/ldconfig)" -p | grep 'libxgboost\.so\.0' >/dev/null || missing_debs+=(libxgboost0)
# gcc and the C headers build the native forest evaluator below (gcc only recommends libc6-dev).
command -v gcc >/dev/null || missing_debs+=(gcc)
[ -f /usr/include/math.h ] || missing_debs+=(libc6-dev)
if $want_test; then
  command -v xgboost >/dev/null || missing_debs+=(xgboost)
  [ -f /usr/lib/python3/dist-packages/xgboost/__init__.py ] || missing_debs+=(python3-xgboost)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing_debs+=(postgresql)
fi
if [ ${#missing_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian packages: ${missing_debs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing_debs[@]}" >/dev/null
  else
    say "missing Debian packages: ${missing_debs[*]}"
    say "install them as root:  sudo apt-get install -y ${missing_debs[*]}"
    exit 1
  fi
fi

# --- Native forest evaluator (models/xgboost/native) -------------------------------------------
# Rebuilt only when the C source or the flags change (a stamp holds their hash). No -march: the kernel is
# scalar, so the x86-64 baseline is as fast and runs on any machine; never -ffast-math (results must
# stay bit-identical to libxgboost's).
forest_src=models/xgboost/native/forest.c
forest_lib=.tools/lib/libkiln-forest.so
forest_flags="-O3 -fPIC -shared -pthread -ffp-contract=off -Wall -Wextra"
forest_hash=$( { sha256sum "$forest_src"; echo "$forest_flags"; } | sha256sum | cut -d' ' -f1)
if [ ! -f "$forest_lib" ] || [ "$(cat "$forest_lib.sha256" 2>/dev/null)" != "$forest_hash" ]; then
  say "building the native forest evaluator ($forest_lib)"
  mkdir -p "$(dirname "$forest_lib")"
  # Built aside and moved into place, so a running process never maps a half-written library.
  # shellcheck disable=SC2086
  gcc $forest_flags -o "$forest_lib.tmp" "$forest_src" -lm
  mv -f "$forest_lib.tmp" "$forest_lib"
  echo "$forest_hash" > "$forest_lib.sha256"
fi

# --- npm packages -----------------------------------------------------------------------------
# A stamp of the lock file's hash tells whether node_modules matches it, so npm ci runs only when needed.
stamp=node_modules/.kiln-lock.sha256
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  # npm may skip polars' platform package (an optional dependency): fail here, not at first use.
  if ! node -e "require('nodejs-polars')" 2>/dev/null; then
    say "nodejs-polars cannot load its native package nodejs-polars-linux-x64-gnu; run: npm install nodejs-polars-linux-x64-gnu"
    exit 1
  fi
  echo "$lock_hash" > "$stamp"
fi

# --- Temporal CLI (a Go program, not on npm) ---------------------------------------------------
if ! command -v temporal >/dev/null && [ ! -x "$root/.tools/bin/temporal" ]; then
  command -v go >/dev/null || { say "Go is needed to build the Temporal CLI; install Go 1.22+ or put 'temporal' on PATH"; exit 1; }
  say "building the Temporal CLI $temporal_cli_version into .tools/bin (a few minutes, once)"
  mkdir -p "$root/.tools/bin"
  # Caches outside the checkout let a rebuild (a fresh clone, a wiped .tools) reuse downloaded modules and compiled packages.
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/kiln"
  GOTOOLCHAIN=local GOBIN="$root/.tools/bin" GOCACHE="$cache/go-build" \
    GOMODCACHE="$cache/go-mod" GOFLAGS="-modcacherw -buildvcs=false" \
    go install "github.com/temporalio/cli/cmd/temporal@$temporal_cli_version"
fi
