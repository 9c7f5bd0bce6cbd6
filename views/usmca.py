"""USMCA: regional value content of an example vehicle or an uploaded BOM, its gates, and what-ifs."""

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from ui import auth, board, data, urlstate
from ui.common import (
    chart,
    counts_shown,
    exported,
    lang,
    members_source,
    plant_picker,
    sample_banner,
    sources_markdown,
    tr,
)
from valuechain import archetypes, export, figures, rvc, scenario
from valuechain.i18n import N_, named, value
from valuechain.problems import InputError

GATES = {
    "rvc": N_("gate_rvc"),
    "core_parts": N_("gate_core"),
    "lvc": N_("gate_lvc"),
    "steel_aluminum": N_("gate_steel"),
}


def sys_name(system: str) -> str:
    """A BOM line or system in the interface language: 'engine · CN · non_originating', translated."""
    first, *rest = system.split(" · ")
    return " · ".join([tr(named("sys", first)), *(tr(r) if r == archetypes.NON_ORIGINATING else r for r in rest)])


def verdict(ok) -> str:
    return {True: "✅ " + tr("pass"), False: "❌ " + tr("fail"), None: "— " + tr("unchecked")}[ok]


def confidence(tag: str | None) -> str:
    return f" ({tr(named('conf', tag))})" if tag else ""


st.title(tr("usmca_title"))
st.caption(tr("usmca_policy_note", checked=rvc.RULES_CHECKED))

all_systems = data.archetypes()
vehicles = data.archetype_vehicles()
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
st.session_state[board.USMCA_CHOICES] = choices  # the deck shows this same scenario
try:
    result = scenario.run(all_systems, vehicles, choices, bom, good)
except rvc.RuleError as exc:
    st.error(str(exc))
    st.stop()
good, mixed, bom = result["good"], result["mixed"], result["bom"]
nafta, usmca, current = result["nafta"], result["usmca"], result["current"]
steps = result["steps"]
st.caption(
    tr(
        "thresholds_for",
        good=tr(named("good", good)),
        nafta=steps["threshold"].iloc[0],
        usmca=steps["threshold"].iloc[-1],
        date=rvc.threshold_steps("USMCA", good)[-1].effective_date.isoformat(),
    )
)

k1, k2, k3 = st.columns(3)
k1.metric(
    tr("rvc_nafta"), f"{nafta['rvc_pct']:.1f}%", tr("vs_threshold", thr=nafta["threshold_pct"]), delta_color="off"
)
if usmca:
    k2.metric(
        tr("rvc_usmca", date=on.isoformat()),
        f"{usmca['rvc_pct']:.1f}%",
        f"{rvc.points(usmca['margin_pts'])} · " + tr("vs_threshold", thr=usmca["threshold_pct"]),
    )
k3.metric(
    tr("gap"),
    f"{current['gap_usd']:,.0f} {tr('gap_usd')}",
    f"{current['gap_pct']:.1f}% {tr('gap_share')}",
    delta_color="inverse",
)

st.subheader(tr("gates"))
originating = current["originating"]
if originating is True:
    st.success(tr("verdict_true"), icon="✅")
elif originating is False:
    failed = [
        g
        for g, k in (
            ("rvc", "rvc_ok"),
            ("core_parts", "core_parts_ok"),
            ("lvc", "lvc_ok"),
            ("steel_aluminum", "steel_aluminum_ok"),
        )
        if current[k] is False
    ]
    st.error(tr("verdict_false", gates=", ".join(tr(GATES[g]).lower() for g in failed)), icon="❌")
else:
    inputs = [
        tr("settle_lvc_rule") if g == "lvc" and "lvc_required_pct" not in current else tr(named("settle", g))
        for g in current["unchecked"]
    ]
    st.warning(
        tr(
            "verdict_none",
            gates=", ".join(tr(GATES[g]).lower() for g in current["unchecked"]),
            inputs="; ".join(inputs),
        ),
        icon="❔",
    )
