"""USMCA: regional value content of an example vehicle or an uploaded BOM, its gates, and what-ifs."""

import pandas as pd
import streamlit as st

from ui import auth, data, scenario_inputs
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
from ui.shown import remember
from valuechain import archetypes, export, figures, rvc, scenario
from valuechain.i18n import N_, named, value


def verdict(ok) -> str:
    return {True: "✅ " + tr("pass"), False: "❌ " + tr("fail"), None: "— " + tr("unchecked")}[ok]


def confidence(tag: str | None) -> str:
    return f" ({tr(named('conf', tag))})" if tag else ""


st.title(tr("usmca_title"))
st.caption(tr("usmca_policy_note", checked=rvc.RULES_CHECKED))

all_systems = data.archetypes()
vehicles = data.archetype_vehicles()
inputs = scenario_inputs.draw(all_systems, vehicles)
choices = inputs.choices
remember(usmca=inputs)  # the deck shows this same scenario
regions, on = archetypes.REGIONS, choices.on
try:
    result = scenario.run(all_systems, vehicles, inputs)
except rvc.RuleError as exc:
    st.error(str(exc))
    st.stop()
good, mixed, bom = result.good, result.mixed, result.bom
nafta, usmca, current, verdict_ = result.nafta, result.usmca, result.current, result.verdict
steps = result.steps
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
k3.metric(  # a short value: "5,012 USD por vehículo" did not fit a third of the page at 1,400 px
    tr("gap_per_vehicle"),
    f"{current['gap_usd']:,.0f} USD",
    f"{current['gap_pct']:.1f}% {tr('gap_share')}",
    delta_color="inverse",
)

st.subheader(tr("gates"))
icons = {True: ("success", "✅"), False: ("error", "❌"), None: ("warning", "❔")}
alert, icon = icons[verdict_.originating]
getattr(st, alert)(verdict_.text(lang(), markdown=True), icon=icon)
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
    chart(
        figures.margin_waterfall(result.waterfall, scenario.waterfall_labels(result, lang()), tr("waterfall_title")),
        [sources_markdown("R1; R4; R19")],
    )

st.subheader(tr("close_gap"))
plan = pd.DataFrame(result.plan)
if plan.empty:
    st.success(tr("gap_none"))
else:
    plan["part"] = plan["part"].map(scenario_inputs.sys_name)
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
        st.caption(tr("where_caption", systems=", ".join(scenario_inputs.sys_name(s) for s in sorted(to_localise))))
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
                label=tr("find_suppliers", system=scenario_inputs.sys_name(system)),
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
        ].assign(system=mixed["system"].map(scenario_inputs.sys_name))
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
        vehicle = result.vehicle
        st.caption(
            tr("assumption_note", basis=tr("see_table"))
            + " "
            + tr("originating_note")
            + f" {tr('net_cost')}: {vehicle['net_cost_usd']:,.0f} ({tr('net_cost_assumption')}, {vehicle['source']})."
        )

st.subheader(tr("s232"))
s232 = result.s232
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

table = result.csv_table(inputs.name)
st.download_button(
    tr("download"),
    exported("usmca", "usmca_scenario.csv", lambda: table, export.csv_bytes),
    file_name="usmca_scenario.csv",
    mime="text/csv",
    on_click="ignore",
)
