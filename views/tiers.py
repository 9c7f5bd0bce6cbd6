"""Tiers: distribution by cluster, state or corridor; supply depth; coverage of the key processes."""

from dataclasses import replace

import streamlit as st

from ui import data, urlstate
from ui.common import (
    chart,
    counts_shown,
    current_filters,
    lang,
    members_source,
    names,
    number_column,
    sample_banner,
    sources_markdown,
    tier_labels,
    tr,
)

THIN = 10  # fewer local suppliers than this in a key process is called out

f = current_filters()
st.title(tr("page_tiers"))
sample_banner()

groups = {"cluster": tr("by_cluster"), "state": tr("by_state"), "corridor": tr("by_corridor")}
urlstate.restore("group", {g: g for g in groups}, default="cluster")
group = st.segmented_control(tr("group_by"), list(groups), format_func=groups.get, key="group") or "cluster"
urlstate.publish("group", group, default="cluster")
counts = data.tier_counts(group, f, lang())
counts = counts.assign(grp=counts["grp"].fillna(tr("outside_corridors")))
if counts.empty:
    st.info(tr("empty"))
    st.stop()
title = tr("tiers_title", group=groups[group].lower())
chart(data.tier_bars(counts, title, groups[group], tr("members_axis"), tier_labels()), [members_source()])

sunburst = data.hierarchy_sunburst(
    data.hierarchy(f, lang()).dropna(subset=["members"]),  # suppressed branches are left out, not drawn as 0
    tr("hierarchy_title"),
    tr("outside_corridors"),
    tier_labels(),
    names("process"),
)
chart(sunburst, [members_source(), tr("src_corridors")])

# Depth and coverage compare tiers with each other, so the tier filter does not narrow them.
across_tiers = replace(f, tiers=())
st.subheader(tr("depth_title"))
if f.tiers:
    st.info(tr("tier_filter_not_applied"))
depth = data.supply_depth(across_tiers, lang())
st.dataframe(
    counts_shown(depth[["corridor", "buyers", "suppliers", "per_buyer"]], ["buyers", "suppliers", "per_buyer"]),
    hide_index=True,
    column_config={
        "corridor": tr("corridor"),
        "buyers": tr("buyers"),
        "suppliers": tr("suppliers"),
        "per_buyer": number_column(tr("depth"), "%.2f"),
    },
)
st.caption(tr("depth_caption") + " " + tr("source_line", sources=members_source()))

st.subheader(tr("coverage_title"))
coverage = data.process_coverage(across_tiers, lang())
pivot = coverage.pivot(index="process", columns="corridor", values="suppliers")
pivot.index.name, pivot.columns.name = tr("process"), tr("corridor")
st.dataframe(counts_shown(pivot, list(pivot.columns)), width="stretch")
thin = coverage[coverage["suppliers"] < THIN]
if thin.empty:
    st.success(tr("no_thin", n=THIN))
else:
    items = [f"{r.corridor}: {r.process.lower()} ({r.suppliers})" for r in thin.itertuples()]
    st.warning(tr("thin", n=THIN, items="; ".join(items)))
st.caption(tr("coverage_caption") + " " + tr("source_line", sources=f"{members_source()}; {sources_markdown('N9')}"))
