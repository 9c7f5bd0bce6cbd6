"""One USMCA scenario, computed once for the /usmca page, its CSV and the board deck.

An example vehicle (archetype) with its sourcing moved between regions, or an uploaded BOM, on a
date: NAFTA and USMCA results, the margin, the waterfall, the cheapest lines to localise and the
Section 232 overlay, so that every place that shows the scenario shows the same numbers.
"""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from valuechain import archetypes, deck, figures, rvc
from valuechain.i18n import N_, named, t

GATES = ("rvc", "core_parts", "lvc", "steel_aluminum")  # in the order the page and the deck list them
GATE_LABELS = {
    "rvc": N_("gate_rvc"),
    "core_parts": N_("gate_core"),
    "lvc": N_("gate_lvc"),
    "steel_aluminum": N_("gate_steel"),
}
VERDICTS = {True: N_("verdict_true"), False: N_("verdict_false"), None: N_("verdict_none")}
SETTLE = {
    "core_parts": N_("settle_core_parts"),
    "lvc": N_("settle_lvc"),
    "steel_aluminum": N_("settle_steel_aluminum"),
}


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


@dataclass(frozen=True)
class Verdict:
    """Whether the vehicle is originating, and why: the gates that failed, those that could not be checked with
    what would settle each, and the rule values not confirmed. Never more certain than its inputs."""

    originating: bool | None
    gates: tuple[tuple[str, bool | None], ...]  # (gate, passed) for every gate that applies
    failed: tuple[str, ...]
    unchecked: tuple[str, ...]
    settle: tuple[str, ...]  # the message naming what would settle each unchecked gate
    unconfirmed: tuple[str, ...]

    @classmethod
    def of(cls, current: dict) -> "Verdict":
        """The verdict of the engine's result (rvc.evaluate)."""
        applies = [g for g in GATES if g == "rvc" or current["regime"] == "USMCA"]
        gates = tuple((g, current[f"{g}_ok"]) for g in applies)
        unchecked = tuple(current["unchecked"])
        settle = tuple(
            N_("settle_lvc_rule") if g == "lvc" and "lvc_required_pct" not in current else SETTLE[g] for g in unchecked
        )
        failed = tuple(g for g, ok in gates if ok is False)
        return cls(current["originating"], gates, failed, unchecked, settle, tuple(current["unconfirmed"]))

    def text(self, lang: str, markdown: bool = False) -> str:
        """The verdict in one sentence (plain text unless `markdown`), the same on the page, in the CSV and deck."""
        gates = ", ".join(t(GATE_LABELS[g], lang).lower() for g in (self.failed or self.unchecked))
        inputs = "; ".join(t(key, lang) for key in self.settle)
        text = t(VERDICTS[self.originating], lang, gates=gates, inputs=inputs)
        return text if markdown else text.replace("**", "")


@dataclass(frozen=True)
class Result:
    """Every number of one scenario, computed once."""

    good: str
    net_cost: float
    vehicle: pd.Series
    bom: list[rvc.BomLine]
    mixed: pd.DataFrame  # the archetype's systems after the moves (empty for an uploaded BOM)
    nafta: dict
    usmca: dict | None  # None before the USMCA entered into force
    current: dict  # the regime in force on the date
    verdict: Verdict
    waterfall: list
    plan: list
    steps: pd.DataFrame
    s232: dict

    def csv_table(self, label: str) -> pd.DataFrame:
        """The scenario as one CSV row: the engine's figures, the verdict in words and the Section 232 duty."""
        duty = (self.s232.get("duty") or {}).get("duty_usd")
        flat = {k: v for k, v in self.current.items() if not isinstance(v, dict | list)}
        return pd.DataFrame(
            [
                {
                    **flat,
                    "unchecked": ";".join(self.verdict.unchecked),
                    "unconfirmed": ";".join(self.verdict.unconfirmed),
                    "archetype": label,
                    "duty_232_usd": duty,
                    "verdict_es": self.verdict.text("es"),
                    "verdict_en": self.verdict.text("en"),
                }
            ]
        )


@dataclass(frozen=True)
class Inputs:
    """What the user asked /usmca: the choices, and an uploaded BOM with its good (else None)."""

    choices: Choices = field(default_factory=Choices)
    bom: tuple[rvc.BomLine, ...] | None = None
    good: str | None = None
    label: str = ""  # the uploaded file's name, else empty (the archetype names the scenario)

    @property
    def name(self) -> str:
        """What the scenario is called in its CSV: the file's name, or the archetype's id."""
        return self.label or self.choices.archetype


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


def run(systems: pd.DataFrame, vehicles: pd.DataFrame, asked: Inputs) -> Result:
    """Every number of one scenario: the archetype's (or the uploaded BOM of its good) on the chosen date.

    Raises rvc.RuleError for a scenario the rules do not allow.
    """
    c, good = asked.choices, asked.good
    bom = list(asked.bom) if asked.bom is not None else None
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
    return Result(
        good=good,
        net_cost=net_cost,
        vehicle=vehicle,
        bom=bom,
        mixed=mixed,
        nafta=nafta,
        usmca=usmca,
        current=current,
        verdict=Verdict.of(current),
        waterfall=rvc.waterfall(bom, s),
        plan=rvc.close_gap(bom, current["gap_usd"]),
        steps=threshold_steps(good),
        s232=section_232(good, c, value, us_value, current["originating"] if usmca else False),
    )


def waterfall_labels(result: Result, lang: str) -> dict[str, str]:
    """The margin waterfall's step names in `lang`."""
    return {k: t(named("wf", k), lang) for k, _ in result.waterfall} | {"points": t("points", lang)}


def slide(result: Result, asked: Inputs, lang: str) -> deck.Slide:
    """The scenario as the board deck's slide: the figures, the verdict in the page's words, the waterfall."""
    nafta, usmca, c = result.nafta, result.usmca or result.nafta, asked.choices
    what = asked.label or t(named("arch", c.archetype), lang)
    text = "\n".join(
        [
            f"{what} · {t('date', lang)}: {usmca['date']} · {t(named('rollup', c.rollup), lang)}",
            f"{t('rvc_nafta', lang)}: {nafta['rvc_pct']:.1f}% ({t('vs_threshold', lang, thr=nafta['threshold_pct'])})",
            f"{t('rvc_usmca', lang, date=usmca['date'])}: {usmca['rvc_pct']:.1f}% "
            f"({rvc.points(usmca['margin_pts'])} · {t('vs_threshold', lang, thr=usmca['threshold_pct'])})",
            f"{t('gap', lang)}: {usmca['gap_usd']:,.0f} {t('gap_usd', lang)}",
            result.verdict.text(lang),
        ]
    )
    figure = figures.margin_waterfall(result.waterfall, waterfall_labels(result, lang), t("waterfall_title", lang))
    sources = t("source_line", lang, sources="R1, R4, R6, R13, R14")
    policy = t("usmca_policy_note", lang, checked=rvc.RULES_CHECKED)
    return deck.Slide(t("usmca_title", lang), f"{sources} {policy}", figure=figure, text=text)


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
