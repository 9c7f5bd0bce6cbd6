"""The /usmca page's inputs: one typed object (valuechain.scenario.Inputs) built from the URL and the widgets."""

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from ui import urlstate
from ui.common import lang, tr
from valuechain import archetypes, rvc, scenario
from valuechain.i18n import FAMILIES, N_, named
from valuechain.problems import InputError


def sys_name(system: str) -> str:
    """A BOM line or system in the interface language: 'engine · CN · non_originating', translated (a part of an
    uploaded BOM is the user's own word, shown as written)."""
    first, *rest = system.split(" · ")
    first = tr(named("sys", first)) if first in FAMILIES["sys"] else first
    return " · ".join([first, *(tr(r) if r == archetypes.NON_ORIGINATING else r for r in rest)])


def draw(all_systems: pd.DataFrame, vehicles: pd.DataFrame) -> scenario.Inputs:
    """Draw the scenario's widgets (their values in the URL) and return what they say; stops on a refused BOM."""
    c1, c2, c3, c4 = st.columns(4)
    choices_of = list(vehicles["archetype"])
    urlstate.restore("archetype", {a: a for a in choices_of} | {tr(named("arch", a)).casefold(): a for a in choices_of})
    archetype = c1.selectbox(
        tr("archetype"),
        choices_of,
        format_func=lambda a: tr(named("arch", a)),
        key="archetype",
        placeholder=tr("choose_one"),
    )
    urlstate.publish("archetype", archetype, default=choices_of[0])
    on = c2.date_input(
        tr("date"),
        value=date.today(),
        min_value=date(1994, 1, 1),
        max_value=date(2035, 12, 31),
        key="on",
        bind="query-params",
    )
    urlstate.restore("rollup", {r: r for r in rvc.ROLLUPS})
    rollup = c3.radio(tr("core_rollup"), rvc.ROLLUPS, format_func=lambda r: tr(named("rollup", r)), key="rollup")
    urlstate.publish("rollup", rollup, default=rvc.ROLLUPS[0])
    default_cost = float(vehicles.set_index("archetype").loc[archetype, "net_cost_usd"])
    net_cost = c4.number_input(
        tr("net_cost"),
        min_value=1_000,
        max_value=500_000,
        value=None,
        step=1_000,
        placeholder=f"{default_cost:,.0f}",
        help=tr("net_cost_default", cost=f"{default_cost:,.0f}"),
        key="net_cost",
        bind="query-params",
    )
    uploaded = st.file_uploader(tr("upload_bom"), type=["csv"], help=tr("bom_columns"))

    systems = all_systems[all_systems["archetype"] == archetype].reset_index(drop=True)
    regions = archetypes.REGIONS
    m1, m2 = st.columns(2)
    urlstate.restore("from", {r: r for r in regions})
    urlstate.restore("to", {r: r for r in regions})
    source = m1.selectbox(
        tr("move_from"),
        regions,
        index=regions.index("asia"),
        format_func=lambda r: tr(named("region", r)),
        key="from",
        placeholder=tr("choose_one"),
    )
    target = m2.selectbox(
        tr("move_to"),
        regions,
        index=0,
        format_func=lambda r: tr(named("region", r)),
        key="to",
        placeholder=tr("choose_one"),
    )
    urlstate.publish("from", source, default="asia")
    urlstate.publish("to", target, default="mx")
    movable = [s for s in systems.itertuples() if s.origin_basis.startswith("assumption")]  # bought, not made in-plant
    slider_cols = st.columns(min(len(movable), 6) or 1)
    moves = {
        s.system: slider_cols[i % len(slider_cols)].slider(
            tr("move_share", system=sys_name(s.system)), 0, 100, 0, 5, key=f"mv_{s.system}", bind="query-params"
        )
        for i, s in enumerate(movable)
    }
    with st.expander(tr("lvc_inputs")):
        l1, l2, l3, l4, l5 = st.columns(5)
        lvc = [
            col.number_input(tr(k), 0.0, 100.0, value=None, key=k, bind="query-params")
            for col, k in zip((l1, l2, l3), (N_("lvc_hwmm"), N_("lvc_tech"), N_("lvc_assembly")), strict=True)
        ]
        steel = l4.number_input(tr("steel_pct"), 0.0, 100.0, value=None, key="steel_pct", bind="query-params")
        aluminum = l5.number_input(tr("aluminum_pct"), 0.0, 100.0, value=None, key="aluminum_pct", bind="query-params")

    bom, good = None, None
    if uploaded is not None:
        good = st.selectbox(
            tr("good"),
            sorted(rvc.VEHICLES),
            format_func=lambda g: tr(named("good", g)),
            key="good",
            placeholder=tr("choose_one"),
        )
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / uploaded.name
            path.write_bytes(uploaded.getvalue())
            try:
                bom = rvc.read_bom(path)
            except InputError as exc:
                lines = exc.lines(lang(), uploaded.name)
                st.error(tr("bom_rejected") + "\n\n" + "\n".join(f"- `{line}`" for line in lines))
                st.stop()

    choices = scenario.Choices(
        archetype=archetype,
        on=on,
        rollup=rollup,
        net_cost=net_cost,
        moves=tuple(moves.items()),
        move_from=source,
        move_to=target,
        lvc=tuple(lvc),
        steel_pct=steel,
        aluminum_pct=aluminum,
        s232_rate=st.session_state.get("s232_rate"),
    )
    return scenario.Inputs(choices, tuple(bom) if bom else None, good, uploaded.name if uploaded else "")