if current["unconfirmed"]:
    st.warning(tr("unconfirmed_values", values="; ".join(current["unconfirmed"])), icon="⚠️")

method = current.get("core_parts_method")
core_detail = (
    f"{tr(named('method', method)) if method else '—'} · {current.get('core_aggregate_pct', '—')}% "
    f"(≥ {current.get('core_threshold_pct', '—')}%)" + confidence(current.get("core_threshold_confidence"))
)
gates = pd.DataFrame(
    [
        (
            tr("gate_rvc"),
            verdict(current["rvc_ok"]),
            f"{current['rvc_pct']}% ≥ {current['threshold_pct']}%" + confidence(current["threshold_confidence"]),
            current["threshold_source"],
        ),
        (
            tr("gate_core"),
            verdict(current["core_parts_ok"]) if usmca else tr("not_applicable"),
            core_detail,
            "R6" if usmca else "",
        ),
        (
            tr("gate_lvc"),
            verdict(current["lvc_ok"]) if usmca else tr("not_applicable"),
            f"{current.get('lvc_pct', '—')}% ≥ {current.get('lvc_required_pct', '—')}% "
            f"(HWMM ≥ {current.get('lvc_hwmm_floor_pct', '—')})" + confidence(current.get("lvc_confidence")),
            current.get("lvc_source", ""),
        ),
        (
            tr("gate_steel"),
            verdict(current["steel_aluminum_ok"]) if usmca else tr("not_applicable"),
            f"≥ {current.get('steel_aluminum_required_pct', '—')}%"
            + confidence(current.get("steel_aluminum_confidence")),
            current.get("steel_aluminum_source", ""),
        ),
    ],
    columns=[tr("gate"), tr("result"), tr("detail"), tr("source")],
)
st.dataframe(gates, hide_index=True, width="stretch")
st.caption(tr("source_line", sources=sources_markdown("R1; R4; R6; R8; R11; R19")))

left, right = st.columns(2)
with left:
    labels = {k: tr(k) for k in (N_("threshold"), N_("usmca_rvc"), N_("nafta_rvc"), N_("date"))}
    chart(
        figures.threshold_timeline(steps, current["rvc_pct"], nafta["rvc_pct"], tr("timeline_title"), labels),
        [sources_markdown("R1; R4; R5; R6")],
    )
with right:
    wf_labels = {k: tr(named("wf", k)) for k, _ in result["waterfall"]} | {"points": tr("points")}
    chart(
        figures.margin_waterfall(result["waterfall"], wf_labels, tr("waterfall_title")),
        [sources_markdown("R1; R4; R19")],
    )

st.subheader(tr("close_gap"))
plan = pd.DataFrame(result["plan"])
if plan.empty:
    st.success(tr("gap_none"))
else:
    plan["part"] = plan["part"].map(sys_name)
    st.dataframe(
        plan[["part", "localise_usd"]],
        hide_index=True,
        column_config={
            "part": tr("system"),
            "localise_usd": st.column_config.NumberColumn(tr("localise_usd"), format="%,.0f"),
        },
    )

