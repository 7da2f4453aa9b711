#!/usr/bin/env bash
# The second README command: set up and run the whole test suite — lint, types, then pytest on
# SQLite and on PostgreSQL (OPORA_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test).
# Set OPORA_SKIP_PG=1 to run SQLite only (e.g. on a laptop without PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev,spark
export PATH="$PWD/.venv/bin:$PATH"

# Java (Spark contract tests) and Chromium (browser tests) from Debian when missing. With CI=true a
# run without them fails here, and a test of the spark/browser/slow markers that is skipped anyway
# fails the pytest run (tests/marker_counts.py): no silent skips in CI (issue 19).
apt_install() {  # apt_install PACKAGE: as root with apt-get only; true when it installed
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null || return 1
  echo "== installing Debian's $1"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq || return 1; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1" >/dev/null
}
command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] || apt_install default-jre-headless \
  || echo "   (Java could not be installed; Spark tests will say so)"
command -v chromium >/dev/null 2>&1 || [ -n "${OPORA_CHROMIUM:-}" ] || apt_install chromium \
  || echo "   (Chromium could not be installed; browser tests will say so)"
# Reports (issue 17): charts in documents are drawn with DejaVu Sans (Cyrillic), PDFs laid out by
# WeasyPrint with Pango — both from Debian, usually already there.
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt_install fonts-dejavu-core \
  || echo "   (DejaVu fonts could not be installed; report charts will say so)"
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || apt_install libpangoft2-1.0-0 \
  || echo "   (Pango could not be installed; PDF reports will say so)"
if [ "${CI:-}" = true ]; then
  command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] \
    || { echo "CI: no Java for the Spark tests (apt-get install default-jre-headless)"; exit 1; }
  [ -x "${OPORA_CHROMIUM:-/usr/bin/chromium}" ] \
    || { echo "CI: no Chromium for the browser tests (apt-get install chromium)"; exit 1; }
fi

# Files the tests write (uploads, a run's kept rule inputs) go to a throw-away data directory,
# not to ./var of the checkout.
export OPORA_DATA_DIR="${OPORA_TEST_DATA_DIR:-$(mktemp -d -t opora-test-XXXXXX)}"

echo "== ruff";  ruff check src tests bench
echo "== mypy";  mypy
echo "== pytest on SQLite"
pytest -q -p no:cacheprovider -n 2 "$@"
if [ "${OPORA_SKIP_PG:-0}" != 1 ]; then
  # Only the tests that use the database run twice: the engine's, the readers' and the
  # generator's tests read no database and gave the same result on both.
  # The browser scenarios drive the same views through Chromium; on SQLite they have run already.
  echo "== pytest on PostgreSQL (tests/web)"
  OPORA_DATABASE_URL="${OPORA_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}" \
    pytest -q -p no:cacheprovider -n 2 -m "not spark and not slow and not browser" tests/web "$@"
fi
