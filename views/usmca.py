"""USMCA: regional value content of an example vehicle or an uploaded BOM, its gates, and what-ifs."""

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from ui.common import cached, chart, members_source, sample_banner, tr
from valuechain import archetypes, export, figures, rvc
from valuechain.problems import InputError

GOOD_OF = {
    "compact_ice_car": "passenger_vehicle",
    "fullsize_pickup": "light_truck",
    "bev_crossover": "passenger_vehicle",
}
DEFAULT_NET_COST = 30_000  # an editable assumption, not a cited price


def sys_name(system: str) -> str:
    return tr(f"sys_{system.split(' · ')[0]}") + (f" · {system.split(' · ')[1]}" if " · " in system else "")


def verdict(ok) -> str:
    return {True: "✅ " + tr("pass"), False: "❌ " + tr("fail"), None: "— " + tr("unchecked")}[ok]


st.title(tr("usmca_title"))
st.caption(tr("usmca_policy_note", checked=rvc.RULES_CHECKED))

all_systems = cached("archetypes")
c1, c2, c3, c4 = st.columns(4)
archetype = c1.selectbox(
    tr("archetype"), list(GOOD_OF), format_func=lambda a: tr(f"arch_{a}"), key="archetype", bind="query-params"
)
on = c2.date_input(
    tr("date"),
    value=date.today(),
    min_value=date(1994, 1, 1),
    max_value=date(2035, 12, 31),
    key="on",
    bind="query-params",
)
rollup = c3.radio(
    tr("core_rollup"), rvc.ROLLUPS, format_func=lambda r: tr(f"rollup_{r}"), key="rollup", bind="query-params"
)
net_cost = c4.number_input(
    tr("net_cost"),
    min_value=1_000,
    max_value=500_000,
    value=DEFAULT_NET_COST,
    step=1_000,
    key="net_cost",
    bind="query-params",
)
uploaded = st.file_uploader(tr("upload_bom"), type=["csv"], help=tr("bom_columns"))

systems = all_systems[all_systems["archetype"] == archetype].reset_index(drop=True)
regions = archetypes.REGIONS
m1, m2 = st.columns(2)
source = m1.selectbox(
    tr("move_from"),
    regions,
    index=regions.index("asia"),
    format_func=lambda r: tr(f"region_{r}"),
    key="from",
    bind="query-params",
)
target = m2.selectbox(
    tr("move_to"), regions, index=0, format_func=lambda r: tr(f"region_{r}"), key="to", bind="query-params"
)
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
        for col, k in zip((l1, l2, l3), ("lvc_hwmm", "lvc_tech", "lvc_assembly"), strict=True)
    ]
    steel = l4.number_input(tr("steel_pct"), 0.0, 100.0, value=None, key="steel_pct", bind="query-params")
    aluminum = l5.number_input(tr("aluminum_pct"), 0.0, 100.0, value=None, key="aluminum_pct", bind="query-params")

if uploaded is not None:
    good = st.selectbox(tr("good"), sorted(rvc.VEHICLES), format_func=lambda g: tr(f"good_{g}"), key="good")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / uploaded.name
        path.write_bytes(uploaded.getvalue())
        try:
            bom = rvc.read_bom(path)
        except InputError as exc:
            st.error(tr("bom_rejected") + "\n\n" + "\n".join(f"- `{line}`" for line in exc.lines()))
            st.stop()
    mixed = systems.iloc[0:0]
    value, us_value = sum(ln.value_usd for ln in bom), sum(ln.value_usd for ln in bom if ln.origin_country == "US")
else:
    good = GOOD_OF[archetype]
    mixed = archetypes.mix_after_moves(systems, moves, source, target)
    bom = archetypes.to_bom(mixed, net_cost, on)
    value, us_value = archetypes.entered_value(mixed, net_cost), archetypes.us_content(mixed, net_cost)

scenario = rvc.Scenario(
    good=good,
    on=on,
    core_rollup=rollup,
    lvc_hwmm=lvc[0],
    lvc_tech=lvc[1],
    lvc_assembly=lvc[2],
    steel_na_pct=steel,
    aluminum_na_pct=aluminum,
)
try:
    usmca = rvc.evaluate(bom, scenario) if on >= rvc.USMCA_START else None
    nafta = rvc.evaluate(bom, rvc.Scenario(good=good, on=min(on, date(2020, 6, 30)), regime="NAFTA"))
except rvc.RuleError as exc:
    st.error(str(exc))
    st.stop()
current = usmca or nafta

