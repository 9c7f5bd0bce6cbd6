"""The board deck: the current filters' map, tier chart, cluster comparison and USMCA summary."""

from datetime import date, datetime

import streamlit as st

from ui.common import cached, current_filters, filters_in_words, lang, members_source, tier_labels, tr
from valuechain import archetypes, deck, figures, rvc
from valuechain.i18n import fmt_datetime

GOOD_OF = {
    "compact_ice_car": "passenger_vehicle",
    "fullsize_pickup": "light_truck",
    "bev_crossover": "passenger_vehicle",
}


def slides() -> list[deck.Slide]:
    """The deck's slides for the filters and choices currently on screen."""
    f = current_filters()
    sources = [members_source(), tr("src_boundaries"), tr("src_plants"), tr("src_corridors")]
    by_state = cached("members_by_state", f).rename(columns={"members": "value"})
    the_map = figures.state_choropleth(
        by_state,
        cached("state_geojson"),
        tr("members_by_state_title"),
        tr("measure_members"),
        members_source(),
        zoom=4.4,
    )
    figures.add_corridors(the_map, cached("corridor_shapes", f.include_optional))
    figures.add_plants(
        the_map,
        cached("plants", f),
        {"operating": tr("legend_operating"), "closed": tr("legend_closed"), "paused": tr("legend_paused")},
    )
    counts = cached("tier_counts", "cluster", f)
    tiers = figures.tier_bars(
        counts, tr("tiers_title", group=tr("by_cluster").lower()), tr("by_cluster"), tr("members_axis"), tier_labels()
    )

    profiles = cached("cluster_profiles").set_index("cluster_id")
    chosen = st.session_state.get("compare") or list(profiles.index[:3])
    compare = profiles.loc[
        chosen[:4], ["acronym", "states", "founded", "members_reported_text", "members_loaded", "esca"]
    ].fillna("—")
    compare.columns = ["", tr("states"), tr("founded"), tr("members_reported"), tr("members_loaded"), tr("esca")]

    archetype = st.session_state.get("archetype", "compact_ice_car")
    on = st.session_state.get("on") or date.today()
    rollup = st.session_state.get("rollup", "panel")
    net_cost = st.session_state.get("net_cost") or 30_000
    systems = cached("archetypes")
    result = archetypes.summary(systems[systems["archetype"] == archetype], GOOD_OF[archetype], on, rollup, net_cost)
    nafta, usmca = result["nafta"], result["usmca"]
    text = "\n".join(
        [
            f"{tr(f'arch_{archetype}')} · {tr('date')}: {usmca['date']} · {tr(f'rollup_{rollup}')}",
            f"{tr('rvc_nafta')}: {nafta['rvc_pct']:.1f}% ({tr('vs_threshold', thr=nafta['threshold_pct'])})",
            f"{tr('rvc_usmca', date=usmca['date'])}: {usmca['rvc_pct']:.1f}% "
            f"({tr('vs_threshold', thr=usmca['threshold_pct'])})",
            f"{tr('gap')}: {usmca['gap_usd']:,.0f} {tr('gap_usd')}",
        ]
    )
    wf_labels = {k: tr(f"wf_{k}") for k, _ in result["waterfall"]} | {"points": tr("points")}
    waterfall = figures.margin_waterfall(result["waterfall"], wf_labels, tr("waterfall_title"))
    policy = tr("usmca_policy_note", checked=rvc.RULES_CHECKED)
    return [
        deck.Slide(tr("members_by_state_title"), tr("source_line", sources="; ".join(sources)), figure=the_map),
        deck.Slide(
            tr("tiers_title", group=tr("by_cluster").lower()), tr("source_line", sources=members_source()), figure=tiers
        ),
        deck.Slide(tr("compare"), tr("source_line", sources=f"data/SOURCES.md; {members_source()}"), table=compare),
        deck.Slide(
            tr("usmca_title"),
            tr("source_line", sources="R1, R4, R6, R13, R14") + " " + policy,
            figure=waterfall,
            text=text,
        ),
    ]


def build() -> tuple[bytes, bytes]:
    """(PPTX, PDF) of the current view."""
    title = "REDCAM · " + tr("app_title")
    subtitle = (
        f"{fmt_datetime(datetime.now(), lang())}\n{tr('active_filters', filters=filters_in_words(current_filters()))}"
    )
    return deck.build(title, subtitle, slides())
