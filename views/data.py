"""Data: upload a member list (validated before anything is written), load history, sources, sample data."""

import tempfile
from pathlib import Path

import streamlit as st

from ui import auth, data, loading
from ui.common import lang, names, tr
from valuechain import dictionary, member_columns
from valuechain.problems import InputError

st.title(tr("data_title"))

viewer = auth.viewer()
if not viewer.loads:
    st.info(tr("loads_admin_only"))
else:
    uploaded = st.file_uploader(tr("upload_members"), type=["csv", "xlsx"], key="member_upload")
    st.caption(tr("upload_cap", mb=st.get_option("server.maxUploadSize")))
    clusters = names("cluster")
    choices = [viewer.cluster] if viewer.cluster else [None, *clusters]  # a cluster's admin loads their own
    cluster = st.selectbox(
        tr("cluster_for_all"),
        choices,
        format_func=lambda c: "—" if c is None else clusters[c],
        key="upload_cluster",
        placeholder=tr("choose_one"),
    )
    if uploaded is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(uploaded.name).name
            path.write_bytes(uploaded.getvalue())
            rows, problems = loading.check(path, viewer, cluster, lang(), uploaded.name)
            if problems:
                st.error(tr("validation_failed"))
                st.code("\n".join(problems), language=None)
            else:
                st.success(tr("validation_ok", n=rows))
                if ignored := loading.ignored_columns(path):
                    st.warning(tr("ignored_columns", columns=", ".join(ignored)))
                if st.button(tr("load"), type="primary", key="load_members"):
                    try:
                        counts = loading.load(path, viewer, cluster)
                    except InputError as exc:
                        st.error(tr("load_failed"))
                        st.code("\n".join(exc.lines(lang(), uploaded.name)), language=None)
                    else:
                        st.cache_data.clear()
                        st.cache_resource.clear()  # closes the connection so the rebuilt file is read
                        st.success(tr("loaded", n=counts["members"]))
    survey = st.file_uploader(tr("upload_hr"), type=["csv", "xlsx"], key="hr_upload", help=tr("upload_hr_help"))
    if survey is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / Path(survey.name).name
            path.write_bytes(survey.getvalue())
            rows, problems = loading.check_hr(path, viewer, lang(), survey.name)
            if problems:
                st.error(tr("validation_failed"))
                st.code("\n".join(problems), language=None)
            else:
                st.success(tr("validation_ok", n=rows))
                if st.button(tr("load"), type="primary", key="load_hr"):
                    try:
                        counts = loading.load_hr(path, viewer)
                    except InputError as exc:
                        st.error(tr("load_failed"))
                        st.code("\n".join(exc.lines(lang(), survey.name)), language=None)
                    else:
                        st.cache_data.clear()
                        st.cache_resource.clear()
                        st.success(tr("hr_loaded", n=counts["hr_survey"]))

st.download_button(
    tr("template"),
    loading.TEMPLATE_CSV.encode("utf-8-sig"),
    "plantilla_socios.csv",
    "text/csv",
    on_click="ignore",
    icon="📄",
)
st.subheader(tr("columns_doc"))
doc = dictionary.dictionary("members", lang())
doc = doc[~doc["column"].isin(["state", "source"])]
doc[tr("required")] = doc["column"].isin(member_columns.required()).map({True: "✔", False: ""})
st.dataframe(doc, hide_index=True, column_config={"column": tr("column"), "description": tr("description")})

st.subheader(tr("about_sample_title"))
st.markdown(tr("about_sample"))

if viewer.sees_members and viewer.cluster is None:  # the history names the network's files
    st.subheader(tr("load_history"))
    st.dataframe(data.load_history(), hide_index=True, width="stretch")
if viewer.loads:
    st.subheader(tr("audit_title"))
    st.caption(tr("audit_caption"))
    trail = data.audit_trail(viewer)
    if trail.empty:
        st.info(tr("audit_empty"))
    else:
        st.dataframe(trail, hide_index=True, width="stretch")

st.subheader(tr("table_sources"))
st.dataframe(
    data.table_sources(),
    hide_index=True,
    width="stretch",
    column_config={"table_name": tr("table"), "sources": tr("sources")},
)
with st.expander(tr("all_sources")):
    st.dataframe(
        data.sources(),
        hide_index=True,
        width="stretch",
        column_config={"url": st.column_config.LinkColumn("url")},
    )
