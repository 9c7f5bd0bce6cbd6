"""What changed: DENUE openings and closings between editions, and members between any two loads."""

import duckdb

from valuechain import changes


def test_denue_openings_and_closings_count_stable_ids(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        frame = changes.denue_changes(con, "2024-11", "2025-11")
        ids = "SELECT denue_id FROM denue_establishments WHERE edition = '{}'"
        count = "SELECT count(*) FROM ({} EXCEPT {})"
        opened = con.execute(count.format(ids.format("2025-11"), ids.format("2024-11"))).fetchall()[0][0]
        closed = con.execute(count.format(ids.format("2024-11"), ids.format("2025-11"))).fetchall()[0][0]
        assert frame["opened"].sum() == opened > 0 and frame["closed"].sum() == closed > 0
        assert "Bajío" in set(frame["corridor"])


def test_members_joined_left_shifted_and_processes_between_two_loads(tmp_path, workspace, run_etl):
    db, inputs = workspace
    header = "member_id,name,cluster_id,tier,cve_ent,municipality,processes\n"
    first = header + "A,Uno,nl,Tier 2,19,Apodaca,machining\nB,Dos,nl,Tier 3,19,Apodaca,stamping\n"
    second = header + "A,Uno,nl,Tier 1,19,Apodaca,machining;forging\nC,Tres,gto,Tier 2,11,León,stamping\n"
    path = tmp_path / "socios.csv"
    for text in (first, second):
        path.write_text(text, encoding="utf-8")
        code, _, err = run_etl("import-members", path, "--db", db, "--inputs", inputs)
        assert code == 0, err
    assert run_etl("build", "--db", db, "--inputs", inputs)[0] == 0  # a rebuild keeps the comparison
    with duckdb.connect(str(db), read_only=True) as con:
        frame = changes.member_changes(con, "es", "fuera")
        total = frame.drop(columns="corridor").sum()
        assert (total.joined, total.left, total.tier_shifts) == (1, 1, 1)  # C joined, B left, A moved to Tier 1
        assert (total.processes_gained, total.processes_lost) == (2, 1)  # A forging, C stamping; B stamping
        lines = changes.summary(con, "en")
    assert any(
        line.startswith("Members, from the load of") and "to the current list: 1 joined, 1 left, 1 changed tier" in line
        for line in lines
    )


def test_overview_says_what_changed(app_env):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any(s.value == "Qué cambió" for s in at.subheader)
    assert any("DENUE 2024-11 → 2025-11" in m.value for m in at.markdown)


def test_any_two_of_three_editions_can_be_compared(tmp_path, workspace, run_etl, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP
    from tests.test_denue import denue_file, row

    db, inputs = workspace
    for year, ids in (("2023", ["1"]), ("2024", ["1", "2"]), ("2025", ["2", "3", "4"])):
        rows = [row(i, "336390", f"Autopartes {i}") for i in ids]
        path = denue_file(tmp_path, rows, f"denue_inegi_{year}_05.csv")
        assert run_etl("import-denue", path, "--db", db, "--inputs", inputs)[0] == 0
    monkeypatch.setenv("VALUECHAIN_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["changed_from"] = "2023-05"
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "DENUE 2023-05 → 2025-05: 3 establecimientos automotrices y de proveeduría abrieron y 1 cerraron" in text
    st.cache_resource.clear()


def test_any_two_of_three_member_loads_can_be_compared(tmp_path, workspace, run_etl, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    db, inputs = workspace
    header = "member_id,name,cluster_id,tier,cve_ent,municipality,processes\n"
    path = tmp_path / "socios.csv"
    for ids in ("AB", "ABC", "CD"):
        path.write_text(header + "".join(f"{i},Socio {i},nl,Tier 2,19,Apodaca,machining\n" for i in ids))
        assert run_etl("import-members", path, "--db", db, "--inputs", inputs)[0] == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert [n for n, _ in changes.member_loads(con)] == [1, 2]  # AB, ABC kept; CD is the current list

        def moves(old, new):
            total = changes.member_changes(con, "es", "fuera", old, new).drop(columns="corridor").sum()
            return int(total.joined), int(total.left)

        assert moves(None, None) == (1, 2)  # ABC -> CD, the default
        assert moves(1, None) == (2, 2)  # AB -> CD
        assert moves(1, 2) == (1, 0)  # AB -> ABC
    monkeypatch.setenv("VALUECHAIN_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["load_from"] = "1"
    at.query_params["load_to"] = "2"
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert ": 1 joined, 0 left, 0 changed tier" in text
    st.cache_resource.clear()
