"""NAFTA and USMCA automotive rules of origin: regional value content and the other gates.

Pure Python. Formulas (19 U.S.C. 4531(d)): RVC = (NC - VNM) / NC x 100 or (TV - VNM) / TV x 100.
Thresholds, LVC and steel/aluminium rules are read from data/reference (each with its source and a
confidence tag: V official text, S secondary, U unconfirmed). Command line:

    python -m valuechain.rvc BOM.csv [--good vehicle-pv|vehicle-lt|vehicle-ht|core|principal|complementary]
        [--date YYYY-MM-DD] [--regime nafta|usmca] [--method nc|tv] [--net-cost USD]
        [--transaction-value USD] [--core-rollup panel|us-view]
        [--lvc-hwmm P --lvc-tech P --lvc-assembly P] [--steel-na-pct P --aluminum-na-pct P]
"""

import argparse
import csv
import json
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from iso3166 import countries_by_alpha2

from valuechain import csv_text
from valuechain.problems import InputError, Problem, refuse

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
REGION = frozenset({"MX", "US", "CA"})
RULES_CHECKED = "2026-11-24"  # the project research behind the rule tables runs to July 2026
UNDETERMINED = "XX"  # origin_country for materials of undetermined origin (counted as non-originating)
USMCA_START = date(2020, 7, 1)
NAFTA_START = date(1994, 1, 1)
GOODS = {
    "vehicle-pv": "passenger_vehicle",
    "vehicle-lt": "light_truck",
    "vehicle-ht": "heavy_truck",
    "core": "core_part",
    "principal": "principal_part",
    "complementary": "complementary_part",
}
VEHICLES = frozenset({"passenger_vehicle", "light_truck", "heavy_truck"})
# NAFTA Art. 403(2) ("other vehicles"); light vehicles and their parts keep Art. 403(1) tracing.
NAFTA_OTHER_VEHICLES = frozenset({"heavy_truck"})
NAFTA_LAST_DAY = date(2020, 6, 30)
CORE_GATE_GOODS = frozenset({"passenger_vehicle", "light_truck"})
METHODS = {"nc": "net_cost", "tv": "transaction_value"}
CATEGORIES = ("core", "principal", "complementary", "other")
ROLLUPS = ("panel", "us-view")
BOM_COLUMNS = ("part", "value_usd", "origin_country", "originating", "category", "part_rvc_pct", "nafta_traced")
TRUE_WORDS, FALSE_WORDS = ("true", "yes", "1", "y", "si", "sí"), ("false", "no", "0", "n")


class RuleError(ValueError):
    """A scenario the rules do not allow (said in one plain sentence)."""


@dataclass(frozen=True)
class BomLine:
    """One bill-of-materials line (a material, a sub-assembly, or a cost such as assembly labour)."""

    part: str
    value_usd: float
    origin_country: str
    originating: bool
    category: str = "other"
    part_rvc_pct: float | None = None
    nafta_traced: bool = True
    line: int = 0

    @property
    def regional_pct(self) -> float:
        """The part's own regional content: its RVC when given, else all or nothing by its origin."""
        if self.part_rvc_pct is not None:
            return self.part_rvc_pct
        return 100.0 if self.originating else 0.0


@dataclass(frozen=True)
class Rule:
    """A threshold in force from a date, with how sure we are of it."""

    value: float
    effective_date: date
    confidence: str
    source: str
    extra: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Scenario:
    """What to evaluate: the good, the date and regime, the method, and the inputs of the other gates."""

    good: str = "passenger_vehicle"
    on: date = field(default_factory=date.today)
    regime: str | None = None  # None: NAFTA before 2020-07-01, USMCA from then
    method: str = "net_cost"
    net_cost: float | None = None  # None: the sum of the BOM values
    transaction_value: float | None = None
    core_rollup: str = "panel"
    lvc_hwmm: float | None = None
    lvc_tech: float | None = None
    lvc_assembly: float | None = None
    steel_na_pct: float | None = None
    aluminum_na_pct: float | None = None

    @property
    def effective_regime(self) -> str:
        return self.regime or ("NAFTA" if self.on < USMCA_START else "USMCA")


# ---------------------------------------------------------------- rules from data/reference


