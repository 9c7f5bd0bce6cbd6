"""One USMCA scenario, computed once for the /usmca page, its CSV and the board deck.

An example vehicle (archetype) with its sourcing moved between regions, or an uploaded BOM, on a
date: NAFTA and USMCA results, the margin, the waterfall, the cheapest lines to localise and the
Section 232 overlay, so that every place that shows the scenario shows the same numbers.
"""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from valuechain import archetypes, rvc


@dataclass(frozen=True)
class Choices:
    """What the user chose on /usmca (the widgets' values)."""

    archetype: str = "compact_ice_car"
    on: date = field(default_factory=date.today)
    rollup: str = "panel"
    net_cost: float | None = None  # None: the archetype's own (labelled) default
    moves: tuple[tuple[str, float], ...] = ()  # (system, percent moved)
    move_from: str = "asia"
    move_to: str = "mx"
    lvc: tuple[float | None, float | None, float | None] = (None, None, None)  # HWMM, technology, assembly
    steel_pct: float | None = None
    aluminum_pct: float | None = None
    s232_rate: float | None = None  # None: the rate in force on the date


def scenario_for(good: str, c: Choices) -> rvc.Scenario:
    """The engine's scenario for the user's choices."""
    return rvc.Scenario(
        good=good,
        on=c.on,
        core_rollup=c.rollup,
        lvc_hwmm=c.lvc[0],
        lvc_tech=c.lvc[1],
        lvc_assembly=c.lvc[2],
        steel_na_pct=c.steel_pct,
        aluminum_na_pct=c.aluminum_pct,
    )


def run(
    systems: pd.DataFrame,
    vehicles: pd.DataFrame,
    c: Choices,
    bom: list[rvc.BomLine] | None = None,
    good: str | None = None,
) -> dict:
    """Every number of one scenario: the archetype's (or the uploaded `bom` of `good`) on the chosen date.

    Raises rvc.RuleError for a scenario the rules do not allow.
    """
    vehicle = vehicles.set_index("archetype").loc[c.archetype]
    net_cost = float(c.net_cost or vehicle["net_cost_usd"])
    mine = systems[systems["archetype"] == c.archetype].reset_index(drop=True)
    if bom is None:
        good = str(vehicle["good"])
        mixed = archetypes.mix_after_moves(mine, dict(c.moves), c.move_from, c.move_to)
        bom = archetypes.to_bom(mixed, net_cost, c.on)
        value, us_value = archetypes.entered_value(mixed, net_cost), archetypes.us_content(mixed, net_cost)
    else:
        mixed = mine.iloc[0:0]
        value = sum(ln.value_usd for ln in bom)
        us_value = sum(ln.value_usd for ln in bom if ln.origin_country == "US")
    s = scenario_for(good, c)
    usmca = rvc.evaluate(bom, s) if c.on >= rvc.USMCA_START else None
    nafta = rvc.evaluate(bom, rvc.Scenario(good=good, on=min(c.on, rvc.NAFTA_LAST_DAY), regime="NAFTA"))
    current = usmca or nafta
    return {
        "good": good,
        "net_cost": net_cost,
        "vehicle": vehicle,
        "bom": bom,
        "mixed": mixed,
        "nafta": nafta,
        "usmca": usmca,
        "current": current,
        "waterfall": rvc.waterfall(bom, s),
        "plan": rvc.close_gap(bom, current["gap_usd"]),
        "steps": threshold_steps(good),
        "s232": section_232(good, c, value, us_value, current["originating"] if usmca else False),
    }


def threshold_steps(good: str, first: date = date(2019, 1, 1), last: date = date(2028, 12, 31)) -> pd.DataFrame:
    """The good's RVC threshold from `first` to `last` (NAFTA, then each USMCA step) for the timeline."""
    rows = [(first, rvc.threshold("NAFTA", good, "net_cost", first).value, "NAFTA")]
    rows += [
        (r.effective_date, r.value, "USMCA") for r in rvc.threshold_steps("USMCA", good) if r.effective_date <= last
    ]
    rows.append((last, rvc.threshold("USMCA", good, "net_cost", last).value, "USMCA"))
    return pd.DataFrame(rows, columns=["date", "threshold", "regime"])


def section_232(good: str, c: Choices, value: float, us_value: float, qualifies: bool | None) -> dict:
    """The Section 232 overlay on the date: None-valued duty before it applied; both outcomes while origin is open."""
    rule = rvc.section_232_rule(good, c.on)
    start = rvc.section_232_start(good)
    out = {"applies": rule is not None, "start": start, "rule": rule, "qualifies": qualifies}
    if rule is None:
        return out
    rate = rule.value if c.s232_rate is None else c.s232_rate
    out["rate_pct"] = rate
    out["if_qualifying"] = rvc.section_232(value, us_value, True, rate)
    out["if_not"] = rvc.section_232(value, us_value, False, rate)
    out["duty"] = {True: out["if_qualifying"], False: out["if_not"], None: None}[qualifies]
    return out
