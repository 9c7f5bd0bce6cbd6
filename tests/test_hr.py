"""HR statistics: the survey import, pooled rates and medians computed by hand, and their protection."""

import duckdb
import pandas as pd
import pytest

from etl.__main__ import import_hr, import_members
from valuechain import disclosure, hr, visible
from valuechain.access import Viewer
from valuechain.catalog import Filters
from valuechain.problems import InputError

PUBLIC, STAFF = Viewer("public", "someone@example.com"), Viewer("staff", "ana@red.example")
MEMBERS = (
    "member_id,name,cluster_id,tier,cve_ent\n"
    "N1,Norte Uno,nl,Tier 2,19\nN2,Norte Dos,nl,Tier 2,19\nN3,Norte Tres,nl,Tier 2,19\n"
    "C1,Coahuila Uno,coah,Tier 2,05\nC2,Coahuila Dos,coah,Tier 2,05\n"
    "Q1,Querétaro Grande,qro,Tier 1,22\nQ2,Querétaro Chica,qro,Tier 2,22\nQ3,Querétaro Mini,qro,Tier 2,22\n"
    "G1,León Uno,gto,Tier 2,11\nG2,León Dos,gto,Tier 2,11\nG3,León Tres,gto,Tier 2,11\nG4,León Cuatro,gto,Tier 2,11\n"
)
HEADER = "member_id,period,employees_start,employees_end,hires,separations,quits,training_hours\n"
NL = (  # three firms, two months of the first quarter (March has no data)
    "N1,2026-01,100,110,15,5,3,200\nN2,2026-01,50,40,2,12,10,\nN3,2026-01,20,20,3,1,,30\n"
    "N1,2026-02,110,112,4,2,1,100\nN2,2026-02,40,40,3,3,2,\nN3,2026-02,20,21,1,0,,10\n"
)
OTHERS = (  # Querétaro dominated by one firm in February, balanced in January
    "C1,2026-01,30,30,1,1,,\nC2,2026-01,40,40,1,1,,\n"
    "Q1,2026-01,60,60,2,2,,\nQ2,2026-01,50,50,1,1,,\nQ3,2026-01,55,55,1,1,,\n"
    "G1,2026-01,70,70,2,2,,\nG2,2026-01,80,80,2,2,,\nG3,2026-01,90,90,2,2,,\nG4,2026-01,60,60,2,2,,\n"
    "C1,2026-02,30,30,1,1,,\nC2,2026-02,40,40,1,1,,\n"
    "Q1,2026-02,1000,1000,2,2,,\nQ2,2026-02,10,10,1,1,,\nQ3,2026-02,10,10,1,1,,\n"
    "G1,2026-02,70,70,2,2,,\nG2,2026-02,80,80,2,2,,\nG3,2026-02,90,90,2,2,,\nG4,2026-02,60,60,2,2,,\n"
)


@pytest.fixture()
def survey(tmp_path, workspace):
    db, inputs = workspace
    (tmp_path / "socios.csv").write_text(MEMBERS, encoding="utf-8")
    import_members(tmp_path / "socios.csv", db, inputs)
    (tmp_path / "encuesta.csv").write_text(HEADER + NL + OTHERS, encoding="utf-8")
    import_hr(tmp_path / "encuesta.csv", db, inputs)
    with duckdb.connect(str(db), read_only=True) as con:
        yield con


def row(frame: pd.DataFrame, group: str) -> pd.Series:
    return frame.set_index("group_id").loc[group]


def test_one_month_pooled_over_three_firms(survey):
    nl = row(hr.figures(survey, "cluster", ["2026-01"], Filters(clusters=("nl",))), "nl")
    assert nl["firms"] == 3 and nl["employees_avg"] == 170  # (100+110)/2 + (50+40)/2 + (20+20)/2
    assert nl["turnover_pct"] == pytest.approx(18 / 170 * 100)
    assert nl["hires_pct"] == pytest.approx(20 / 170 * 100)
    assert nl["quits_pct"] == pytest.approx(13 / 150 * 100)  # over the two firms that report quits
    assert nl["training_hours_per_employee"] == pytest.approx(230 / 125)  # over the two that report hours
    assert nl["turnover_median_pct"] == pytest.approx(5.0)  # firms: 4.76, 26.67, 5.00


