"""Clusters: a profile for each REDCAM cluster and a side-by-side comparison of up to four."""

import streamlit as st

from ui import data, urlstate
from ui.common import count_text, facts_table, lang, members_source, sample_banner, sources_in_words, tr
from ui.shown import remember
from valuechain.i18n import N_

st.title(tr("page_clusters"))
sample_banner()

profiles = data.cluster_profiles(lang()).set_index("cluster_id")
names = {cid: f"{row['short_name']} · {row['name'].split(',')[0]}" for cid, row in profiles.iterrows()}
short = profiles["short_name"].to_dict()
FIELDS = {
    "states": N_("states"),
    "hq_city": N_("hq"),
    "founded": N_("founded"),
    "members_reported_text": N_("members_reported"),
    "members_loaded": N_("members_loaded"),
    "tier_mix": N_("tier_mix"),
    "main_processes": N_("main_processes"),
    "plant_companies": N_("plants_in_states"),
    "esca": N_("esca"),
    "source": N_("sources"),
}


def shown(value) -> str:
    """A profile value as text, with a dash where there is none."""
    if value is None or value != value:  # NaN: nothing to show, or a count suppressed for this viewer
        return count_text(value)
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


urlstate.restore("profile", {k: k for k in names} | {v.casefold(): k for k, v in short.items()})
chosen = st.selectbox(tr("profile"), list(names), format_func=names.get, key="profile", placeholder=tr("choose_one"))
urlstate.publish("profile", chosen, default=next(iter(names)))
row = profiles.loc[chosen]
st.header(row["name"])
c1, c2, c3 = st.columns(3)
c1.metric(tr("founded"), shown(row["founded"]))
c2.metric(
    tr("members_reported"),
    shown(row["members_reported"]),
    help=f"{shown(row['members_reported_text'])} ({shown(row['members_year'])})",
)
c3.metric(tr("members_loaded"), count_text(row["members_loaded"]))
st.table({tr(label): shown(row[col]) for col, label in FIELDS.items()})
st.caption(tr("source_line", sources=f"{sources_in_words(row['source'])}; {members_source()}"))
facts_table(chosen)

st.subheader(tr("compare"))
if "compare" not in st.session_state:
    st.session_state["compare"] = list(names)[:3]
urlstate.restore("compare", {k: k for k in names} | {v.casefold(): k for k, v in short.items()}, many=True)
picked = st.multiselect(
    tr("compare"),
    list(names),
    format_func=names.get,
    max_selections=4,
    key="compare",
    label_visibility="collapsed",
    placeholder=tr("choose"),
)
urlstate.publish("compare", tuple(picked), default=tuple(list(names)[:3]))
remember(compare=tuple(picked))  # the deck compares the same clusters
if not picked:
    st.info(tr("empty"))
else:
    table = profiles.loc[picked, list(FIELDS)].map(shown).T
    table.index = [tr(label) for label in FIELDS.values()]
    table.columns = [short[c] for c in picked]
    st.dataframe(table, width="stretch")
    st.caption(tr("source_line", sources=f"data/SOURCES.md; {members_source()}"))
