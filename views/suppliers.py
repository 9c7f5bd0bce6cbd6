"""Suppliers: whom to invite for a buyer's need (the sidebar's processes, place, size and IATF, or an
assembly plant and a radius): named members first, then DENUE prospects, each with its reasons."""

from datetime import datetime

import streamlit as st

from ui import auth, data, urlstate
from ui.common import (
    chart,
    counts_shown,
    current_filters,
    exported,
    filters_in_words,
    lang,
    members_source,
    names,
    number_column,
    plant_picker,
    sample_banner,
    sources_markdown,
    supplier_columns,
    tr,
)
from ui.shown import remember
from valuechain import dictionary, export, figures
from valuechain.i18n import fmt_datetime, named
from valuechain.visible import CONTACT, INVITATION, claim_ranks

f = current_filters()
st.title(tr("page_suppliers"))
st.caption(tr("suppliers_intro"))
sample_banner()
if data.denue_is_sample():
    st.warning(tr("denue_sample_banner"), icon="⚠️")

plants = data.plant_choices()
c1, c2 = st.columns([3, 1])
plant = plant_picker(c1, "plant", tr("suppliers_plant"), tr("suppliers_no_plant"), tr("suppliers_plant_help"))
urlstate.restore("radius_km", {str(k): k for k in range(10, 501, 10)}, default=100)
radius = c2.number_input(tr("suppliers_radius"), 10, 500, step=10, key="radius_km", disabled=plant is None)
urlstate.publish("radius_km", radius, default=100)
near = data.plant_point(plant, radius) if plant else None
remember(supplier_need=(f, near))  # the deck's invitation slide shows this same list

st.markdown(tr("suppliers_need", need=filters_in_words(f), place=plants[plant] if plant else tr("suppliers_anywhere")))
if not f.processes:
    st.info(tr("suppliers_choose_process"))
    st.stop()
ranked = data.supplier_list(f, near, lang())
members, prospects = (ranked["kind"] == "member").sum(), (ranked["kind"] == "prospect").sum()
m1, m2, m3 = st.columns(3)
if auth.viewer().sees_members:
    m1.metric(tr("suppliers_members"), f"{members:,}")
else:
    m1.info(tr("members_hidden"))
m2.metric(tr("suppliers_prospects"), f"{prospects:,}")
m3.metric(tr("suppliers_radius_shown"), f"{near.radius_km:,.0f} km" if near else "—")
if f.iatf_only:
    st.caption(tr("suppliers_iatf_prospects"))
if ranked.empty:
    st.info(tr("empty"))
    st.stop()

shown = ranked.assign(kind=ranked["kind"].map(lambda k: tr(named("kind", k))))
st.dataframe(
    shown[["rank", "name", "kind", "cluster_id", "municipality", "distance_km", "score", "reasons", *CONTACT]],
    hide_index=True,
    width="stretch",
    column_config=supplier_columns(),
)
st.caption(tr("suppliers_rules") + " " + tr("source_line", sources=f"{members_source()}; {sources_markdown('N11')}"))


def about():
    """The invitation list's about sheet: columns explained, the need, sources, when."""
    return export.about_sheet(
        dictionary.dictionary("invitation_list", lang()),
        filters_in_words(f) + (f"; {plants[plant]}, {near.radius_km:,.0f} km" if near else ""),
        data.sources(),
        fmt_datetime(datetime.now(), lang()),
    )


def invitation():
    return ranked[INVITATION]


d1, d2 = st.columns(2)
d1.download_button(
    tr("suppliers_csv"),
    exported("suppliers", "invitation_list.csv", invitation, export.csv_bytes),
    "invitation_list.csv",
    "text/csv",
    on_click="ignore",
    icon="📄",
)
d2.download_button(
    tr("suppliers_xlsx"),
    exported("suppliers", "invitation_list.xlsx", invitation, lambda frame: export.xlsx_bytes(frame, about())),
    "invitation_list.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon="📗",
)

