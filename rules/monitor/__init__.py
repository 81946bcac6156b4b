"""KPI monitoring that tells a real decline from noise (seed practice: a daily monitoring
table of one core metric, auxiliary metrics and floor metrics; daily follow-up, weekly
report, monthly review; a dip on a few samples is usually noise).

Each ratio is judged with its counts — a binomial share or a Poisson rate per exposure —
against each agent's own baseline: p-/u-chart limits per period, CUSUMs for sustained
shifts in both directions with thresholds set from a false-alarm rate, the start of a
shift, below-floor tests, week and month roll-ups, and a ranking that says which ranks
the counts can separate. Pure: count arrays in, plain results out.
"""

from rules.monitor.inputs import MetricSeries, MonitorInputs, Settings
from rules.monitor.monitor import (
    Flag,
    MetricResult,
    MonitorResult,
    MonitorState,
    Rollup,
    advance,
    judge,
    monitor,
)
from rules.monitor.status import STATUSES

__all__ = ["STATUSES", "Flag", "MetricResult", "MetricSeries", "MonitorInputs",
           "MonitorResult", "MonitorState", "Rollup", "Settings", "advance", "judge",
           "monitor"]
