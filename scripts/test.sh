#!/usr/bin/env bash
# The project's one test command (README "Set up"; .ci/run calls exactly this).
# Installs zhclean with its extras and the dev tools, runs the linter, the test suite, then the quality gate.
# Extra arguments go to pytest, e.g.  bash scripts/test.sh -m "not slow"
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install -q --disable-pip-version-check --upgrade "pip>=25.1"
python -m pip install -q --disable-pip-version-check -e ".[all,ray]" --group dev
python -m ruff check .
python -m pytest "$@"
if [ -f eval/gate.py ]; then
  python eval/gate.py
fi
