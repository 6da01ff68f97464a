#!/usr/bin/env bash
# Before the first release only: rebuild migration 0001 from bot/store/tables.py.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f bot/store/migrations/versions/0001_*.py
python tools/make_migration.py "initial schema" 0001
ruff format bot/store/migrations/versions -q
