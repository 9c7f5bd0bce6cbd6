"""Example vehicles as BOMs: systems with cost shares and a sourcing mix by region.

A core system (engine, transmission, body, chassis, battery, electric drive) is modelled as one
sub-assembly made in Mexico from mixed inputs: it is originating when its regional share reaches
the core-part threshold, and its regional share is its own RVC. Other systems are bought from
each region in proportion to the mix. Costs made in the plant (assembly, overhead) are originating.
"""

from datetime import date

import pandas as pd

from valuechain import rvc

REGIONS = ("mx", "us", "ca", "asia", "europe")
REPRESENTATIVE = {"mx": "MX", "us": "US", "ca": "CA", "asia": "CN", "europe": "DE"}
NORTH_AMERICA = ("mx", "us", "ca")


def mix_after_moves(systems: pd.DataFrame, moves: dict[str, float], source: str, target: str) -> pd.DataFrame:
    """Move `moves[system]` percent of each system's sourcing from one region to another."""
    out = systems.copy()
    for i, row in out.iterrows():
        share = moves.get(row["system"], 0) / 100
        moved = row[f"{source}_pct"] * share
        out.loc[i, f"{source}_pct"] -= moved
        out.loc[i, f"{target}_pct"] += moved
    return out


def regional_pct(row) -> float:
    return float(sum(row[f"{r}_pct"] for r in NORTH_AMERICA))


def to_bom(systems: pd.DataFrame, net_cost: float, on: date) -> list[rvc.BomLine]:
    """BOM lines for one archetype at a net cost (USD) on a date; profit is outside net cost."""
    in_nc = systems[systems["in_net_cost"]]
    total_share = in_nc["share_pct"].sum()
    core_rule = rvc.threshold("USMCA", "core_part", "net_cost", max(on, rvc.USMCA_START))
    lines = []
    for row in in_nc.itertuples():
        value = net_cost * row.share_pct / total_share
        regional = regional_pct(row._asdict())
        if row.category == "core":
            lines.append(rvc.BomLine(row.system, value, "MX", regional >= core_rule.value, "core", regional, True))
        elif row.mx_pct == 100 and row.origin_basis == "produced in the plant":  # labour and overhead
            lines.append(rvc.BomLine(row.system, value, "MX", True, "other", None, False))
        else:
            for region in REGIONS:
                part = value * getattr(row, f"{region}_pct") / 100
                if part > 0:
                    country = REPRESENTATIVE[region]
                    lines.append(
                        rvc.BomLine(
                            f"{row.system} · {country}", part, country, country in rvc.REGION, row.category, None, True
                        )
                    )
    return lines


def us_content(systems: pd.DataFrame, net_cost: float) -> float:
    """The US-made share of the vehicle's value (USD), for the Section 232 overlay."""
    in_nc = systems[systems["in_net_cost"]]
    total_share = in_nc["share_pct"].sum()
    return float(sum(net_cost * r.share_pct / total_share * r.us_pct / 100 for r in in_nc.itertuples()))


def entered_value(systems: pd.DataFrame, net_cost: float) -> float:
    """Vehicle value for duty purposes: net cost plus the archetype's profit share (an assumption)."""
    outside = systems.loc[~systems["in_net_cost"], "share_pct"].sum()
    return net_cost / (1 - outside / 100)


def summary(systems: pd.DataFrame, good: str, on: date, rollup: str, net_cost: float) -> dict:
    """NAFTA and USMCA results and the waterfall for one archetype scenario (used by the deck)."""
    bom = to_bom(systems, net_cost, on)
    usmca_on = max(on, rvc.USMCA_START)
    return {
        "nafta": rvc.evaluate(bom, rvc.Scenario(good=good, on=min(on, date(2020, 6, 30)), regime="NAFTA")),
        "usmca": rvc.evaluate(bom, rvc.Scenario(good=good, on=usmca_on, core_rollup=rollup)),
        "waterfall": rvc.waterfall(bom, rvc.Scenario(good=good, on=usmca_on, core_rollup=rollup)),
    }
