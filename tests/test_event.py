"""The supplier event's scheduler: every rule on small hand-made events, and any schedule re-checked against
every rule without the solver."""

import json
from pathlib import Path

import pandas as pd
import pytest

from valuechain import event
from valuechain.event import cli, solve

TOML = """name = "Encuentro de prueba"
slot_minutes = 20
tables = {tables}
{limit}
[[days]]
date = "2027-03-10"
start = "09:00"
end = "10:20"
breaks = ["09:20-09:40"]
"""


def folder(tmp_path: Path, buyers, suppliers, requests, tables=2, max_meetings=None) -> Path:
    """An event of one morning: slots 09:00, 09:40, 10:00 (the break takes 09:20)."""
    (tmp_path / "event.toml").write_text(
        TOML.format(tables=tables, limit=f"max_meetings = {max_meetings}" if max_meetings else ""), encoding="utf-8"
    )
    for name, rows, id_col in (("buyers", buyers, "buyer_id"), ("suppliers", suppliers, "supplier_id")):
        body = "".join(f"{pid},{pid} SA,machining,{window}\n" for pid, window in rows)
        (tmp_path / f"{name}.csv").write_text(f"{id_col},company,processes,available\n{body}", encoding="utf-8")
    body = "".join(f"{b},{s},{p},{by}\n" for b, s, p, by in requests)
    (tmp_path / "requests.csv").write_text(f"buyer_id,supplier_id,priority,requested_by\n{body}", encoding="utf-8")
    return tmp_path


def run(path: Path, capsys, *extra: str) -> tuple[dict, pd.DataFrame]:
    assert cli.main(["schedule", str(path), "--time-limit", "10", *extra]) == 0
    report = json.loads(capsys.readouterr().out)
    return report, pd.read_csv(path / "schedule.csv", dtype=str)


def broken_rules(path: Path, plan: pd.DataFrame) -> list[str]:
    """Every rule, checked on the written schedule alone (no solver, no scheduler code but the reader)."""
    ev = event.read(path)
    slot_of = {(s.day, s.start): i for i, s in enumerate(ev.slots)}
    wrong = []
    for row in plan.itertuples(index=False):
        t = slot_of.get((row.day, row.start))
        if t is None:
            wrong.append(f"{row} is not a slot")
        for pid in (row.buyer_id, row.supplier_id):
            if t not in ev.available[pid]:
                wrong.append(f"{pid} is not available at {row.start}")
        if (row.buyer_id, row.supplier_id) not in ev.pairs:
            wrong.append(f"{row.buyer_id}-{row.supplier_id} was not asked for, or is forbidden")
    for pid_col in ("buyer_id", "supplier_id"):
        if plan.duplicated([pid_col, "day", "start"]).any():
            wrong.append(f"a {pid_col} in two meetings at once")
        if ev.max_meetings and (plan[pid_col].value_counts() > ev.max_meetings).any():
            wrong.append(f"a {pid_col} over max_meetings")
    if plan.duplicated(["buyer_id", "supplier_id"]).any():
        wrong.append("a pair met twice")
    if (plan.groupby(["day", "start"]).size() > ev.tables).any():
        wrong.append("more meetings than tables in a slot")
    return wrong


def test_slots_skip_the_break():
    slots = event.slots_of(
        {
            "slot_minutes": 20,
            "days": [{"date": "2027-03-10", "start": "09:00", "end": "10:20", "breaks": ["09:20-09:40"]}],
        },
        "event.toml",
    )
    assert [s.start for s in slots] == ["09:00", "09:40", "10:00"]


def test_the_bound_is_reached_and_every_rule_holds(tmp_path, capsys):
    path = folder(
        tmp_path,
        [("B1", ""), ("B2", "")],
        [("S1", ""), ("S2", ""), ("S3", "2027-03-10 09:40-10:20")],
        [
            ("B1", "S1", "must", "buyer"),
            ("B1", "S2", "meet", "buyer"),
            ("B2", "S1", "meet", "supplier"),
            ("B2", "S3", "must", "buyer"),
            ("B2", "S3", "meet", "supplier"),
            ("B1", "S3", "no", "supplier"),
            ("B1", "S3", "meet", "buyer"),
        ],
    )
    report, plan = run(path, capsys)
    assert report["requests"] == 4 and report["must_requests"] == 2  # B1-S3 forbidden; B2-S3 asked by both sides
    assert report["scheduled"] == report["upper_bound"] == 4 and report["optimal"] is True
    assert report["must_scheduled"] == 2 and report["unscheduled"] == []
    assert plan.loc[(plan.buyer_id == "B2") & (plan.supplier_id == "S3"), "priority"].item() == "must"
    assert broken_rules(path, plan) == []