def test_a_quarter_is_the_periods_sum_over_the_mean_monthly_employment(survey):
    nl = row(hr.figures(survey, "cluster", hr.months_of("2026-Q1"), Filters(clusters=("nl",))), "nl")
    assert nl["employees_avg"] == pytest.approx((170 + 171.5) / 2)  # March has no data: two months
    assert nl["turnover_pct"] == pytest.approx(23 / 170.75 * 100)
    assert nl["hires_pct"] == pytest.approx(28 / 170.75 * 100)
    assert nl["turnover_median_pct"] == pytest.approx(7 / 108 * 100)  # firms: 6.48, 35.29, 4.94


def test_periods_and_levels_in_words():
    assert hr.months_of("2026-Q2") == ["2026-04", "2026-05", "2026-06"] and len(hr.months_of("2025")) == 12
    with pytest.raises(hr.HrError, match="Unknown period '2026-13'"):
        hr.months_of("2026-13")
    with pytest.raises(hr.HrError, match="Unknown level 'brand'"):
        hr.figures(None, "brand", ["2026-01"])


def test_a_two_firm_group_and_a_dominated_group_are_hidden_for_the_public(survey):
    table = visible.hr_table(survey, PUBLIC, "cluster", "2026-02", Filters(), "en").set_index("group_id")
    assert table.loc["coah", "status"] == "primary" and table.loc["qro", "status"] == "primary"  # 2 firms; 1000 of 1020
    assert table.loc[["coah", "qro"], hr.FIGURES].isna().all().all()  # every figure empty, the firm count included
    assert table.loc["_total", "status"] == "published"
    everything = visible.hr_table(survey, STAFF, "cluster", "2026-02", Filters(), "en").set_index("group_id")
    assert (everything["status"] == "published").all() and everything.loc["coah", "firms"] == 2


def test_a_lone_hidden_group_is_not_the_total_minus_the_others(survey):
    table = visible.hr_table(survey, PUBLIC, "cluster", "2026-01", Filters(), "en")
    status = table.set_index("group_id")["status"]
    assert status["coah"] == "primary" and (status == "secondary").sum() == 1  # Querétaro is balanced in January
    shown = table[table["status"] == "published"]
    hidden_firms = (
        shown.loc[shown["group_id"] == "_total", "firms"].item()
        - shown.loc[shown["group_id"] != "_total", "firms"].sum()
    )
    assert hidden_firms >= disclosure.MIN_FIRMS  # the difference only bounds the hidden groups together


def test_cluster_staff_see_their_own_cluster_in_full():
    frame = pd.DataFrame(
        {
            "group_id": ["nl", "coah", "_total"],
            "period": "",
            "firms": [2, 5, 7],
            "employees_avg": [10.0, 50.0, 60.0],
            "firm_emp": [10.0, 50.0, 60.0],
            "largest": [6.0, 12.0, 12.0],
            "second": [4.0, 11.0, 11.0],
        }
    )
    for c in hr.FIGURES + hr.MEDIANS:
        frame[c] = frame.get(c, 1.0)
    own = hr.protected(frame, everything=False, shown=frame["group_id"].eq("nl"))
    assert list(own["status"]) == ["published", "published", "published"]
    public = hr.protected(frame, everything=False)
    assert list(public["status"]) == ["primary", "secondary", "published"]


