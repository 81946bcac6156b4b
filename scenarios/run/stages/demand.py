"""Demand stage: arrivals per hour per interval and channel, and their curves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from scenarios.adapters.to_demand import DemandScenario, demand_scenarios
from scenarios.run.figures import horizon_figure, peak_day
from scenarios.run.plots import Series
from scenarios.run.stage import Headline, ReportTable, RunContext, StageResult, Table
from scenarios.words.i18n import channel_label, number, when

FLAT = 1.05  # peak within 5% of the mean: "flat" rather than "peaks at"


@dataclass(frozen=True)
class Demand:
    """Payload for later stages: the interval grid and the rates per channel."""

    starts: list[datetime]
    interval: timedelta
    rates_per_hour: dict[str, np.ndarray]
    # low/high rate per interval per channel when the scenario has demand scenarios
    bands: dict[str, tuple[np.ndarray, np.ndarray]] | None = None
    # seconds an agent is tied up per contact, per interval (events may lengthen it)
    aht_s: dict[str, np.ndarray] | None = None
    # the weighted demand scenarios (one, probability 1, without `uncertainty`)
    scenarios: tuple[DemandScenario, ...] = ()

    @property
    def hours(self) -> float:
        return self.interval.total_seconds() / 3600.0


def _point_rates(sc, cases: list[DemandScenario]) -> dict[str, np.ndarray]:
    """The probability-weighted mean of the demand scenarios: the point forecast."""
    return {ch: np.sum([c.probability * c.rates[ch] for c in cases], axis=0)
            for ch in cases[0].rates if ch in sc.demand or ch in sc.channels}


class DemandStage:
    """Point-forecast arrival rates per interval × channel (scenarios.adapters.to_demand)."""

    name = "demand"

    def title(self, ctx: RunContext) -> str:
        return ctx.t("stage.demand")

    def skip_reason(self, ctx: RunContext) -> str | None:
        return None if ctx.scenario.demand else ctx.t("demand.no_demand")

    def run(self, ctx: RunContext) -> StageResult:
        sc, lang = ctx.scenario, ctx.lang
        cases = demand_scenarios(sc)
        point = _point_rates(sc, cases)
        bands = None
        if len(cases) > 1:
            bands = {ch: (np.min([c.rates[ch] for c in cases], axis=0),
                          np.max([c.rates[ch] for c in cases], axis=0)) for ch in point}
        dem = Demand(sc.horizon.interval_starts(), timedelta(minutes=sc.horizon.interval_minutes),
                     point, bands, aht_s=cases[0].aht_s, scenarios=tuple(cases))
        multi_day = sc.horizon.days > 1
        res = StageResult(self.name, self.title(ctx), data=dem)
        rows = [[s.isoformat(timespec="minutes"), ch, float(r[i]), float(r[i] * dem.hours)]
                for i, s in enumerate(dem.starts) for ch, r in dem.rates_per_hour.items()]
        res.tables.append(Table("demand", ctx.t("stage.demand"),
                                ["interval_start", "channel", "rate_per_hour",
                                 "expected_contacts"], rows))
        channels: dict[str, dict[str, object]] = {}
        table_rows = []
        for ch, r in dem.rates_per_hour.items():
            peak = int(np.argmax(r))
            mean, peak_rate, contacts = float(r.mean()), float(r[peak]), float(r.sum() * dem.hours)
            ratio = peak_rate / mean if mean > 0 else None
            channels[ch] = {"contacts": contacts, "mean_rate_per_hour": mean,
                            "peak_rate_per_hour": peak_rate,
                            "peak_interval": dem.starts[peak].isoformat(timespec="minutes"),
                            "peak_to_mean": ratio}
            label, peak_at = channel_label(ch, lang), when(dem.starts[peak], lang, multi_day)
            table_rows.append([label, number(contacts, lang), number(peak_rate, lang), peak_at,
                               "—" if ratio is None else number(ratio, lang, 1)])
            if ratio is not None and ratio < FLAT:
                res.decisions.append(ctx.t("demand.decision_flat", channel=label,
                                           rate=number(mean, lang)))
            elif ratio is not None:
                res.decisions.append(ctx.t("demand.decision", channel=label,
                                           rate=number(peak_rate, lang), when=peak_at,
                                           ratio=number(ratio, lang, 1)))
        total = float(sum(float(r.sum()) for r in dem.rates_per_hour.values()) * dem.hours)
        res.summary = {"contacts": total, "channels": channels}
        res.headlines.append(Headline("demand.contacts", ctx.t("demand.col.contacts"),
                                      total, number(total, lang)))
        res.paragraphs.append(ctx.t("demand.intro", minutes=sc.horizon.interval_minutes,
                                    contacts=number(total, lang)))
        res.figures.append(horizon_figure(
            ctx, "demand", ctx.t("demand.figure"),
            [Series(channel_label(ch, lang), r,
                    band=dem.bands.get(ch) if dem.bands else None)
             for ch, r in dem.rates_per_hour.items()], ctx.t("demand.ylabel"), demand=dem,
            caption=ctx.t("demand.band") if dem.bands else ""))
        peak = peak_day(ctx, dem)
        if peak is not None:
            res.summary["peak_day"] = {"date": peak.day.isoformat(), "contacts": peak.contacts}
        res.report_tables.append(ReportTable(
            ctx.t("demand.table"),
            [ctx.t(f"demand.col.{k}") for k in ("channel", "contacts", "peak_rate", "peak_at",
                                                "peak_to_mean")], table_rows))
        res.assumptions.append(ctx.t("demand.assumption"))
        return res