st.subheader(tr("gaps_title"))
st.caption(tr("gaps_intro"))
gaps = data.supply_gaps(lang(), bool(f.include_optional))
process_names = names("process")
choices = list(dict.fromkeys([*f.processes, *gaps["process_id"]]))
choices = [p for p in choices if p in set(gaps["process_id"])]
urlstate.restore("gap_process", {p: p for p in choices}, default=choices[0])
gap_process = st.selectbox(tr("gaps_process"), choices, key="gap_process", format_func=process_names.get)
urlstate.publish("gap_process", gap_process, default=choices[0])
one = gaps[gaps["process_id"] == gap_process].rename(columns={"per_100k": "value"})
chart(
    figures.corridor_choropleth(
        one[["corridor_id", "corridor", "value"]],
        data.corridor_shapes(bool(f.include_optional), lang()),
        tr("gaps_map_title", process=process_names[gap_process]),
        tr("gaps_per_100k"),
        members_source(),
        data.state_geojson(),
    ),
    [members_source(), sources_markdown("N11; R13; R14; P1")],
)
thin = gaps[gaps["thin"]].sort_values("per_100k").head(6)
if not thin.empty:
    st.markdown(
        tr("gaps_thin")
        + "\n"
        + "\n".join(
            "- "
            + tr(
                "gaps_thin_line",
                process=r.process,
                corridor=r.corridor,
                supply=f"{r.supply:,}",
                demand=f"{r.demand:,.0f}",
                per=f"{r.per_100k:,.1f}",
            )
            for r in thin.itertuples()
        )
    )
claim = ("die_casting", "machining", "stamping", "forging")
ranks = claim_ranks(gaps, "saltillo_monterrey", claim)
st.info(
    tr(
        "gaps_claim",
        source=sources_markdown("N12"),
        ranks=", ".join(f"{process_names[p]} {ranks[p]}" for p in claim if p in ranks),
        n=int(gaps[(gaps["corridor_id"] == "saltillo_monterrey") & gaps["per_100k"].notna()].shape[0]),
    )
    + (" " + tr("gaps_claim_sample") if data.members_are_sample() or data.denue_is_sample() else ""),
    icon="📌",
)
st.dataframe(
    counts_shown(
        gaps.drop(columns=["corridor_id", "process_id"]), ["members", "tier2_3", "iatf_pct", "supply", "per_100k"]
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "corridor": tr("corridor"),
        "process": tr("gaps_process"),
        "plants": tr("gaps_plants"),
        "plants_with_capacity": tr("gaps_plants_capacity"),
        "vehicles": st.column_config.NumberColumn(tr("gaps_vehicles"), format="%,.0f"),
        "share_pct": st.column_config.NumberColumn(tr("gaps_share"), format="%.2f"),
        "demand": st.column_config.NumberColumn(tr("gaps_demand"), format="%,.0f"),
        "members": tr("members_axis"),
        "tier2_3": tr("tier2_3"),
        "iatf_pct": number_column(tr("gaps_iatf"), "%.1f"),
        "denue": tr("gaps_denue"),
        "supply": tr("gaps_supply"),
        "per_100k": number_column(tr("gaps_per_100k"), "%.1f"),
        "thin": tr("gaps_is_thin"),
    },
)
st.caption(tr("gaps_assumption") + " " + tr("source_line", sources=sources_markdown("R13; R14; P1; N11")))

st.subheader(tr("convertible_title"))
st.caption(tr("convertible_intro"))
converts = data.convertible_list(f, near, lang())
if converts.empty:
    st.info(tr("empty"))
else:
    st.dataframe(
        converts[["rank", "name", "scian_code", "municipality", "distance_km", "score", "rationale", *CONTACT]],
        hide_index=True,
        width="stretch",
        column_config=supplier_columns(),
    )
    st.download_button(
        tr("convertible_csv"),
        exported(
            "suppliers", "convertible_suppliers.csv", lambda: converts[[*INVITATION, "rationale"]], export.csv_bytes
        ),
        "convertible_suppliers.csv",
        "text/csv",
        on_click="ignore",
        icon="📄",
    )