def _rows(name: str) -> list[dict]:
    with open(REFERENCE / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@cache
def _thresholds() -> dict[tuple[str, str, str], list[Rule]]:
    table: dict[tuple[str, str, str], list[Rule]] = {}
    for r in _rows("rvc_thresholds.csv"):
        rule = Rule(float(r["threshold_pct"]), date.fromisoformat(r["effective_date"]), r["confidence"], r["source"])
        table.setdefault((r["regime"], r["good"], r["method"]), []).append(rule)
    return {k: sorted(v, key=lambda x: x.effective_date) for k, v in table.items()}


def _in_force(rules: list[Rule], on: date) -> Rule | None:
    current = None
    for rule in rules:
        if rule.effective_date <= on:
            current = rule
    return current


def threshold(regime: str, good: str, method: str, on: date) -> Rule | None:
    """The RVC threshold in force on a date (each USMCA step begins on 1 July); None when there is none."""
    return _in_force(_thresholds().get((regime, good, method), []), on)


def threshold_steps(regime: str, good: str, method: str = "net_cost") -> list[Rule]:
    """Every step of a threshold schedule, oldest first (for timelines)."""
    return list(_thresholds().get((regime, good, method), []))


@cache
def _lvc() -> dict[str, list[Rule]]:
    table: dict[str, list[Rule]] = {}
    for r in _rows("lvc_requirements.csv"):
        extra = {k: float(r[k]) for k in ("hwmm_floor_pct", "tech_credit_cap", "assembly_credit_cap")}
        rule = Rule(
            float(r["lvc_total_pct"]), date.fromisoformat(r["effective_date"]), r["confidence"], r["source"], extra
        )
        table.setdefault(r["good"], []).append(rule)
    return table


@cache
def _steel() -> list[Rule]:
    return [
        Rule(
            float(r["min_originating_purchases_pct"]),
            date.fromisoformat(r["effective_date"]),
            r["confidence"],
            r["source"],
        )
        for r in _rows("steel_aluminum_requirements.csv")
    ]


@cache
def _section_232() -> dict[str, list[Rule]]:
    table: dict[str, list[Rule]] = {}
    for r in _rows("section_232.csv"):
        rule = Rule(
            float(r["rate_pct"]),
            date.fromisoformat(r["effective_date"]),
            r["confidence"],
            r["source"],
            {"us_content_relief": r["us_content_relief"] == "true", "note": r["note"]},
        )
        table.setdefault(r["good"], []).append(rule)
    return {k: sorted(v, key=lambda x: x.effective_date) for k, v in table.items()}


def section_232_rule(good: str, on: date) -> Rule | None:
    """The Section 232 duty on a vehicle entered on a date; None before it applied (or for goods it does not cover)."""
    return _in_force(_section_232().get(good, []), on)


def section_232_start(good: str) -> Rule | None:
    """The first Section 232 rule for a good (its start date and source), if any."""
    rules = _section_232().get(good, [])
    return rules[0] if rules else None


# ---------------------------------------------------------------- the calculation


def rvc_pct(base: float, vnm: float) -> float:
    """(base - VNM) / base x 100."""
    if base <= 0:
        raise RuleError("The net cost or transaction value must be greater than zero.")
    return (base - vnm) / base * 100


def vnm_usmca(lines: list[BomLine], core_rollup: str = "panel") -> float:
    """Value of non-originating materials under USMCA: every non-originating (or undetermined) line.

    Originating materials roll up and add nothing, except an originating core part in "us-view" mode,
    where only its regional share counts as originating.
    """
    total = 0.0
    for ln in lines:
        if not ln.originating or ln.origin_country == UNDETERMINED:
            total += ln.value_usd
        elif ln.category == "core" and core_rollup == "us-view":
            total += (1 - ln.regional_pct / 100) * ln.value_usd
    return total


def vnm_nafta(lines: list[BomLine], good: str = "passenger_vehicle") -> float:
    """VNM under NAFTA: Art. 403(1) tracing for light vehicles, Art. 403(2) for other vehicles and parts.

    403(1): only traced (Annex 403.1) materials imported from outside the region count; a traced
    sub-assembly bought in the region carries its own imported content when its RVC is given.
    403(2): each traced (Annex 403.2) non-originating material at the producer's choice of its value or
    the non-originating content in it (the lower), plus every other non-originating material.
    """
    if good in NAFTA_OTHER_VEHICLES:
        return vnm_nafta_other(lines)
    total = 0.0
    for ln in lines:
        if not ln.nafta_traced:
            continue
        if ln.origin_country not in REGION:
            total += ln.value_usd
        elif ln.part_rvc_pct is not None:
            total += (1 - ln.part_rvc_pct / 100) * ln.value_usd
    return total


def vnm_nafta_other(lines: list[BomLine]) -> float:
    """VNM under NAFTA Art. 403(2) (heavy trucks): traced materials plus every other non-originating one."""
    total = 0.0
    for ln in lines:
        if ln.originating and ln.origin_country != UNDETERMINED:
            continue
        if ln.nafta_traced and ln.part_rvc_pct is not None:
            total += min(ln.value_usd, (1 - ln.part_rvc_pct / 100) * ln.value_usd)
        else:
            total += ln.value_usd
    return total


def core_parts_gate(lines: list[BomLine], core_threshold: float) -> tuple[bool | None, str | None, dict]:
    """Core parts must be originating: each part on its own, or their value-weighted aggregate.

    Returns (ok, the method that passed, details); ok is None when the BOM lists no core part.
    """
    core = [ln for ln in lines if ln.category == "core"]
    if not core:
        return None, None, {}
    individual = {ln.part: round(ln.regional_pct, 2) for ln in core}
    total = sum(ln.value_usd for ln in core)
    aggregate = sum(ln.value_usd * ln.regional_pct for ln in core) / total if total else 0.0
    details = {
        "core_threshold_pct": core_threshold,
        "core_individual_pct": individual,
        "core_aggregate_pct": round(aggregate, 2),
    }
    if all(v >= core_threshold for v in individual.values()):
        return True, "individual", details
    if aggregate >= core_threshold:
        return True, "aggregate", details
    return False, None, details


def lvc_gate(good: str, on: date, hwmm: float, tech: float, assembly: float) -> tuple[bool | None, dict]:
    """Labour value content: the high-wage material and manufacturing floor on its own, then the total
    with the technology and assembly credits capped."""
    rule = _in_force(_lvc().get(good, []), on)
    if rule is None:
        return None, {"lvc_note": "no LVC requirement found for this good and date"}
    x = rule.extra
    credited = hwmm + min(tech, x["tech_credit_cap"]) + min(assembly, x["assembly_credit_cap"])
    ok = bool(hwmm >= x["hwmm_floor_pct"] and credited >= rule.value)
    return ok, {
        "lvc_pct": round(credited, 2),
        "lvc_required_pct": rule.value,
        "lvc_hwmm_floor_pct": x["hwmm_floor_pct"],
        "lvc_confidence": rule.confidence,
    }


def steel_aluminum_gate(on: date, steel: float, aluminum: float) -> tuple[bool, dict]:
    """At least 70% of the producer's North American steel, and of its aluminium, purchases originating."""
    rule = _in_force(_steel(), on)
    return bool(steel >= rule.value and aluminum >= rule.value), {"steel_aluminum_required_pct": rule.value}


def verdict(gates: list[bool | None]) -> bool | None:
    """Originating only when every gate that applies passed; not when any failed; None while some are unchecked."""
    if False in gates:
        return False
    return None if None in gates else True


def evaluate(lines: list[BomLine], s: Scenario) -> dict:
    """Every gate for one scenario, as the JSON the command line prints."""
    regime = s.effective_regime
    if s.on < NAFTA_START:
        raise RuleError("No rule of origin is modelled before NAFTA entered into force on 1994-01-01.")
    if regime == "USMCA" and s.on < USMCA_START:
        raise RuleError(f"USMCA entered into force on {USMCA_START}; use --regime nafta for {s.on}.")
    if s.good in VEHICLES and s.method == "transaction_value":
        raise RuleError("Vehicles must use the net cost method; the transaction value method is not available.")
    if regime == "NAFTA" and s.method == "transaction_value":
        raise RuleError("Under NAFTA, motor vehicles and their parts must use the net cost method.")
    rule = threshold(regime, s.good, s.method, s.on)
    if rule is None:
        raise RuleError(f"No {regime} threshold for {s.good} by the {s.method.replace('_', ' ')} method on {s.on}.")

    total = sum(ln.value_usd for ln in lines)
    base = float((s.transaction_value if s.method == "transaction_value" else s.net_cost) or total)
    vnm = float(vnm_nafta(lines, s.good) if regime == "NAFTA" else vnm_usmca(lines, s.core_rollup))
    rvc = float(rvc_pct(base, vnm))
    out = {
        "regime": regime,
        "good": s.good,
        "date": s.on.isoformat(),
        "method": s.method,
        "vnm_basis": _vnm_basis(regime, s.good),
        "threshold_pct": rule.value,
        "threshold_confidence": rule.confidence,
        "threshold_source": rule.source,
        "rvc_pct": round(rvc, 2),
        "margin_pts": round(rvc - rule.value, 2),
        "vnm_usd": round(vnm, 2),
        ("transaction_value_usd" if s.method == "transaction_value" else "net_cost_usd"): round(base, 2),
        "rvc_ok": bool(rvc >= rule.value),
        "core_rollup": s.core_rollup if regime == "USMCA" else None,
        "core_parts_ok": None,
        "core_parts_method": None,
        "lvc_ok": None,
        "steel_aluminum_ok": None,
    }
    gates, unchecked, to_settle = [out["rvc_ok"]], [], {}
    unconfirmed = [f"threshold {rule.value}%"] if rule.confidence == "U" else []
    if regime == "USMCA" and s.good in VEHICLES:
        if s.good in CORE_GATE_GOODS:
            core_rule = threshold("USMCA", "core_part", "net_cost", s.on)
            ok, method, details = core_parts_gate(lines, core_rule.value)
            out |= {"core_parts_ok": ok, "core_parts_method": method, **details}
            out["core_threshold_confidence"] = core_rule.confidence
            gates.append(ok)
            if ok is None:
                unchecked.append("core_parts")
                to_settle["core_parts"] = "BOM lines marked category=core with their part_rvc_pct"
        lvc_rule = _in_force(_lvc().get(s.good, []), s.on)
        if lvc_rule is not None:
            out |= {
                "lvc_required_pct": lvc_rule.value,
                "lvc_hwmm_floor_pct": lvc_rule.extra["hwmm_floor_pct"],
                "lvc_confidence": lvc_rule.confidence,
                "lvc_source": lvc_rule.source,
            }
            if lvc_rule.confidence == "U":
                unconfirmed.append(f"LVC {lvc_rule.value}% / HWMM {lvc_rule.extra['hwmm_floor_pct']}")
        if lvc_rule is None:
            unchecked.append("lvc")
            to_settle["lvc"] = f"the LVC requirement in force on {s.on} (not found in the sources)"
            gates.append(None)
        elif None in (s.lvc_hwmm, s.lvc_tech, s.lvc_assembly):
            unchecked.append("lvc")
            to_settle["lvc"] = "--lvc-hwmm, --lvc-tech and --lvc-assembly (points)"
            gates.append(None)
        else:
            ok, details = lvc_gate(s.good, s.on, s.lvc_hwmm, s.lvc_tech, s.lvc_assembly)
            out |= {"lvc_ok": ok, **details}
            gates.append(ok)
        steel_rule = _in_force(_steel(), s.on)
        out |= {
            "steel_aluminum_required_pct": steel_rule.value,
            "steel_aluminum_confidence": steel_rule.confidence,
            "steel_aluminum_source": steel_rule.source,
        }
        if steel_rule.confidence == "U":
            unconfirmed.append(f"steel/aluminium {steel_rule.value}%")
        if None in (s.steel_na_pct, s.aluminum_na_pct):
            unchecked.append("steel_aluminum")
            to_settle["steel_aluminum"] = "--steel-na-pct and --aluminum-na-pct (percent of North American purchases)"
            gates.append(None)
        else:
            ok, details = steel_aluminum_gate(s.on, s.steel_na_pct, s.aluminum_na_pct)
            out |= {"steel_aluminum_ok": ok, **details}
            gates.append(ok)
    gap = localisation_gap(base, vnm, rule.value)
    out |= {
        "originating": verdict(gates),
        "unchecked": unchecked,
        "to_settle": to_settle,
        "unconfirmed": unconfirmed,
        "gap_usd": round(gap, 2),
        "gap_pct": round(gap / base * 100, 2),
    }
    return out


def _vnm_basis(regime: str, good: str) -> str:
    """Which VNM rule applies, in words (for the JSON and the page)."""
    if regime == "USMCA":
        return "USMCA: all non-originating materials (roll-up of originating ones)"
    if good in NAFTA_OTHER_VEHICLES:
        return "NAFTA Art. 403(2): traced Annex 403.2 materials plus all other non-originating materials"
    return "NAFTA Art. 403(1): traced Annex 403.1 materials imported from outside the region"


# ---------------------------------------------------------------- scenario helpers


def localisation_gap(base: float, vnm: float, threshold_pct: float) -> float:
    """The smallest non-originating value (USD) that must become originating for the RVC to pass."""
    return max(0.0, vnm - base * (1 - threshold_pct / 100))


def close_gap(lines: list[BomLine], gap: float, premium_pct: dict[str, float] | None = None) -> list[dict]:
    """Which non-originating lines to localise, and how much, to close the gap at least cost.

    Localising x USD of a line costs x times its premium (default: the same for all), so filling the
    gap from the cheapest lines first is optimal; ties go to the largest lines (fewest suppliers to move).
    """
    premium_pct = premium_pct or {}
    candidates = sorted(
        (ln for ln in lines if not ln.originating and ln.value_usd > 0),
        key=lambda ln: (premium_pct.get(ln.part, 1.0), -ln.value_usd),
    )
    plan, left = [], gap
    for ln in candidates:
        if left <= 0:
            break
        moved = min(ln.value_usd, left)
        premium = premium_pct.get(ln.part, 1.0)
        plan.append(
            {
                "part": ln.part,
                "localise_usd": round(moved, 2),
                "premium_pct": premium,
                "extra_cost_usd": round(moved * premium / 100, 2),
            }
        )
        left -= moved
    return plan


def waterfall(lines: list[BomLine], s: Scenario) -> list[tuple[str, float]]:
    """Margin over the threshold (points) from NAFTA to USMCA on the scenario's date, step by step.

    The steps are differences of rounded positions, so they add up exactly to the USMCA margin that
    `evaluate` reports for the same scenario (`margin_pts`).
    """
    base = s.net_cost or sum(ln.value_usd for ln in lines)
    nafta_thr = threshold("NAFTA", s.good, "net_cost", NAFTA_LAST_DAY).value
    usmca_thr = threshold("USMCA", s.good, "net_cost", max(s.on, USMCA_START)).value
    nafta_rvc = rvc_pct(base, vnm_nafta(lines, s.good))
    panel_rvc = rvc_pct(base, vnm_usmca(lines, "panel"))
    final_rvc = rvc_pct(base, vnm_usmca(lines, s.core_rollup))
    at = [
        round(x, 2)
        for x in (nafta_rvc - nafta_thr, panel_rvc - nafta_thr, panel_rvc - usmca_thr, final_rvc - usmca_thr)
    ]
    return [
        ("nafta_margin", at[0]),
        ("tracing_removed", round(at[1] - at[0], 2)),
        ("threshold_raised", round(at[2] - at[1], 2)),
        ("core_parts_us_view", round(at[3] - at[2], 2)),
        ("usmca_margin", at[3]),
    ]


def points(margin: float) -> str:
    """A margin in points as every page, chart and slide shows it (one decimal, signed)."""
    return f"{margin:+.1f}"


def section_232(value_usd: float, us_content_usd: float, usmca_qualifying: bool, rate_pct: float = 25.0) -> dict:
    """Section 232 duty as proclaimed in 2025: a USMCA-qualifying vehicle pays on its non-US content only.

    Mexican and Canadian content is non-US content here; whether the duty applied on a date is
    `section_232_rule`'s answer. Tariff policy changes: check before relying on it.
    """
    base = value_usd - us_content_usd if usmca_qualifying else value_usd
    return {
        "rate_pct": rate_pct,
        "dutiable_usd": round(base, 2),
        "duty_usd": round(base * rate_pct / 100, 2),
        "us_content_usd": round(us_content_usd if usmca_qualifying else 0.0, 2),
    }


# ---------------------------------------------------------------- reading a BOM


def _bool(raw: str, default: bool) -> bool | None:
    v = raw.strip().lower()
    if not v:
        return default
    if v in TRUE_WORDS:
        return True
    if v in FALSE_WORDS:
        return False
    return None


def _number(raw: str) -> float | None:
    try:
        return float(raw.strip().replace(",", ""))
    except ValueError:
        return None


def read_bom(path: Path) -> list[BomLine]:
    """Read and validate a BOM CSV; raise InputError with `FILE:LINE: column 'x': reason` problems."""
    name = str(path)
    if not path.is_file():
        raise refuse(name, "file not found", line=0)
    body = csv_text.decode(path.read_bytes())
    if not body.strip():
        raise refuse(name, "file is empty")
    reader = csv.DictReader(body.splitlines(), delimiter=csv_text.delimiter(body.splitlines()[0]))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    missing = [c for c in ("part", "value_usd", "origin_country") if c not in columns]
    if missing:
        raise InputError([Problem(name, 1, c, "required column is missing") for c in missing])
    problems, lines = [], []
    for raw in reader:
        n = reader.line_num
        get = {c: (raw.get(c) or "").strip() for c in BOM_COLUMNS}.__getitem__
        bad = len(problems)
        value = _number(get("value_usd"))
        if value is None:
            problems.append(Problem(name, n, "value_usd", f"'{get('value_usd')}' is not a number"))
        elif value < 0:
            problems.append(Problem(name, n, "value_usd", f"{get('value_usd')} is negative"))
        country = get("origin_country").upper()
        if country != UNDETERMINED and country not in countries_by_alpha2:
            problems.append(
                Problem(
                    name,
                    n,
                    "origin_country",
                    f"'{get('origin_country')}' is not an ISO 3166 alpha-2 code (XX: undetermined)",
                )
            )
        originating = _bool(get("originating"), country in REGION)
        if originating is None:
            problems.append(Problem(name, n, "originating", f"'{get('originating')}' is not true or false"))
        category = get("category").lower() or "other"
        if category not in CATEGORIES:
            problems.append(
                Problem(
                    name,
                    n,
                    "category",
                    f"unknown category '{get('category')}' (core, principal, complementary or other)",
                )
            )
        part_rvc = _number(get("part_rvc_pct")) if get("part_rvc_pct") else None
        if get("part_rvc_pct") and (part_rvc is None or not 0 <= part_rvc <= 100):
            problems.append(Problem(name, n, "part_rvc_pct", f"'{get('part_rvc_pct')}' is not a percentage 0–100"))
        traced = _bool(get("nafta_traced"), True)
        if traced is None:
            problems.append(Problem(name, n, "nafta_traced", f"'{get('nafta_traced')}' is not true or false"))
        if not get("part"):
            problems.append(Problem(name, n, "part", "value is required"))
        if len(problems) == bad:
            lines.append(
                BomLine(
                    get("part"), value, country, originating and country != UNDETERMINED, category, part_rvc, traced, n
                )
            )
    if problems:
        raise InputError(problems[:51], len(problems))
    if not lines:
        raise refuse(name, "file has a header but no data rows")
    return lines


def with_origin(lines: list[BomLine], part: str, originating: bool) -> list[BomLine]:
    """The same BOM with one line's originating status changed (for what-ifs and tests)."""
    return [replace(ln, originating=originating) if ln.part == part else ln for ln in lines]


# ---------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m valuechain.rvc", description="NAFTA/USMCA regional value content")
    p.add_argument("bom", type=Path)
    p.add_argument("--good", choices=GOODS, default="vehicle-pv")
    p.add_argument("--date", type=date.fromisoformat, default=date.today())
    p.add_argument("--regime", choices=("nafta", "usmca"))
    p.add_argument("--method", choices=METHODS, default="nc")
    p.add_argument("--net-cost", type=float)
    p.add_argument("--transaction-value", type=float)
    p.add_argument("--core-rollup", choices=ROLLUPS, default="panel")
    for flag in ("--lvc-hwmm", "--lvc-tech", "--lvc-assembly", "--steel-na-pct", "--aluminum-na-pct"):
        p.add_argument(flag, type=float)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own one-line reason
        return 2 if exc.code else 0
    try:
        lines = read_bom(args.bom)
        scenario = Scenario(
            good=GOODS[args.good],
            on=args.date,
            regime=args.regime.upper() if args.regime else None,
            method=METHODS[args.method],
            net_cost=args.net_cost,
            transaction_value=args.transaction_value,
            core_rollup=args.core_rollup,
            lvc_hwmm=args.lvc_hwmm,
            lvc_tech=args.lvc_tech,
            lvc_assembly=args.lvc_assembly,
            steel_na_pct=args.steel_na_pct,
            aluminum_na_pct=args.aluminum_na_pct,
        )
        result = evaluate(lines, scenario)
    except InputError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return 2
    except RuleError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
