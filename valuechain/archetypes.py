"""Example vehicles as BOMs: systems with cost shares and a sourcing mix by region.

Bought in the region is not the same as originating: of each system's regional value only
`originating_pct` is originating (a labelled assumption). A core system (engine, transmission, body,
chassis, battery, electric drive) is one sub-assembly made in Mexico from mixed inputs: its own RVC
is its originating share, and it is originating when that reaches the core-part threshold. Other
systems are bought from each region in proportion to the mix. Costs made in the plant (assembly,
overhead) are originating.
"""

from datetime import date

import pandas as pd

from valuechain import rvc
from valuechain.i18n import N_

REGIONS = ("mx", "us", "ca", "asia", "europe")
REPRESENTATIVE = {"mx": "MX", "us": "US", "ca": "CA", "asia": "CN", "europe": "DE"}
NORTH_AMERICA = ("mx", "us", "ca")
NON_ORIGINATING = N_("non_originating")  # suffix of a BOM line bought in the region that is not originating


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
    """Percent of a system bought in Mexico, the US or Canada."""
    return float(sum(row[f"{r}_pct"] for r in NORTH_AMERICA))


def originating_share(row) -> float:
    """Percent of a system's value that is originating: the regional share times its originating share."""
    return regional_pct(row) * float(row["originating_pct"]) / 100


def to_bom(systems: pd.DataFrame, net_cost: float, on: date) -> list[rvc.BomLine]:
    """BOM lines for one archetype at a net cost (USD) on a date; profit is outside net cost."""
    in_nc = systems[systems["in_net_cost"]]
    total_share = in_nc["share_pct"].sum()
    core_rule = rvc.threshold("USMCA", "core_part", "net_cost", max(on, rvc.USMCA_START))
    lines = []
    for row in in_nc.itertuples():
        value = net_cost * row.share_pct / total_share
        own_rvc = originating_share(row._asdict())
        if row.category == "core":
            lines.append(rvc.BomLine(row.system, value, "MX", own_rvc >= core_rule.value, "core", own_rvc, True))
        elif row.mx_pct == 100 and row.origin_basis == "produced in the plant":  # labour and overhead
            lines.append(rvc.BomLine(row.system, value, "MX", True, "other", None, False))
        else:
            for region in REGIONS:
                part = value * getattr(row, f"{region}_pct") / 100
                country = REPRESENTATIVE[region]
                kept = row.originating_pct / 100 if country in rvc.REGION else 0.0
                if part * kept > 0:
                    lines.append(rvc.BomLine(f"{row.system} · {country}", part * kept, country, True, row.category))
                if part * (1 - kept) > 0:
                    name = f"{row.system} · {country}" + (f" · {NON_ORIGINATING}" if kept else "")
                    lines.append(rvc.BomLine(name, part * (1 - kept), country, False, row.category))
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
