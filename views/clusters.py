"""Clusters: a profile for each REDCAM cluster and a side-by-side comparison of up to four."""

import streamlit as st

from ui.common import cached, facts_table, members_source, sample_banner, tr

st.title(tr("page_clusters"))
sample_banner()

profiles = cached("cluster_profiles").set_index("cluster_id")
names = {cid: f"{row.acronym or cid} · {row['name'].split(',')[0]}" for cid, row in profiles.iterrows()}
FIELDS = {
    "states": "states",
    "hq_city": "hq",
    "founded": "founded",
    "members_reported_text": "members_reported",
    "members_loaded": "members_loaded",
    "tier_mix": "tier_mix",
    "main_processes": "main_processes",
    "plant_companies": "plants_in_states",
    "esca": "esca",
    "source": "sources",
}


def shown(value) -> str:
    """A profile value as text, with a dash where there is none."""
    if value is None or value != value:  # NaN
        return tr("none")
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


chosen = st.selectbox(tr("profile"), list(names), format_func=names.get, key="profile", bind="query-params")
row = profiles.loc[chosen]
st.header(row["name"])
c1, c2, c3 = st.columns(3)
c1.metric(tr("founded"), shown(row["founded"]))
c2.metric(
    tr("members_reported"),
    shown(row["members_reported_text"]).split(" (")[0][:40],
    help=f"{shown(row['members_reported_text'])} ({shown(row['members_year'])})",
)
c3.metric(tr("members_loaded"), f"{int(row['members_loaded']):,}")
st.table({tr(label): shown(row[col]) for col, label in FIELDS.items()})
st.caption(tr("source_line", sources=f"{row['source']} (data/SOURCES.md); {members_source()}"))
facts_table(chosen)

st.subheader(tr("compare"))
picked = st.multiselect(
    tr("compare"),
    list(names),
    default=list(names)[:3],
    format_func=names.get,
    max_selections=4,
    key="compare",
    bind="query-params",
    label_visibility="collapsed",
)
if not picked:
    st.info(tr("empty"))
else:
    table = profiles.loc[picked, list(FIELDS)].map(shown).T
    table.index = [tr(label) for label in FIELDS.values()]
    table.columns = [names[c] for c in picked]
    st.dataframe(table, width="stretch")
    st.caption(tr("source_line", sources=f"data/SOURCES.md; {members_source()}"))
