"""Supplier matching: one test per ranking rule, the great-circle distance, members and DENUE as one firm,
the command line's contract, and the page in both languages."""

import csv
import io
import math
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.__main__ import main as etl_main
from tests.test_app import APP
from tests.test_denue import denue_file, row
from valuechain import suppliers, visible
from valuechain.access import PUBLIC, Viewer
from valuechain.catalog import Filters

NEAR = suppliers.Near(25.78, -100.19, 100.0)
MEMBERS = (
    "member_id,name,cluster_id,tier,cve_ent,municipality,processes,iatf_16949,employee_band,lat,lon,clee\n"
    'A,"Forjas del Norte, S.A. de C.V.",nl,Tier 2,19,Apodaca,machining;stamping,yes,251 y más personas,25.78,-100.19,\n'
    "B,Maquinados B,nl,Tier 2,19,Apodaca,machining,yes,251 y más personas,25.78,-100.19,\n"
    "C,Troqueles C,nl,Tier 2,19,Apodaca,machining;stamping,no,251 y más personas,25.78,-100.19,\n"
    "D,Lejos D,nl,Tier 2,19,Apodaca,machining;stamping,yes,251 y más personas,26.10,-100.19,\n"
    "E,Chico E,nl,Tier 2,19,Apodaca,machining;stamping,yes,0 a 5 personas,25.78,-100.19,\n"
    "F,Fuera F,nl,Tier 2,19,Apodaca,machining,yes,251 y más personas,27.50,-100.19,\n"
    "G,Grupo G,nl,Tier 2,19,Apodaca,stamping,no,6 a 10 personas,25.80,-100.19,CLEE-G\n"
    "H,Débil H,nl,Tier 3,19,Apodaca,machining,no,0 a 5 personas,26.30,-100.19,\n"
)


@pytest.fixture(scope="module")
def matched_db(tmp_path_factory, built_db):
    """Eight members and four DENUE rows: one the same firm as member A by name, one as G by CLEE, one an
    appliance maker (a convertible class)."""
    folder = tmp_path_factory.mktemp("matched")
    db, inputs = folder / "valuechain.duckdb", folder / "inputs"
    shutil.copyfile(built_db, db)
    members = folder / "socios.csv"
    members.write_text(MEMBERS, encoding="utf-8")
    assert etl_main(["import-members", str(members), "--db", str(db), "--inputs", str(inputs)]) == 0
    rows = [
        row("1", "332710", "FORJAS DEL NORTE SA DE CV", lat="25.78", lon="-100.19"),
        row("2", "336370", "Otra razón", lat="25.80", lon="-100.19").replace("19006336370000001", "CLEE-G"),
        row("3", "332710", "Prospecto Grande", lat="25.78", lon="-100.19"),
        row("4", "335220", "Línea Blanca Norte", lat="25.79", lon="-100.19"),  # appliances: a convertible class
    ]
    denue = denue_file(folder, rows)
    assert etl_main(["import-denue", str(denue), "--db", str(db), "--inputs", str(inputs)]) == 0
    return db


def ranked(db, near=NEAR, **need):
    f = Filters(processes=need.pop("processes", ("machining", "stamping")), **need)
    with duckdb.connect(str(db), read_only=True) as con:
        return suppliers.ranked(con, f, near, lang="en")


def position(frame, name):
    return int(frame.loc[frame["name"] == name, "rank"].iloc[0])


def test_great_circle_distance_by_hand():
    # One degree along a meridian is R * pi / 180; a quarter of the equator is R * pi / 2.
    assert suppliers.great_circle_km(0, 0, 1, 0) == pytest.approx(6371.0088 * math.pi / 180, abs=1e-6)
    assert suppliers.great_circle_km(0, 0, 0, 90) == pytest.approx(6371.0088 * math.pi / 2, abs=1e-6)
    # Monterrey to Saltillo, by the spherical law of cosines (another formula, same sphere): about 74.6 km.
    a, b = (25.6866, -100.3161), (25.4232, -101.0053)
    p1, p2, dl = math.radians(a[0]), math.radians(b[0]), math.radians(b[1] - a[1])
    by_cosines = 6371.0088 * math.acos(math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl))
    assert suppliers.great_circle_km(*a, *b) == pytest.approx(by_cosines, abs=1e-6)
    assert 74 < by_cosines < 75.5


def test_the_database_measures_the_same_distance(matched_db):
    frame = ranked(matched_db)
    d = frame.set_index("name").loc["Lejos D", "distance_km"]
    assert d == round(suppliers.great_circle_km(25.78, -100.19, 26.10, -100.19), 1) == pytest.approx(35.6, abs=0.1)


