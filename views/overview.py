"""Overview: headline figures, a small map, the network's published facts."""

import streamlit as st

from ui import auth, board, data, urlstate
from ui.common import (
    chart,
    count_text,
    current_filters,
    facts_table,
    lang,
    members_source,
    sample_banner,
    tier_label,
    tr,
)
from ui.shown import remember, shown
from valuechain import audit, deck, figures
from valuechain.catalog import in_ids

f = current_filters()
st.title(tr("app_title"))
sample_banner()

head = data.headline(f)
c1, c2, c3, c4 = st.columns(4)
at_least = head["at_least"]  # counts suppressed: states and clusters with at least that many members
c1.metric(
    tr("metric_clusters"),
    head["clusters"],
    help=tr("metric_clusters_help_min", n=head["clusters_with_members"], k=at_least)
    if at_least
    else tr("metric_clusters_help", n=head["clusters_with_members"]),
)
c2.metric(tr("metric_members"), head["members"] if isinstance(head["members"], str) else f"{head['members']:,}")
c3.metric(tr("metric_states_min", n=at_least) if at_least else tr("metric_states"), head["states"])
c4.metric(tr("metric_plants"), head["plants_operating"])

if head["members"] == 0:
    st.info(tr("empty"))
else:
    left, right = st.columns([3, 2])
    with left:
        by_state = data.members_by_state(f).rename(columns={"members": "value"})
        fig = figures.state_choropleth(
            by_state,
            data.state_geojson(),
            tr("members_by_state_title"),
            tr("measure_members"),
            members_source(),
            height=420,
            width_hint=560,  # the left column of a wide page
        )
        chart(fig, [members_source(), tr("src_boundaries")])
    with right:
        st.subheader(tr("members_by_tier"))
        tiers = data.members_by("tier", f)
        for row in tiers.itertuples():
            st.metric(tier_label(row.tier), count_text(row.members))

st.subheader(tr("what_changed"))
editions = data.denue_editions()
if len(editions) > 2:  # which two DENUE editions to compare (default: the last two)
    e1, e2 = st.columns(2)
    urlstate.restore("changed_from", {e: e for e in editions[:-1]}, default=editions[-2])
    urlstate.restore("changed_to", {e: e for e in editions[1:]}, default=editions[-1])
    old = e1.selectbox(tr("changed_from"), editions[:-1], key="changed_from", placeholder=tr("choose_one"))
    later = [e for e in editions if e > old]
    if st.session_state.get("changed_to") not in later:
        st.session_state["changed_to"] = later[-1]
    new = e2.selectbox(tr("changed_to"), later, key="changed_to", placeholder=tr("choose_one"))
    urlstate.publish("changed_from", old, default=editions[-2])
    urlstate.publish("changed_to", new, default=editions[-1])
    remember(editions=(old, new))  # the deck's first slide compares the same two
else:
    remember(editions=None)
loads = data.member_loads()
if len(loads) > 1:  # which two member loads to compare (default: the last earlier one and the current list)
    when = {str(n): at[:16].replace("T", " ") for n, at in loads} | {"now": tr("changed_members_now")}
    m1, m2 = st.columns(2)
    earlier = [str(n) for n, _ in loads]
    urlstate.restore("load_from", {k: k for k in earlier}, default=earlier[-1])
    old_load = m1.selectbox(tr("changed_load_from"), earlier, key="load_from", format_func=when.get)
    later = [k for k in earlier if int(k) > int(old_load)] + ["now"]
    urlstate.restore("load_to", {k: k for k in later}, default="now")
    if st.session_state.get("load_to") not in later:
        st.session_state["load_to"] = "now"
    new_load = m2.selectbox(tr("changed_load_to"), later, key="load_to", format_func=when.get)
    urlstate.publish("load_from", old_load, default=earlier[-1])
    urlstate.publish("load_to", new_load, default="now")
    remember(loads=(int(old_load), None if new_load == "now" else int(new_load)))
else:
    remember(loads=None)
changed = data.what_changed(lang(), shown().editions, shown().loads)
st.markdown("\n".join(f"- {line}" for line in changed))
if data.denue_is_sample():
    st.caption(tr("denue_sample_banner"))

st.subheader(tr("network_facts"))
facts_table()

st.subheader(tr("board_deck"))
st.caption(tr("deck_caption"))
made = st.session_state.get("_deck")
if made and made["for"] != board.signature():  # a deck of another view is not offered as this one
    del st.session_state["_deck"]
    st.info(tr("deck_stale"))
if st.button(tr("prepare_deck"), key="prepare_deck", icon="🖼️"):
    with st.spinner():
        try:
            st.session_state["_deck"] = {"for": board.signature(), "files": board.build()}
            audit.record(auth.viewer(), "deck", "overview", in_ids(f), None, "valuechain_consejo.pptx")
        except deck.RenderError as exc:
            st.error(tr("deck_failed", error=exc))
if "_deck" in st.session_state:
    pptx, pdf = st.session_state["_deck"]["files"]
    d1, d2 = st.columns(2)
    d1.download_button(
        tr("deck_pptx"),
        pptx,
        "valuechain_consejo.pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        on_click="ignore",
    )
    d2.download_button(tr("deck_pdf"), pdf, "valuechain_consejo.pdf", "application/pdf", on_click="ignore")