k1, k2, k3 = st.columns(3)
k1.metric(
    tr("rvc_nafta"), f"{nafta['rvc_pct']:.1f}%", tr("vs_threshold", thr=nafta["threshold_pct"]), delta_color="off"
)
if usmca:
    k2.metric(
        tr("rvc_usmca", date=on.isoformat()),
        f"{usmca['rvc_pct']:.1f}%",
        f"{usmca['rvc_pct'] - usmca['threshold_pct']:+.1f} · " + tr("vs_threshold", thr=usmca["threshold_pct"]),
    )
k3.metric(
    tr("gap"),
    f"{current['gap_usd']:,.0f} {tr('gap_usd')}",
    f"{current['gap_pct']:.1f}% {tr('gap_share')}",
    delta_color="inverse",
)

st.subheader(tr("gates"))
core_detail = (
    f"{current.get('core_parts_method') or '—'} · {current.get('core_aggregate_pct', '—')}% "
    f"(≥ {current.get('core_threshold_pct', '—')}%)"
)
gates = pd.DataFrame(
    [
        (
            tr("gate_rvc"),
            verdict(current["rvc_ok"]),
            f"{current['rvc_pct']}% ≥ {current['threshold_pct']}% ({current['threshold_confidence']})",
        ),
        (tr("gate_core"), verdict(current["core_parts_ok"]) if usmca else tr("not_applicable"), core_detail),
        (
            tr("gate_lvc"),
            verdict(current["lvc_ok"]) if usmca else tr("not_applicable"),
            f"{current.get('lvc_pct', '—')}% ≥ {current.get('lvc_required_pct', '—')}%",
        ),
        (
            tr("gate_steel"),
            verdict(current["steel_aluminum_ok"]) if usmca else tr("not_applicable"),
            f"≥ {current.get('steel_aluminum_required_pct', 70)}%",
        ),
    ],
    columns=[tr("gate"), tr("result"), tr("detail")],
)
st.dataframe(gates, hide_index=True, width="stretch")
st.caption(tr("source_line", sources=f"{current['threshold_source']}; R6, R8, R11 (data/SOURCES.md)"))

left, right = st.columns(2)
with left:
    steps = pd.DataFrame(
        [(date(2019, 1, 1), 62.5)]
        + [(r.effective_date, r.value) for r in rvc.threshold_steps("USMCA", good)]
        + [(date(2028, 12, 31), rvc.threshold("USMCA", good, "net_cost", date(2028, 12, 31)).value)],
        columns=["date", "threshold"],
    )
    labels = {k: tr(k) for k in ("threshold", "usmca_rvc", "nafta_rvc", "date")}
    chart(
        figures.threshold_timeline(steps, (usmca or nafta)["rvc_pct"], nafta["rvc_pct"], tr("timeline_title"), labels),
        ["R1", "R4", "R5", "R6"],
    )
with right:
    steps_wf = rvc.waterfall(bom, scenario)
    wf_labels = {k: tr(f"wf_{k}") for k, _ in steps_wf} | {"points": tr("points")}
    chart(figures.margin_waterfall(steps_wf, wf_labels, tr("waterfall_title")), ["R1", "R4", "R19"])

st.subheader(tr("close_gap"))
plan = pd.DataFrame(rvc.close_gap(bom, current["gap_usd"]))
if plan.empty:
    st.success(tr("gap_none"))
else:
    plan["part"] = plan["part"].map(sys_name)
    st.dataframe(
        plan[["part", "localise_usd"]],
        hide_index=True,
        column_config={
            "part": tr("gate"),
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
            cached("suppliers_for_processes", processes),
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
        names = cached("options", "es")["process"]
        names_en = cached("options", "en")["process"]
        st.page_link(
            "views/map.py",
            label=tr("open_map"),
            icon="🗺️",
            query_params={"process": [f"{names[p]} / {names_en[p]}" for p in processes]},
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
            ]
        ].assign(system=mixed["system"].map(sys_name))
        st.dataframe(shown, hide_index=True, width="stretch")
        st.caption(tr("assumption_note", basis=tr("see_table")))

st.subheader(tr("s232"))
rate = st.slider(tr("s232_rate"), 0, 50, 25, key="s232_rate", bind="query-params")
duty = rvc.section_232(value, us_value, bool(current["originating"]) and bool(usmca), rate)
st.metric(tr("duty"), f"{duty['duty_usd']:,.0f}", f"{duty['dutiable_usd']:,.0f} USD × {rate}%", delta_color="off")
st.caption(tr("s232_caption") + " " + tr("source_line", sources="R16, R17"))

result = pd.DataFrame(
    [
        {
            **{k: v for k, v in current.items() if not isinstance(v, dict | list)},
            "unchecked": ";".join(current["unchecked"]),
            "archetype": archetype if uploaded is None else uploaded.name,
            "duty_232_usd": duty["duty_usd"],
        }
    ]
)
st.download_button(
    tr("download"), export.csv_bytes(result), file_name="usmca_scenario.csv", mime="text/csv", on_click="ignore"
)