def test_more_processes_matched_ranks_higher(matched_db):
    frame = ranked(matched_db)
    assert position(frame, "Forjas del Norte, S.A. de C.V.") < position(frame, "Maquinados B")
    assert "processes 1/2 (Machining) +25.0" in frame.set_index("name").loc["Maquinados B", "reasons"]


def test_iatf_ranks_higher(matched_db):
    frame = ranked(matched_db)
    assert position(frame, "Forjas del Norte, S.A. de C.V.") < position(frame, "Troqueles C")
    assert "IATF 16949: no +0.0" in frame.set_index("name").loc["Troqueles C", "reasons"]


def test_nearer_ranks_higher_and_the_radius_is_a_limit(matched_db):
    frame = ranked(matched_db)
    assert position(frame, "Forjas del Norte, S.A. de C.V.") < position(frame, "Lejos D")
    assert "35.6 km of 100 +16.1" in frame.set_index("name").loc["Lejos D", "reasons"]
    assert "Fuera F" not in set(frame["name"])  # 190 km away
    assert "Fuera F" in set(ranked(matched_db, near=suppliers.Near(25.78, -100.19, 250))["name"])


def test_larger_ranks_higher(matched_db):
    frame = ranked(matched_db)
    assert position(frame, "Forjas del Norte, S.A. de C.V.") < position(frame, "Chico E")


def test_members_come_before_prospects_whatever_their_score(matched_db):
    frame = ranked(matched_db).set_index("name")
    weak, prospect = frame.loc["Débil H"], frame.loc["Prospecto Grande"]
    assert weak["score"] < prospect["score"] and weak["rank"] < prospect["rank"]
    assert prospect["kind"] == "prospect" and prospect["iatf_16949"] == ""


def test_a_firm_in_both_lists_appears_once_as_the_member(matched_db):
    frame = ranked(matched_db)
    assert "FORJAS DEL NORTE SA DE CV" not in set(frame["name"])  # the same firm as member A, by name and place
    assert "Otra razón" not in set(frame["name"])  # member G, by its CLEE
    assert list(frame["kind"]).count("prospect") == 1


def test_public_prospects_are_every_denue_establishment_members_included(matched_db):
    """Staff see a firm once, as the member; public gets every DENUE row of the need, nothing telling members apart
    (so comparing /suppliers with the DENUE download names nobody)."""
    f = Filters(processes=("machining", "stamping"))
    with duckdb.connect(str(matched_db), read_only=True) as con:
        public = visible.supplier_list(con, PUBLIC, f, NEAR, "en", 200)
        staff = visible.supplier_list(con, Viewer("staff", "pepe@claut.example"), f, NEAR, "en", 200)
    assert {"FORJAS DEL NORTE SA DE CV", "Otra razón", "Prospecto Grande"} <= set(public["name"])
    assert set(public["kind"]) == {"prospect"} and public["cluster_id"].isna().all()
    assert "FORJAS DEL NORTE SA DE CV" not in set(staff["name"]) and "Forjas del Norte, S.A. de C.V." in set(
        staff["name"]
    )


def test_iatf_required_lists_only_certified_members(matched_db):
    frame = ranked(matched_db, iatf_only=True)
    assert set(frame["kind"]) == {"member"} and set(frame["iatf_16949"]) == {"yes"}


def cli(*args, db=None):
    return subprocess.run(
        [sys.executable, "-m", "valuechain.suppliers", *args, *(["--db", str(db)] if db else [])],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_command_line_prints_the_documented_csv(matched_db):
    done = cli("--process", "machining,stamping", "--near", "25.78,-100.19", "--radius-km", "100", db=matched_db)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == suppliers.HEADER
    assert rows[0]["name"] == "Forjas del Norte, S.A. de C.V." and rows[0]["kind"] == "member"
    assert rows[0]["distance_km"] == "0.0" and rows[0]["processes_matched"] == "machining;stamping"
    by_state = cli("--process", "machining", "--state", "19", "--limit", "3", db=matched_db)
    rows = list(csv.DictReader(io.StringIO(by_state.stdout)))
    assert len(rows) == 3 and all(r["distance_km"] == "" for r in rows)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--process", "welding", "--state", "19"), "Unknown process 'welding'"),
        (("--process", "machining", "--corridor", "atlantis"), "Unknown corridor 'atlantis'"),
        (("--process", "machining", "--state", "40"), "Unknown state '40'"),
        (("--process", "machining", "--near", "95,-100", "--radius-km", "50"), "Bad coordinate '95,-100'"),
        (("--process", "machining", "--near", "north", "--radius-km", "50"), "Bad coordinate 'north'"),
    ],
)
def test_command_line_refuses_in_one_sentence(built_db, args, says):
    done = cli(*args, db=built_db)
    assert done.returncode == 2 and says in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def open_suppliers(**params):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page("views/suppliers.py").run()


