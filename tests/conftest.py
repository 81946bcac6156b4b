"""Test-wide settings.

Property tests explore fresh random examples on every local run; in CI (``CI`` set) they
run derandomized — the same examples every time — so a submission's CI result does not
depend on the draw, while local runs keep searching for counterexamples.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
