"""Location quotients against a hand-computed case, from real-layout DENUE files of two editions."""

import duckdb
import pytest

from tests.test_denue import denue_file, row
from valuechain import specialisation
from valuechain.specialisation import SpecialisationError, location_quotients


@pytest.fixture()
def two_editions(tmp_path, workspace, run_etl):
    """NL: 2 automotive + 2 other manufacturing (+1 shop, not manufacturing); GTO: 1 automotive + 4 other."""
    db, inputs = workspace
    newer = [
        row("1", "336390", "Autopartes Uno", per_ocu="11 a 30 personas"),
        row("2", "336110", "Armadora Dos", per_ocu="11 a 30 personas"),
        row("3", "311110", "Alimentos Tres", per_ocu="0 a 5 personas"),
        row("4", "311110", "Alimentos Cuatro", per_ocu="0 a 5 personas"),
        row("5", "461110", "Abarrotes", per_ocu="0 a 5 personas"),
        row("6", "336390", "Autopartes Seis", per_ocu="51 a 100 personas", cve_ent="11", lat="21.1", lon="-101.6"),
        *[
            row(str(k), "311110", f"Otra {k}", per_ocu="6 a 10 personas", cve_ent="11", lat="21.1", lon="-101.6")
            for k in range(7, 11)
        ],
    ]
    older = [
        row("1", "336390", "Autopartes Uno", per_ocu="11 a 30 personas"),
        row("3", "311110", "Alimentos Tres", per_ocu="0 a 5 personas"),
    ]
    for rows, name in ((newer, "denue_inegi_2025_05.csv"), (older, "denue_inegi_2024_05.csv")):
        code, _, err = run_etl("import-denue", denue_file(tmp_path, rows, name), "--db", db, "--inputs", inputs)
        assert code == 0, err
    with duckdb.connect(str(db), read_only=True) as con:
        yield con


def test_lq_by_establishments_matches_the_hand_computed_case(two_editions):
    lq = location_quotients(two_editions, "state", base_edition="2024-05").set_index("region_id")
    assert lq.loc["19", ["e_ir", "e_r", "e_i", "e"]].tolist() == [2, 4, 3, 9]
    assert lq.loc["19", "lq"] == 1.5  # (2/4) / (3/9)
    assert lq.loc["11", "lq"] == 0.6  # (1/5) / (3/9)
    assert lq.loc["19", "growth_pct"] == 100.0 and lq.loc["11", "growth_pct"] != lq.loc["11", "growth_pct"]  # base 0


def test_lq_by_estimated_employment_uses_the_strata_midpoints(two_editions):
    lq = location_quotients(two_editions, "state", measure="employment").set_index("region_id")
    assert lq.loc["19", ["e_ir", "e_r"]].tolist() == [41.0, 47.0]  # 2 x 20.5; + 2 x 3
    assert lq.loc["19", "lq"] == round((41 / 47) / (116.5 / 154.5), 3)
    assert lq.loc["11", "lq"] == round((75.5 / 107.5) / (116.5 / 154.5), 3)


def test_a_real_import_replaces_every_sample_edition(two_editions):
    assert specialisation.editions(two_editions) == ["2024-05", "2025-05"]
    assert two_editions.execute("SELECT count(*) FROM denue_totals WHERE source = 'sample'").fetchall() == [(0,)]


def test_unknown_class_edition_or_level_is_one_sentence(two_editions):
    for kwargs, said in (
        ({"codes": ("9999",)}, "Unknown SCIAN class '9999'"),
        ({"edition": "1999-01"}, "Unknown DENUE edition '1999-01'"),
        ({"by": "planet"}, "Unknown region level 'planet'"),
    ):
        with pytest.raises(SpecialisationError, match=said):
            location_quotients(two_editions, **{"by": "state", **kwargs})


def test_command_line_prints_the_csv_contract(built_db, capsys):
    assert specialisation.main(["--by", "corridor", "--base-edition", "2024-11", "--db", str(built_db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "region_id,region_name,e_ir,e_r,e_i,e,lq,growth_pct"
    assert {line.split(",")[0] for line in lines[1:]} == {"bajio", "saltillo_monterrey", "zona_centro"}
    assert specialisation.main(["--by", "state", "--scian", "12", "--db", str(built_db)]) == 2
    assert "Unknown SCIAN class '12'" in capsys.readouterr().err


def test_the_sample_denue_is_national_two_editions_and_flagged(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        editions = con.execute("SELECT edition, source, rows FROM denue_editions ORDER BY 1").fetchall()
        assert [(e, s) for e, s, _ in editions] == [("2024-11", "sample"), ("2025-11", "sample")]
        assert all(200_000 < n < 2_000_000 for _, _, n in editions)  # several hundred thousand
        assert con.execute("SELECT count(DISTINCT cve_ent) FROM denue_totals").fetchall() == [(32,)]
        assert con.execute("SELECT count(*) FROM denue_establishments WHERE source <> 'sample'").fetchall() == [(0,)]


def test_an_edition_is_given_or_read_from_the_name_and_kept(tmp_path, workspace, run_etl):
    import json

    db, inputs = workspace
    path = denue_file(tmp_path, [row("1", "336390", "Autopartes")], "denue_00_31-33_csv.csv")
    code, _, err = run_etl("import-denue", path, "--db", db, "--inputs", inputs)
    assert code == 2 and "say which DENUE edition this is: --edition YYYY-MM" in err
    code, _, err = run_etl("import-denue", path, "--edition", "2025-05", "--db", db, "--inputs", inputs)
    assert code == 0, err
    assert json.loads((inputs / "denue" / "editions.json").read_text()) == {"denue_00_31-33_csv.csv": "2025-05"}
    assert run_etl("build", "--db", db, "--inputs", inputs)[0] == 0  # a rebuild keeps the edition
    with duckdb.connect(str(db), read_only=True) as con:
        assert specialisation.editions(con) == ["2025-05"]