@pytest.mark.parametrize(("lang", "member", "prospect"), [("es", "Socio", "Prospecto"), ("en", "Member", "Prospect")])
def test_page_lists_named_members_then_prospects_near_a_plant(app_env, lang, member, prospect):
    at = open_suppliers(process=["machining", "stamping"], plant="gm_ramos", radius_km="100", lang=lang)
    assert not at.exception
    table = at.dataframe[0].value
    kinds = list(table["kind"])
    assert kinds[0] == member and prospect in kinds and kinds.index(prospect) > kinds.index(member)
    assert (table["distance_km"] <= 100).all()
    assert at.selectbox(key="plant").value == "gm_ramos"
    assert len(at.get("download_button")) == 3  # the invitation list as CSV and XLSX; convertible suppliers
    assert any("Saltillo" in m.value for m in at.markdown)  # the thinnest spots are named


def test_page_without_a_process_asks_for_one(app_env):
    at = open_suppliers()
    assert not at.exception
    assert any("proceso" in i.value for i in at.info)


def test_the_invitation_list_is_explained_column_by_column():
    from valuechain import dictionary

    for lang in ("es", "en"):
        assert list(dictionary.dictionary("invitation_list", lang)["column"]) == suppliers.INVITATION


def test_convertible_suppliers_come_from_adjacent_classes_with_their_rationale(matched_db):
    assert "Línea Blanca Norte" not in set(ranked(matched_db)["name"])  # not an automotive class
    with duckdb.connect(str(matched_db), read_only=True) as con:
        frame = suppliers.convertible(con, Filters(processes=("stamping",)), NEAR, lang="en")
    row = frame.set_index("name").loc["Línea Blanca Norte"]
    assert row["kind"] == "convertible" and row["scian_code"] == "335220"
    assert row["rationale"].startswith("assumption:") and row["distance_km"] == pytest.approx(1.1, abs=0.05)
    assert set(frame["scian_code"]) <= {"335220", "332310", "332510", "332999", "333411"}  # classes that stamp


def test_supply_gaps_count_the_corridor_members_and_denue_rows(matched_db):
    from valuechain import gaps

    with duckdb.connect(str(matched_db), read_only=True) as con:
        frame = gaps.supply_gaps(con, "en").set_index(["corridor_id", "process_id"])
        shares = gaps.process_shares(con).set_index("process_id")["share_pct"]
    machining = frame.loc[("saltillo_monterrey", "machining")]
    # A, B, C, D, E, F, H run machining in Apodaca; all are Tier 2 or 3; A, B, D, E, F hold IATF 16949;
    # DENUE rows 1 and 3 are machining (332710): row 1 is member A's own establishment, counted as DENUE too.
    assert (machining["members"], machining["tier2_3"], machining["iatf_pct"]) == (7, 7, 71.4)
    assert (machining["denue"], machining["supply"]) == (2, 9)
    assert machining["demand"] == pytest.approx(machining["vehicles"] * shares["machining"] / 100)
    assert machining["per_100k"] == pytest.approx(9 / machining["demand"] * 100_000, abs=0.05)


def test_a_process_share_splits_each_system_evenly_over_its_processes(built_db):
    """Stamping is only in the body system and alone there, so its share is the mean body share."""
    import pandas as pd

    from valuechain import db, gaps

    bom = pd.read_csv(Path(__file__).resolve().parents[1] / "data/reference/bom_archetypes.csv")
    assert set(bom[bom["processes"].fillna("").str.contains("stamping")]["processes"]) == {"stamping"}
    body = bom[bom["processes"] == "stamping"].groupby("archetype")["share_pct"].sum()
    with db.connect(built_db) as con:
        share = gaps.process_shares(con).set_index("process_id").loc["stamping", "share_pct"]
    assert share == pytest.approx(body.sum() / bom["archetype"].nunique())


def test_the_map_links_to_the_supply_gap_map_for_the_chosen_process(app_env):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["process"] = "forging"
    at.run()
    at.switch_page("views/map.py").run()
    link = next(p for p in at.get("page_link") if "suppliers" in p.proto.page)
    assert "Huecos de proveeduría" in link.proto.label
    at = open_suppliers(process="forging", gap_process="forging")
    assert not at.exception and at.selectbox(key="gap_process").value == "forging"
    assert any("Forja: oferta por cada 100,000" in c.proto.spec for c in at.get("plotly_chart"))
