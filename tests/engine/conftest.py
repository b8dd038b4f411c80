"""Engine tests reuse the small test steps of tests/pipeline; worker processes inherit this sys.path entry."""

import sys
from pathlib import Path

PIPELINE_TESTS = str(Path(__file__).resolve().parents[1] / "pipeline")
if PIPELINE_TESTS not in sys.path:
    sys.path.insert(0, PIPELINE_TESTS)
