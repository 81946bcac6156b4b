"""Start-up: keep Pyomo from importing scipy.stats, which the run does not use.

Pyomo (``pyomo.common.dependencies``) runs a callback whenever scipy is imported —
before Pyomo if scipy is already loaded, or later through an import hook — that imports
``scipy.stats``, ``scipy.integrate``, ``scipy.sparse`` and ``scipy.spatial``: ~0.45 CPU s
of every ``peakdesk run``'s start-up, while one core idles (the run computes its t
quantiles and distribution functions with scipy.special: sim.stats,
planning.returns, planning.demand.uncertainty). :func:`no_scipy_stats_from_pyomo`
imports Pyomo's dependency table before anything imports scipy and drops that callback
only. Pyomo itself still gets scipy when it asks for it (its deferred module imports
scipy then, and scipy loads ``scipy.stats`` on first attribute access), so nothing
changes but the time. With another Pyomo whose internals differ this does nothing (the
import is then slower, the results the same).
"""

from __future__ import annotations

import sys


def no_scipy_stats_from_pyomo() -> bool:
    """Drop Pyomo's scipy import callback (call before anything imports scipy). True when
    dropped; False when scipy was already imported or Pyomo's internals differ."""
    if "scipy" in sys.modules:
        return False
    try:
        from pyomo.common import dependencies as dep
    except ImportError:  # no Pyomo: nothing imports scipy.stats for it
        return False
    indicator = getattr(dep, "scipy_available", None)
    finder = getattr(dep, "DeferredImportCallbackFinder", None)
    callbacks = getattr(finder, "_callbacks", None)
    if getattr(indicator, "_callback", None) is not getattr(dep, "_finalize_scipy", False) \
            or not isinstance(callbacks, dict):
        return False
    indicator._callback = None
    pending = callbacks.get("scipy", [])
    if indicator in pending:
        pending.remove(indicator)
    if not pending:
        callbacks.pop("scipy", None)
    return True