if not mixed.empty:
    to_localise = {ln.part.split(" · ")[0] for ln in bom if not ln.originating} & set(mixed["system"])
    processes = tuple(sorted({p for s in mixed[mixed["system"].isin(to_localise)]["processes"] for p in s.split(";")}))
    st.subheader(tr("where_mexico"))
    if processes:
        st.caption(tr("where_caption", systems=", ".join(sys_name(s) for s in sorted(to_localise))))
        st.dataframe(
            counts_shown(data.suppliers_for_processes(processes, lang()), ["members", "tier1", "tier2_3", "iatf"]),
            hide_index=True,
            width="stretch",
            column_config={
                "corridor": tr("corridor"),
                "cluster": tr("cluster"),
                "members": tr("members_axis"),
                "tier1": tr("tier1"),
                "tier2_3": tr("tier2_3"),
                "iatf": tr("iatf"),
            },
        )
        st.page_link("views/map.py", label=tr("open_map"), icon="🗺️", query_params={"process": list(processes)})
        plant = plant_picker(st, "usmca_plant", tr("usmca_plant"), tr("usmca_plant_none"))
        place = {"plant": plant} if plant else {}
        links = st.columns(min(len(to_localise), 3))
        for i, system in enumerate(sorted(to_localise) if auth.page_open("suppliers") else ()):
            needed = sorted({p for s in mixed[mixed["system"] == system]["processes"] for p in s.split(";") if p})
            links[i % len(links)].page_link(
                "views/suppliers.py",
                label=tr("find_suppliers", system=sys_name(system)),
                icon="🤝",
                query_params={"process": needed, **place},
            )
        sample_banner()
        st.caption(tr("source_line", sources=members_source()))
    with st.expander(tr("assumptions")):
        shown = mixed[
            [
                "system",
                "share_pct",
                "share_basis",
                "share_source",
                *[f"{r}_pct" for r in regions],
                "origin_basis",
                "origin_source",
                "originating_pct",
                "originating_basis",
                "originating_source",
            ]
        ].assign(system=mixed["system"].map(sys_name))
        for column in ("share_basis", "origin_basis", "originating_basis"):
            shown[column] = shown[column].map(lambda v: value(v, lang()))
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "system": tr("system"),
                "share_pct": tr("share_pct"),
                "share_basis": tr("share_basis"),
                "share_source": tr("source"),
                **{f"{r}_pct": tr(named("region", r)) + " %" for r in regions},
                "origin_basis": tr("origin_basis"),
                "origin_source": tr("source"),
                "originating_pct": tr("originating_pct"),
                "originating_basis": tr("originating_basis"),
                "originating_source": tr("source"),
            },
        )
        vehicle = result["vehicle"]
        st.caption(
            tr("assumption_note", basis=tr("see_table"))
            + " "
            + tr("originating_note")
            + f" {tr('net_cost')}: {vehicle['net_cost_usd']:,.0f} ({tr('net_cost_assumption')}, {vehicle['source']})."
        )

st.subheader(tr("s232"))
s232 = result["s232"]
start_rule = s232["start"]
if start_rule is None:
    st.info(tr("s232_none"))
elif not s232["applies"]:
    st.info(
        tr(
            "s232_not_applied",
            date=on.isoformat(),
            start=start_rule.effective_date.isoformat(),
            source=sources_markdown(start_rule.source),
        )
    )
else:
    rule = s232["rule"]
    st.slider(tr("s232_rate"), 0, 50, int(rule.value), key="s232_rate", bind="query-params")
    d1, d2 = st.columns(2)
    for col, key, label in (
        (d1, "if_qualifying", N_("duty_if_qualifying")),
        (d2, "if_not", N_("duty_if_not")),
    ):
        duty = s232[key]
        mine = s232["duty"] is duty
        col.metric(
            ("▶ " if mine else "") + tr(label),
            f"{duty['duty_usd']:,.0f}",
            f"{duty['dutiable_usd']:,.0f} USD × {s232['rate_pct']:g}%",
            delta_color="off",
        )
    if s232["qualifies"] is None:
        st.caption(tr("s232_open"))
    st.caption(
        tr("s232_caption")
        + " "
        + tr("s232_from", start=rule.effective_date.isoformat(), source=sources_markdown(rule.source))
        + confidence(rule.confidence)
    )

duty_now = (s232.get("duty") or {}).get("duty_usd")
table = pd.DataFrame(
    [
        {
            **{k: v for k, v in current.items() if not isinstance(v, dict | list)},
            "unchecked": ";".join(current["unchecked"]),
            "unconfirmed": ";".join(current["unconfirmed"]),
            "archetype": archetype if uploaded is None else uploaded.name,
            "duty_232_usd": duty_now,
        }
    ]
)
st.download_button(
    tr("download"),
    exported("usmca", "usmca_scenario.csv", lambda: table, export.csv_bytes),
    file_name="usmca_scenario.csv",
    mime="text/csv",
    on_click="ignore",
)