def test_when_tables_bind_the_must_meetings_come_first(tmp_path, capsys):
    buyers = [(f"B{i}", "2027-03-10 09:00-09:20") for i in range(1, 4)]  # one slot each
    suppliers = [(f"S{i}", "") for i in range(1, 4)]
    requests = [("B1", "S1", "meet", "buyer"), ("B2", "S2", "must", "buyer"), ("B3", "S3", "meet", "buyer")]
    report, plan = run(folder(tmp_path, buyers, suppliers, requests, tables=1), capsys)
    assert report["scheduled"] == report["upper_bound"] == 1  # one table in the one slot they share
    assert list(plan["buyer_id"]) == ["B2"] and report["must_scheduled"] == 1
    assert {u["reason"] for u in report["unscheduled"]} == {"every table is taken when both are free"}
    assert broken_rules(tmp_path, plan) == []


def test_max_meetings_and_windows_give_their_reasons(tmp_path, capsys):
    path = folder(
        tmp_path,
        [("B1", ""), ("B2", "2027-03-10 09:00-09:20")],
        [("S1", ""), ("S2", ""), ("S3", ""), ("S4", "2027-03-10 10:00-10:20")],
        [
            ("B1", "S1", "meet", "buyer"),
            ("B1", "S2", "meet", "buyer"),
            ("B1", "S3", "meet", "buyer"),
            ("B2", "S4", "meet", "buyer"),
        ],
        max_meetings=2,
    )
    report, plan = run(path, capsys)
    assert report["scheduled"] == report["upper_bound"] == 2
    reasons = {(u["buyer_id"], u["supplier_id"]): u["reason"] for u in report["unscheduled"]}
    assert reasons[("B2", "S4")] == "the buyer and the supplier have no time in common"
    assert list(reasons.values()).count("the buyer has its most meetings") == 1
    assert broken_rules(path, plan) == []


def test_keep_leaves_earlier_meetings_in_place(tmp_path, capsys):
    path = folder(tmp_path, [("B1", "")], [("S1", ""), ("S2", "")], [("B1", "S1", "meet", "buyer")])
    _, first = run(path, capsys)
    (path / "first.csv").write_text(first.to_csv(index=False), encoding="utf-8")
    with open(path / "requests.csv", "a", encoding="utf-8") as f:
        f.write("B1,S2,must,supplier\n")  # a late registration
    report, plan = run(path, capsys, "--keep", str(path / "first.csv"))
    kept = plan[plan.supplier_id == "S1"]
    assert (kept["start"].item(), report["scheduled"]) == (first["start"].item(), 2)
    assert broken_rules(path, plan) == []


