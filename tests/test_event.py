"""The supplier event's scheduler: every rule on small hand-made events, and any schedule re-checked against
every rule without the solver."""

import json
from pathlib import Path

import pandas as pd
import pytest

from valuechain import event

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
    assert event.main(["schedule", str(path), "--time-limit", "10", *extra]) == 0
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
    assert event.main(["schedule", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith(sentence) and "\n" not in err


def test_a_window_outside_the_days_is_refused(tmp_path, capsys):
    path = folder(tmp_path, [("B1", "2027-03-12 09:00-10:00")], [("S1", "")], [("B1", "S1", "meet", "buyer")])
    assert event.main(["schedule", str(path)]) == 2
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
    assert event.main(["report", str(path)]) == 2
    assert "outcomes.csv:5: no meeting of B2 and S1 in the schedule." in capsys.readouterr().err