def test_refusals_name_their_lines(tmp_path, workspace):
    db, inputs = workspace
    (tmp_path / "socios.csv").write_text(MEMBERS, encoding="utf-8")
    import_members(tmp_path / "socios.csv", db, inputs)
    bad = tmp_path / "mala.csv"
    bad.write_text(
        HEADER + "N1,2026-01,10,10,1,1,,\nN1,2026-01,10,10,1,1,,\nXX,2026-1,10,-2,1.5,1,2,\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as refused:
        import_hr(bad, db, inputs)
    lines = [str(p).replace(f"{bad}:", "") for p in refused.value.problems]
    assert lines == [
        "2: column 'period': member 'N1' and month 2026-01 are given twice (lines 2, 3)",
        "3: column 'period': member 'N1' and month 2026-01 are given twice (lines 2, 3)",
        "4: column 'employees_end': '-2' is negative",
        "4: column 'hires': '1.5' is not a whole number",
        "4: column 'member_id': unknown member 'XX'",
        "4: column 'period': '2026-1' is not a month YYYY-MM",
        "4: column 'quits': quits 2 exceed separations 1",
    ]


def test_a_later_file_replaces_a_member_month_and_both_are_kept(tmp_path, workspace):
    db, inputs = workspace
    (tmp_path / "socios.csv").write_text(MEMBERS, encoding="utf-8")
    import_members(tmp_path / "socios.csv", db, inputs)
    (tmp_path / "enero.csv").write_text(HEADER + "N1,2026-01,10,10,1,1,,\nN2,2026-01,5,5,0,0,,\n")
    (tmp_path / "correccion.csv").write_text(HEADER + "N1,2026-01,10,12,3,1,,\n")
    import_hr(tmp_path / "enero.csv", db, inputs)
    import_hr(tmp_path / "correccion.csv", db, inputs)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT member_id, hires, source FROM hr_survey ORDER BY 1").fetchall()
        log = con.execute("SELECT message FROM load_log WHERE action = 'import-hr' ORDER BY logged_at").fetchall()
    assert rows == [("N1", 3, "correccion.csv"), ("N2", 0, "enero.csv")]  # no sample survey beside a real one
    assert sorted(p.name for p in (inputs / "hr").glob("*.csv")) == ["correccion.csv", "enero.csv"]
    assert "correccion.csv replaces 1 member-months" in log[-1][0]


def test_the_sample_survey_is_there_on_a_fresh_build_and_flagged(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        sources = con.execute("SELECT DISTINCT source FROM hr_survey").fetchall()
        months = con.execute("SELECT count(DISTINCT period) FROM hr_survey").fetchone()[0]
    assert sources == [("sample",)] and months == 24


def test_the_command_prints_the_documented_csv(built_db, capsys):
    assert hr.main(["--by", "tier", "--period", "2026-Q3", "--db", str(built_db), "--cluster", "ags"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(hr.HEADER) and lines[-1].startswith("_total,")
    assert hr.main(["--by", "brand", "--period", "2026", "--db", str(built_db)]) == 2
    assert "Unknown level 'brand'" in capsys.readouterr().err


def test_the_data_page_checks_and_loads_a_survey(tmp_path, workspace, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    db, inputs = workspace
    monkeypatch.setenv("VALUECHAIN_DB", str(db))
    monkeypatch.setenv("VALUECHAIN_INPUTS", str(inputs))
    monkeypatch.setenv("VALUECHAIN_AUDIT", str(tmp_path / "audit.jsonl"))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.switch_page("views/data.py").run()
    bad = HEADER + "SAMPLE-0000001,2026-10,10,10,1,1,3,\n"
    at.file_uploader(key="hr_upload").set_value(("encuesta.csv", bad.encode(), "text/csv")).run()
    assert "encuesta.csv:2: columna 'quits': las renuncias (3) superan las separaciones (1)" in at.code[0].value
    good = HEADER + "SAMPLE-0000001,2026-10,10,12,3,1,1,\n"
    at.file_uploader(key="hr_upload").set_value(("encuesta.csv", good.encode(), "text/csv")).run()
    at.button(key="load_hr").click().run()
    assert not at.exception and any("1" in s.value for s in at.success)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT member_id, hires, source FROM hr_survey").fetchall() == [
            ("SAMPLE-0000001", 3, "encuesta.csv")
        ]
    st.cache_resource.clear()


def test_a_cluster_admin_loads_the_survey_of_their_own_members_only(tmp_path, workspace):
    db, inputs = workspace
    (tmp_path / "socios.csv").write_text(MEMBERS, encoding="utf-8")
    import_members(tmp_path / "socios.csv", db, inputs)
    mixed = tmp_path / "claut.csv"
    mixed.write_text(HEADER + "N1,2026-01,10,10,1,1,,\nQ1,2026-01,10,10,1,1,,\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        import_hr(mixed, db, inputs, own="nl")
    assert [str(p) for p in refused.value.problems] == [
        f"{mixed}:3: column 'member_id': a member of cluster 'qro': you load members of cluster nl only"
    ]
