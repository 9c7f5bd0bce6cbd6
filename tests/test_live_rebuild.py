"""A rebuild from the command line reaches the running app: sessions keep working while it runs, and the
next session shows the new data without a restart (a bounded load test, in-process with AppTest)."""

import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ui.pages import SCRIPTS

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
SESSIONS = 4


def members_metric(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Empresas socias")


def test_pages_keep_working_during_a_cli_rebuild_and_new_sessions_see_it(workspace, monkeypatch, tmp_path):
    import streamlit as st

    db, inputs = workspace
    monkeypatch.setenv("VALUECHAIN_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    before = members_metric(AppTest.from_file(APP, default_timeout=60).run())
    members = tmp_path / "nuevos.csv"
    members.write_text("name,cluster_id,tier,cve_ent\nUno,nl,Tier 1,19\nDos,gto,Tier 2,11\n", encoding="utf-8")
    rebuild = subprocess.Popen(
        [sys.executable, "-m", "etl", "import-members", str(members), "--db", str(db), "--inputs", str(inputs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    errors = []

    def cycle(k: int) -> None:
        at = AppTest.from_file(APP, default_timeout=60).run()
        for page in SCRIPTS[k % 2 :: 2]:
            at.switch_page(page).run()
            errors.extend(e.message for e in at.exception)

    for k in range(SESSIONS):  # sessions one after another (AppTest runs one script at a time) while it rebuilds
        cycle(k)
    out, err = rebuild.communicate(timeout=300)
    assert rebuild.returncode == 0, err
    assert errors == []
    after = AppTest.from_file(APP, default_timeout=60).run()  # a new session, no restart
    assert not after.exception
    assert before != "2" and members_metric(after) == "2"
    st.cache_resource.clear()