@pytest.mark.parametrize(
    ("request_line", "sentence"),
    [
        ("B9,S1,meet,buyer", "requests.csv:3: unknown buyer 'B9'."),
        ("B1,S1,maybe,buyer", "requests.csv:3: priority 'maybe' is not must, meet or no."),
        ("B1,S1,must,buyer", "requests.csv:3: the buyer asked for this pair already on line 2."),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(tmp_path, capsys, request_line, sentence):
    path = folder(tmp_path, [("B1", "")], [("S1", "")], [("B1", "S1", "meet", "buyer")])
    with open(path / "requests.csv", "a", encoding="utf-8") as f:
        f.write(request_line + "\n")
    assert cli.main(["schedule", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(sentence) and "\n" not in err


def test_a_window_outside_the_days_is_refused(tmp_path, capsys):
    path = folder(tmp_path, [("B1", "2027-03-12 09:00-10:00")], [("S1", "")], [("B1", "S1", "meet", "buyer")])
    assert cli.main(["schedule", str(path)]) == 2
    assert "outside the event's days" in capsys.readouterr().err


def test_the_report_counts_meetings_held_no_shows_and_leads(tmp_path, capsys):
    path = folder(
        tmp_path,
        [("B1", ""), ("B2", "")],
        [("S1", ""), ("S2", "")],
        [("B1", "S1", "meet", "buyer"), ("B2", "S2", "meet", "buyer"), ("B1", "S2", "meet", "buyer")],
    )
    (path / "suppliers.csv").write_text(
        "supplier_id,company,processes,cve_ent\nS1,S1 SA,machining;stamping,19\nS2,S2 SA,forging,22\n"
    )
    run(path, capsys)
    (path / "outcomes.csv").write_text(
        "buyer_id,supplier_id,happened,result\nB1,S1,yes,quote_requested\nB2,S2,yes,informative\nB1,S2,no,\n"
    )
    got = event.report(path, {"19": "saltillo_monterrey", "22": "bajio"})
    assert (got["scheduled"], got["held"], got["no_show_rate"], got["leads"]) == (3, 2, round(1 / 3, 4), 1)
    assert got["leads_by_process"] == {"machining": 1, "stamping": 1}
    assert got["leads_by_corridor"] == {"saltillo_monterrey": 1}
    with open(path / "outcomes.csv", "a") as f:
        f.write("B2,S1,yes,informative\n")
    assert cli.main(["report", str(path)]) == 2
    assert "outcomes.csv:5: no meeting of B2 and S1 in the schedule." in capsys.readouterr().err


def test_an_unknown_process_or_time_zone_is_refused(tmp_path, capsys):
    path = folder(tmp_path, [("B1", "")], [("S1", "")], [("B1", "S1", "meet", "buyer")])
    (path / "suppliers.csv").write_text("supplier_id,company,processes\nS1,S1 SA,machining;welding\n")
    assert cli.main(["schedule", str(path)]) == 2
    assert capsys.readouterr().err.strip().endswith("suppliers.csv:2: unknown process 'welding'.")
    (path / "suppliers.csv").write_text("supplier_id,company,processes\nS1,S1 SA,machining\n")
    toml = path / "event.toml"
    toml.write_text('timezone = "Mexico/Atlantis"\n' + toml.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli.main(["schedule", str(path)]) == 2
    assert "timezone 'Mexico/Atlantis' is not a time zone" in capsys.readouterr().err


def test_a_broken_event_toml_is_one_sentence(tmp_path, capsys):
    path = folder(tmp_path, [("B1", "")], [("S1", "")], [])
    (path / "event.toml").write_text('name = "Encuentro\ntables = 2\n', encoding="utf-8")
    assert cli.main(["schedule", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "event.toml: not a TOML file (" in err and "\n" not in err and "Traceback" not in err


def test_an_id_that_a_spreadsheet_would_run_is_refused(tmp_path, capsys):
    path = folder(tmp_path, [("=HYPERLINK(1)", "")], [("S1", "")], [])
    assert cli.main(["schedule", str(path)]) == 2
    assert "buyers.csv:2: buyer_id '=HYPERLINK(1)' starts with =" in capsys.readouterr().err


def test_requests_may_come_as_xlsx(tmp_path, capsys):
    path = folder(tmp_path, [("B1", "")], [("S1", "")], [("B1", "S1", "must", "buyer")])
    pd.read_csv(path / "requests.csv", dtype=str).to_excel(path / "requests.xlsx", index=False)
    (path / "requests.csv").unlink()
    report, plan = run(path, capsys)
    assert report["scheduled"] == report["must_scheduled"] == report["must_upper_bound"] == 1


def test_suggest_ranks_the_event_suppliers_for_buyers_who_asked_for_nobody(tmp_path, built_db, capsys):
    path = folder(tmp_path, [("B1", ""), ("B2", "")], [("S1", "")], [("B2", "S1", "meet", "buyer")])
    (path / "buyers.csv").write_text(
        "buyer_id,company,processes,plant_id,cve_ent,iatf_required\n"
        "B1,GM,machining;stamping,gm_ramos,05,\nB2,Ford,machining,,,\nB3,Nissan,machining,,05,sí\n"
    )
    (path / "suppliers.csv").write_text(
        "supplier_id,company,processes,cve_ent,iatf_16949\n"
        "S1,Uno,machining,05,sí\n"  # 25 process + 25 same state + 15 IATF = 65
        "S2,Dos,machining;stamping,19,no\n"  # 50 process = 50
        "S3,Tres,forging,05,sí\n"  # no process asked for: never suggested
        "S4,Cuatro,stamping,11,no\n"  # 25
    )
    assert cli.main(["suggest", str(path), "--per-buyer", "2", "--db", str(built_db)]) == 0
    assert json.loads(capsys.readouterr().out) == {"buyers": 2, "suggested": 3}
    added = pd.read_csv(path / "requests.csv", dtype=str).tail(3)
    assert added.values.tolist() == [
        ["B1", "S1", "meet", "suggested"],
        ["B1", "S2", "meet", "suggested"],
        ["B3", "S1", "meet", "suggested"],  # IATF required: the one certified supplier of machining
    ]
    assert len(event.read(path).pairs) == 4  # the folder still reads, with the suggestions as requests
    assert cli.main(["suggest", str(path), "--db", str(built_db)]) == 0  # suggested once: not again
    assert json.loads(capsys.readouterr().out) == {"buyers": 0, "suggested": 0}


def test_the_sample_event_schedules_and_every_agenda_is_written(tmp_path, built_db, capsys):
    """The generated sample: CLAUT's scale, every rule held, agendas (PDF text, ICS, grid) as the schedule says."""
    import icalendar
    from openpyxl import load_workbook
    from pypdf import PdfReader

    path = tmp_path / "event"
    assert cli.main(["sample", str(path), "--db", str(built_db)]) == 0
    ev = event.read(path)
    assert (len(ev.buyers), len(ev.suppliers), ev.tables, len(ev.slots), ev.source) == (83, 600, 90, 48, "sample")
    assert 2_500 <= len(ev.pairs) <= 3_000
    assert cli.main(["suggest", str(path), "--db", str(built_db)]) == 0
    assert json.loads(capsys.readouterr().out)["buyers"] == 5  # the sample's last five buyers asked for nobody
    report, plan = run(path, capsys, "--time-limit", "2")  # the greedy first answer reaches the bound on the sample
    assert (
        report["must_scheduled"] == report["must_upper_bound"] and report["scheduled"] >= 0.99 * report["upper_bound"]
    )
    assert broken_rules(path, plan) == []
    assert cli.main(["agendas", str(path), "--out", str(path / "out"), "--lang", "en"]) == 0
    assert json.loads(capsys.readouterr().out)["participants"] == len(set(plan.buyer_id) | set(plan.supplier_id))
    first = plan.sort_values(["day", "start"]).iloc[0]
    text = PdfReader(path / "out" / f"{first.buyer_id}.pdf").pages[0].extract_text()
    assert first.supplier_id in text and f"{first.day} {first.start}-{first.end}" in text and "Sample data" in text
    calendar = icalendar.Calendar.from_ical((path / "out" / f"{first.supplier_id}.ics").read_bytes())
    meetings = [c for c in calendar.walk("VEVENT")]
    assert len(meetings) == (plan.supplier_id == first.supplier_id).sum()
    assert any(str(m.decoded("dtstart").tzinfo) == "America/Mexico_City" for m in meetings)
    sheet = load_workbook(path / "out" / "grid.xlsx").active
    cells = {c.value for row in sheet.iter_rows(min_row=2) for c in row[1:] if c.value}
    assert cells == {f"{b} / {s}" for b, s in zip(plan.buyer_id, plan.supplier_id, strict=True)}
    assert cli.main(["sample", str(path), "--outcomes"]) == 0
    assert cli.main(["report", str(path), "--db", str(built_db)]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["scheduled"] == len(plan) and 0 < got["held"] < len(plan)


def test_the_event_page_from_the_sample_to_results(app_env):
    """/event as Streamlit runs it: the sample, a schedule with its bound, agenda downloads, then results."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "English"
    at.run()
    at.switch_page("views/event.py").run()
    assert [i.value for i in at.info] == ["Upload the event's files or use the sample event."]
    at.button(key="event_use_sample").click().run()
    assert any(w.value.startswith("Sample event") for w in at.warning)
    shown = {m.label: m.value for m in at.metric}
    assert (shown["Buyers"], shown["Suppliers"], shown["Slots × tables"]) == ("83", "600", "48 × 90")
    at.number_input(key="event_time_limit").set_value(3).run()
    at.button(key="event_schedule").click().run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert int(shown["Meetings scheduled"].replace(",", "")) >= 0.99 * int(shown["Upper bound"].replace(",", ""))
    downloads = {d.proto.label for d in at.get("download_button")}
    assert {"Agenda (PDF)", "Calendar (ICS)", "Organiser's grid (XLSX)", "Every agenda (ZIP)"} <= downloads
    at.button(key="event_sample_outcomes").click().run()
    shown = {m.label: m.value for m in at.metric}
    assert "Meetings held" in shown and "No-show rate" in shown and not at.exception
    at.button(key="event_save_outcomes").click().run()  # the sheet as shown: every meeting has its outcome
    assert [s.value for s in at.success] == [f"{shown['Meetings scheduled']} outcomes saved in outcomes.csv."]


def test_at_scale_the_first_answer_keeps_its_slots_among_the_candidates_and_every_rule_holds(
    tmp_path, capsys, monkeypatch
):
    path = folder(
        tmp_path,
        [("B1", ""), ("B2", "")],
        [("S1", ""), ("S2", ""), ("S3", "")],
        [("B1", "S1", "must", "buyer"), ("B1", "S2", "meet", "buyer"), ("B2", "S1", "meet", "buyer")],
        tables=1,
    )
    monkeypatch.setattr(solve, "VARIABLES", 4)  # 3 pairs x 3 common slots: above it
    ev = event.read(path)
    first = event.greedy(ev)
    kept = solve._candidates(ev, first)
    assert all(first[pair] in ts for pair, ts in kept.items() if pair in first)
    report, plan = run(path, capsys)
    assert report["scheduled"] == report["upper_bound"] == 3 and broken_rules(path, plan) == []


def test_a_clusters_staff_build_the_sample_from_their_own_members_only(tmp_path, built_db):
    import duckdb

    from valuechain import visible
    from valuechain.access import Viewer

    with duckdb.connect(str(built_db), read_only=True) as con:
        visible.sample_event(con, Viewer("staff", "ana@claut.example", cluster="nl"), tmp_path)
        own = {r[0] for r in con.execute("SELECT member_id FROM members WHERE cluster_id = 'nl'").fetchall()}
    named = set()
    for name in ("buyers", "suppliers"):
        named |= set(pd.read_csv(tmp_path / f"{name}.csv", dtype=str)["member_id"].dropna())
    assert named and named <= own


def test_the_event_page_reads_uploads_and_refuses_a_bad_line(app_env, tmp_path):
    from streamlit.testing.v1 import AppTest

    path = folder(tmp_path, [("B1", "")], [("S1", "")], [("B1", "S9", "meet", "buyer")])
    files = [
        (name, (path / name).read_bytes(), "text/plain")
        for name in ("event.toml", "buyers.csv", "suppliers.csv", "requests.csv")
    ]
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("views/event.py").run()
    at.file_uploader(key="event_files").set_value([*files, ("notes.csv", b"x", "text/csv")]).run()
    assert [c.value for c in at.code] == ["requests.csv:2: unknown supplier 'S9'."]
    assert any("notes.csv" in w.value for w in at.warning)
    fixed = ("requests.csv", b"buyer_id,supplier_id,priority,requested_by\nB1,S1,must,buyer\n", "text/plain")
    at.file_uploader(key="event_files").set_value([*files[:3], fixed]).run()
    assert not at.code and {m.label: m.value for m in at.metric}["Solicitudes obligatorias"] == "1"


def test_progress_hears_each_better_schedule(tmp_path):
    path = folder(
        tmp_path, [("B1", ""), ("B2", "")], [("S1", "")], [("B1", "S1", "must", "buyer"), ("B2", "S1", "meet", "buyer")]
    )
    heard = []
    final = event.schedule(event.read(path), 2, heard.append)
    assert heard and len(heard[0]) == 2 and len(final) == 2  # the greedy answer already holds both meetings


def test_outcomes_recorded_on_the_sheet_are_saved_for_the_report(tmp_path, capsys):
    from valuechain.event import results

    path = folder(
        tmp_path,
        [("B1", ""), ("B2", "")],
        [("S1", ""), ("S2", "")],
        [("B1", "S1", "meet", "buyer"), ("B2", "S2", "meet", "buyer"), ("B1", "S2", "meet", "buyer")],
    )
    run(path, capsys)
    (path / "outcomes.csv").write_text("buyer_id,supplier_id,happened,result\nB1,S1,YES,quote_requested\n")
    sheet = results.sheet(path)
    assert len(sheet) == 3 and sheet.set_index(["buyer_id", "supplier_id"]).loc[("B1", "S1"), "happened"] == "yes"
    sheet.loc[(sheet.buyer_id == "B2") & (sheet.supplier_id == "S2"), ["happened", "result"]] = ["no", "informative"]
    assert results.save(path, sheet) == 2  # B1-S2 is not filled in yet
    saved = pd.read_csv(path / "outcomes.csv", dtype=str, keep_default_na=False)
    assert saved.values.tolist() == [["B1", "S1", "yes", "quote_requested"], ["B2", "S2", "no", ""]]
    got = event.report(path, {})
    assert (got["reported"], got["held"], got["leads"]) == (2, 1, 1)


def test_a_spanish_excel_csv_reads_like_any_other(tmp_path, capsys):
    """Semicolons and Windows-1252, as Excel saves CSV on Spanish Windows."""
    path = folder(tmp_path, [("B1", "")], [("S1", "")], [("B1", "S1", "must", "buyer")])
    (path / "suppliers.csv").write_bytes("supplier_id;company;processes\nS1;Forjas Peñón;forging\n".encode("cp1252"))
    from valuechain.event import agendas

    report, _ = run(path, capsys)
    assert report["scheduled"] == 1
    assert agendas.people(path, "es")["S1"] == ("Forjas Peñón", "Forja")
