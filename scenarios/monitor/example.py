"""The bundled example history (``scenarios/examples/monitor_history.csv``), generated with
a fixed seed so the file and its known events can be checked:

16 pre-sale agents over 8 weeks (from Monday 2026-03-02), one day off a week each, about
40 enquiries a day (conversion around 35%, each agent their own rate), about 120 answered
contacts a day with complaints around 1%, and QA on about 12 sampled contacts a month.
Known events, all from 2026-04-06 (day 36):

- A03 (a strong converter) declines to 75% of their own rate;
- A08 improves to 125% of their own rate;
- A12's QA pass rate falls from 95% to 50% (below the 85% floor);
- A14 is weak but steady on conversion (the usual rule flags them, the charts do not);
- A05 fails 2 of 2 QA samples on one day (a dip on small counts: not below the floor).

Regenerate with ``python -m scenarios.monitor.example`` (writes the CSV next to monitor.yaml).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from rules.monitor.synth import agent_rates
from scenarios.writing.output import write_csv

SEED = 20260302
START = np.datetime64("2026-03-02")
DAYS = 56
CHANGE = 35                       # index of 2026-04-06
AGENTS = [f"A{i:02d}" for i in range(1, 17)]
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "monitor_history.csv"


def example_rows() -> tuple[list[str], list[list[object]]]:
    """(header, rows) of the example history."""
    rng = np.random.default_rng(SEED)
    n = len(AGENTS)
    conv = agent_rates(rng, n, 0.35, 0.05)
    conv[AGENTS.index("A03")] = 0.42
    conv[AGENTS.index("A14")] = 0.27
    complaint = agent_rates(rng, n, 0.01, 0.003)
    qa = np.full(n, 0.95)
    off = rng.integers(0, 7, n)
    header = ["date", "agent_id", "pool", "received_uv", "paid_uv", "answered", "complaints",
              "qa_samples", "qa_passed"]
    rows: list[list[object]] = []
    for t in range(DAYS):
        d = str(START + t)
        for a, aid in enumerate(AGENTS):
            if t % 7 == off[a]:
                continue
            p = conv[a]
            if t >= CHANGE and aid == "A03":
                p *= 0.75
            if t >= CHANGE and aid == "A08":
                p *= 1.25
            q = 0.50 if (t >= CHANGE and aid == "A12") else qa[a]
            enquiries = int(rng.poisson(40))
            answered = int(rng.poisson(120))
            samples = int(rng.poisson(12 / 26))
            passed = int(rng.binomial(samples, q))
            if aid == "A05" and t == 45:
                samples, passed = 2, 0
            rows.append([d, aid, "presale", enquiries, int(rng.binomial(enquiries, p)),
                         answered, int(rng.binomial(answered, complaint[a])), samples, passed])
    return header, rows


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else EXAMPLE
    write_csv(path, *example_rows())
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
