#!/usr/bin/env bash
# The first README command: set up and run Опора on SQLite with the demo municipality.
# Usage: bash scripts/demo.sh [--port 8000] [--reset]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/opora demo "$@"
