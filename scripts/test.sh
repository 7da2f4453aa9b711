#!/usr/bin/env bash
# The second README command: set up and run the whole test suite — lint, types, then pytest on
# SQLite and on PostgreSQL (OPORA_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test).
# Set OPORA_SKIP_PG=1 to run SQLite only (e.g. on a laptop without PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,spark
export PATH="$PWD/.venv/bin:$PATH"

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian's Chromium for browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "   (chromium could not be installed; browser tests will say so)"
fi

echo "== ruff";  ruff check src tests bench
echo "== mypy";  mypy
echo "== pytest on SQLite"
pytest -q -p no:cacheprovider -n 2 "$@"
if [ "${OPORA_SKIP_PG:-0}" != 1 ]; then
  echo "== pytest on PostgreSQL"
  OPORA_DATABASE_URL="${OPORA_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}" \
    pytest -q -p no:cacheprovider -n 2 -m "not spark and not slow" "$@"
fi
