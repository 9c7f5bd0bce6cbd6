"""`python -m etl import-members` and `check`: each bad input gets its own message, nothing is lost."""

import json
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import sha256, tree_digest

HEADER = "member_id,name,cluster_id,tier,cve_ent,municipality,iatf_16949,processes,lat,lon\n"
GOOD = HEADER + (
    "A1,Forjas del Norte,nl,Tier 2,19,Apodaca,sí,forging;machining,25.78,-100.19\n"
    "A2,Plásticos León,gto,tier 1,11,León,no,Plastic injection,21.12,-101.68\n"
    "A3,Universidad X,qro,University,22,,,,,\n"
)


def write(tmp_path: Path, text: str, name: str = "members.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_valid_import_round_trip(tmp_path, workspace, run_etl):
    db, inputs = workspace
    code, out, err = run_etl("import-members", write(tmp_path, GOOD), "--db", db, "--inputs", inputs)
    assert code == 0, err
    assert "members" in out and "3 rows" in out
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute("SELECT member_id, tier, cve_ent, iatf_16949, processes, source FROM members ORDER BY 1")
        assert got.fetchall() == [
            ("A1", "Tier 2", "19", True, ["forging", "machining"], "members.csv"),
            ("A2", "Tier 1", "11", False, ["plastic_injection"], "members.csv"),
            ("A3", "University", "22", None, [], "members.csv"),
        ]
        assert con.execute("SELECT value FROM build_info WHERE key = 'members_source'").fetchone() == ("files",)
        log = con.execute("SELECT action, outcome, rows, sha256 FROM load_log ORDER BY logged_at").fetchall()
    assert log[-1][:3] == ("import-members", "ok", 3) and len(log[-1][3]) == 64
    assert (inputs / "members" / "members.csv").read_bytes() == (tmp_path / "members.csv").read_bytes()


def test_semicolon_latin1_and_cluster_option(tmp_path, workspace, run_etl):
    db, inputs = workspace
    text = "name;tier;cve_ent;municipality\nTroqueles Peñoles;Tier 3;5;Torreón\n"
    path = write(tmp_path, text, "laguna.csv", encoding="latin-1")
    code, _, err = run_etl("import-members", path, "--cluster", "lag", "--db", db, "--inputs", inputs)
    assert code == 0, err
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT name, cluster_id, cve_ent, municipality FROM members").fetchall() == [
            ("Troqueles Peñoles", "lag", "05", "Torreón")
        ]
    assert (inputs / "members" / "laguna.csv").read_bytes() == path.read_bytes()  # kept under its own name
    assert json.loads((inputs / "members" / "clusters.json").read_text()) == {"laguna.csv": "lag"}


def test_xlsx_with_bom_free_header(tmp_path, workspace, run_etl):
    db, inputs = workspace
    path = tmp_path / "socios.xlsx"
    pd.DataFrame({"name": ["Arneses Sur"], "cluster_id": ["zc"], "tier": ["Tier 1"], "cve_ent": ["21"]}).to_excel(
        path, index=False
    )
    code, _, err = run_etl("import-members", path, "--db", db, "--inputs", inputs)
    assert code == 0, err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,cluster_id,cve_ent\nX,nl,19\n", ":1: column 'tier': required column is missing"),
        (HEADER + "B1,X,nl,Tier 5,19,,,,,\n", ":2: column 'tier': unknown tier 'Tier 5'"),
        (HEADER + "B1,X,zz,Tier 1,19,,,,,\n", ":2: column 'cluster_id': unknown cluster 'zz'"),
        (HEADER + "B1,X,nl,Tier 1,33,,,,,\n", ":2: column 'cve_ent': '33' is not a state code 01–32"),
        (HEADER + "B1,X,nl,Tier 1,19,,,,40.7,-74.0\n", ":2: column 'lat': 40.7 is outside Mexico"),
        (HEADER + "B1,X,nl,Tier 1,19,,,,abc,-100\n", ":2: column 'lat': 'abc' is not a number"),
        (HEADER + "B1,X,nl,Tier 1,19,,,,,\nB1,Y,nl,Tier 1,19,,,,,\n", ":3: column 'member_id': duplicate id 'B1'"),
        (HEADER + "B1,,nl,Tier 1,19,,,,,\n", ":2: column 'name': value is required"),
        (HEADER + "B1,X,nl,Tier 1,19,,maybe,,,\n", ":2: column 'iatf_16949': 'maybe' is not yes/no"),
        (HEADER + "B1,X,nl,Tier 1,19,,,welding,,\n", ":2: column 'processes': unknown process 'welding'"),
        (HEADER + "B1,X,nl,Tier 1,19,,,,,,extra\n", ":2: malformed row"),
        ("", ":1: file is empty"),
        (HEADER, ":1: file has a header but no data rows"),
    ],
)
def test_each_bad_input_has_its_message_and_changes_nothing(tmp_path, workspace, run_etl, text, expected):
    db, inputs = workspace
    before_db, before_inputs = sha256(db), tree_digest(inputs)
    path = write(tmp_path, text)
    code, out, err = run_etl("import-members", path, "--db", db, "--inputs", inputs)
    assert code == 2
    assert f"{path}{expected}" in err, err
    assert "Traceback" not in err
    assert sha256(db) == before_db and tree_digest(inputs) == before_inputs
    assert run_etl("check", path)[0] == 2


def test_not_a_csv_or_xlsx(tmp_path, run_etl):
    pdf = tmp_path / "list.csv"
    pdf.write_bytes(b"%PDF-1.7 binary")
    assert "not a CSV or XLSX file: it looks like a PDF document" in run_etl("check", pdf)[2]
    doc = write(tmp_path, "x", "list.docx")
    assert "not a CSV or XLSX file (extension '.docx')" in run_etl("check", doc)[2]


def test_errors_are_capped_at_50_lines_plus_a_count(tmp_path, run_etl):
    path = write(tmp_path, HEADER + "".join(f"B{i},X,nl,Tier 9,19,,,,,\n" for i in range(80)))
    code, _, err = run_etl("check", path)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 51
    assert lines[-1] == "... and 30 more problems (80 in all)"


def test_check_writes_nothing_and_reports_rows(tmp_path, run_etl):
    code, out, _ = run_etl("check", write(tmp_path, GOOD))
    assert code == 0 and "3 rows would load" in out


def test_a_cluster_may_be_named_by_id_short_name_or_name(run_etl, tmp_path, workspace):
    db, inputs = workspace
    path = write(
        tmp_path,
        HEADER + "B1,Uno,CLAUT,Tier 1,19,,,,,\nB2,Dos,Clúster Automotriz de Guanajuato,tier2,11,,,,,\n"
        "B3,Tres,jal,Servicios,14,,,,,\n",
    )
    code, _, err = run_etl("import-members", path, "--db", db, "--inputs", inputs)
    assert code == 0, err
    with duckdb.connect(str(db), read_only=True) as con:
        loaded = con.execute("SELECT member_id, cluster_id, tier FROM members ORDER BY 1").fetchall()
    assert loaded == [("B1", "nl", "Tier 1"), ("B2", "gto", "Tier 2"), ("B3", "jal", "Services")]


def test_the_app_reports_problems_in_spanish_under_the_uploaded_name(tmp_path, workspace):
    from etl.__main__ import check
    from valuechain.problems import InputError

    path = write(
        tmp_path,
        "member_id,name,cluster_id,tier,cve_ent,municipality,iatf_16949,processes,lat,lon,scian_code,cve_mun\n"
        "A,,zz,Tier 9,40,,maybe,teleport,95,,12,abcd\nA,Dos,nl,Tier 1,19,,,,,,,\n",
    )
    with pytest.raises(InputError) as caught:
        check(path, None)
    lines = caught.value.lines("es", "socios.csv")
    assert len(lines) >= 8 and all(line.startswith("socios.csv:") for line in lines)
    assert str(tmp_path) not in "\n".join(lines)
    english = ("required", "unknown", "is not", "outside", "together", "duplicate", "see the")
    assert not [line for line in lines if any(word in line for word in english)], lines
    assert "socios.csv:2: columna 'tier': nivel desconocido 'Tier 9'" in "\n".join(lines)


def test_command_line_exit_code_and_no_traceback(tmp_path):
    path = write(tmp_path, HEADER + "B1,X,nl,Tier 5,19,,,,,\n")
    done = subprocess.run([sys.executable, "-m", "etl", "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 2
    assert (
        done.stderr.strip() == f"{path}:2: column 'tier': unknown tier 'Tier 5' (expected OEM, Tier 1, Tier 2, "
        "Tier 3, University, Government, Services)"
    )


def test_sample_option_is_ignored_with_a_note_when_member_files_are_kept(tmp_path, workspace, run_etl):
    db, inputs = workspace
    assert run_etl("import-members", write(tmp_path, GOOD), "--db", db, "--inputs", inputs)[0] == 0
    code, out, _ = run_etl("build", "--db", db, "--inputs", inputs, "--sample-members", "50")
    assert code == 0 and "note: --sample-members is ignored" in out
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*), count_if(source = 'sample') FROM members").fetchone() == (3, 0)


def members_of(db) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT member_id, cluster_id, source FROM members ORDER BY 1").fetchall()


def test_a_file_name_never_decides_a_cluster(tmp_path, workspace, run_etl):
    db, inputs = workspace
    acme = write(tmp_path, HEADER + "C1,Uno,nl,Tier 1,19,,,,,\n", "acme__list.csv")
    nl = write(tmp_path, HEADER + "C2,Dos,gto,Tier 2,11,,,,,\n", "nl__list.csv")
    for path in (acme, nl):
        code, _, err = run_etl("import-members", path, "--db", db, "--inputs", inputs)
        assert code == 0, err
    code, _, err = run_etl("build", "--db", db, "--inputs", inputs)  # and every later build
    assert code == 0, err
    assert members_of(db) == [("C1", "nl", "acme__list.csv"), ("C2", "gto", "nl__list.csv")]


def test_a_kept_file_that_no_longer_loads_is_skipped_and_named_not_fatal(tmp_path, workspace, run_etl):
    db, inputs = workspace
    good = write(tmp_path, HEADER + "D1,Uno,nl,Tier 1,19,,,,,\n", "bueno.csv")
    assert run_etl("import-members", good, "--db", db, "--inputs", inputs)[0] == 0
    (inputs / "members" / "roto.csv").write_text(HEADER + "D2,Dos,zz,Tier 1,19,,,,,\n", encoding="utf-8")
    code, _, err = run_etl("build", "--db", db, "--inputs", inputs)
    assert code == 0 and "roto.csv: skipped, it no longer loads" in err and "unknown cluster 'zz'" in err
    assert members_of(db) == [("D1", "nl", "bueno.csv")]
    assert (inputs / "members" / "roto.csv").exists()  # kept, nothing deleted


def test_an_xlsx_after_a_kept_csv_loads(tmp_path, workspace, run_etl):
    db, inputs = workspace
    csv_file = write(tmp_path, "name,cluster_id,tier,cve_ent\nDos,gto,Tier 2,11\n", "a.csv")
    xlsx = tmp_path / "b.xlsx"
    pd.DataFrame({"name": ["Uno"], "cluster_id": ["nl"], "tier": ["Tier 1"], "cve_ent": ["19"]}).to_excel(
        xlsx, index=False
    )
    for path in (csv_file, xlsx):
        code, _, err = run_etl("import-members", path, "--db", db, "--inputs", inputs)
        assert code == 0, err
    assert [r[2] for r in members_of(db)] == ["a.csv", "b.xlsx"]


def test_two_imports_at_once_both_land(tmp_path, workspace):
    db, inputs = workspace
    files = []
    for k in range(2):
        rows = "".join(f"P{k}-{i},Empresa {i},nl,Tier 2,19,,,,,\n" for i in range(20_000))
        files.append(write(tmp_path, HEADER + rows, f"lote{k}.csv"))
    results = {}

    def run(path):
        cmd = [sys.executable, "-m", "etl", "import-members", str(path), "--db", str(db), "--inputs", str(inputs)]
        results[path.name] = subprocess.run(cmd, capture_output=True, text=True)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r.returncode == 0 for r in results.values()), {k: r.stderr for k, r in results.items()}
    with duckdb.connect(str(db), read_only=True) as con:
        by_file = dict(con.execute("SELECT source, count(*) FROM members GROUP BY 1").fetchall())
    assert by_file == {"lote0.csv": 20_000, "lote1.csv": 20_000}


def test_a_build_that_cannot_get_the_lock_is_refused_with_a_reason(tmp_path, workspace, monkeypatch):
    from etl import build as build_module

    db, inputs = workspace
    with build_module.exclusive(db):
        code = subprocess.run(
            [sys.executable, "-m", "etl", "build", "--db", str(db), "--inputs", str(inputs)],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, "VALUECHAIN_LOCK_WAIT_S": "1"},
        )
    assert code.returncode == 2 and "another load of" in code.stderr and "VALUECHAIN_LOCK_WAIT_S" in code.stderr


# ---------------------------------------------------------------- malformed files: refused, with a reason


def refused(run_etl, path, workspace=None, *extra):
    """Import (or check) a file that must be refused: exit 2, one reason, nothing changed."""
    if workspace:
        db, inputs = workspace
        before = (sha256(db), tree_digest(inputs))
        code, out, err = run_etl("import-members", path, "--db", db, "--inputs", inputs, *extra)
        assert (sha256(db), tree_digest(inputs)) == before
    else:
        code, out, err = run_etl("check", path, *extra)
    assert code == 2 and "Traceback" not in err, err
    return err


def test_a_nul_byte_past_the_first_64_kib_is_refused_with_its_line(tmp_path, workspace, run_etl):
    rows = "".join(f"N{i},Empresa {i},nl,Tier 2,19,,,,,\n" for i in range(3000))
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + rows).encode() + b"N9,Con\x00nulo,nl,Tier 2,19,,,,,\n")
    assert len(HEADER + rows) > 65536
    assert f"{path}:3002: the file holds a NUL byte" in refused(run_etl, path, workspace)


def test_a_huge_line_is_refused_not_dropped(tmp_path, workspace, run_etl):
    path = write(
        tmp_path,
        HEADER + "H1,Uno,nl,Tier 2,19,,,,,\n" + "H2," + "x" * 400_000 + ",nl,Tier 2,19,,,,,\n"
        "H3,Tres,nl,Tier 2,19,,,,,\n",
    )
    err = refused(run_etl, path, workspace)
    assert f"{path}:3: line is 391 KB long, over the limit of 256 KB (set VALUECHAIN_MAX_LINE_KB" in err
    one_line = write(tmp_path, "x" * 300_000, "one_line.csv")
    assert "line is 293 KB long" in refused(run_etl, one_line)


def test_a_bad_state_code_is_a_reason_not_a_crash(tmp_path, run_etl):
    path = write(tmp_path, HEADER + "S1,Uno,nl,Tier 2,ab,,,,,\n")
    assert f"{path}:2: column 'cve_ent': 'ab' is not a state code 01–32" in refused(run_etl, path)


def test_windows_1252_curly_quotes_and_dashes_load_and_say_the_encoding(tmp_path, workspace, run_etl):
    db, inputs = workspace
    path = tmp_path / "w1252.csv"
    path.write_bytes((HEADER + "W1,Forjas O’Brien – Norte,nl,Tier 2,19,,,,,\n").encode("cp1252"))
    code, out, err = run_etl("check", path)
    assert code == 0 and "Windows-1252" in out, (out, err)
    code, _, err = run_etl("import-members", path, "--db", db, "--inputs", inputs)
    assert code == 0, err
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT name FROM members").fetchall() == [("Forjas O’Brien – Norte",)]


def test_utf16_is_named_with_how_to_resave(tmp_path, run_etl):
    path = tmp_path / "u16.csv"
    path.write_bytes((HEADER + "U1,Uno,nl,Tier 2,19,,,,,\n").encode("utf-16"))
    assert 'UTF-16 text; save it again as "CSV UTF-8"' in refused(run_etl, path)


def test_lines_are_the_ones_an_editor_shows(tmp_path, run_etl):
    text = HEADER + 'L1,"Dos\nlíneas",nl,Tier 2,19,,,,,\n\nL2,Mal,nl,Tier 9,19,,,,,\n'
    path = write(tmp_path, text)  # line 2-3: a quoted break; line 4 blank; the bad row is on line 5
    assert f"{path}:5: column 'tier': unknown tier 'Tier 9'" in refused(run_etl, path)


def test_a_malformed_row_after_a_quoted_field_of_three_lines_names_its_own_line(tmp_path, run_etl):
    text = HEADER + 'Q1,"Tres\nlíneas\naquí",nl,Tier 2,19,,,,,\nQ2,Mal,nl,Tier 2,19,,,,,,extra\n'
    path = write(tmp_path, text)  # lines 2-4: one row; the row with too many fields is on line 5
    assert f"{path}:5: malformed row: Expected Number of Columns: 10 Found: 11" in refused(run_etl, path)


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, run_etl, monkeypatch):
    from etl import reading

    monkeypatch.setattr(reading, "MAX_FILE_MB", 0.0001)
    path = write(tmp_path, GOOD)
    assert "over the limit of 0 MB (set VALUECHAIN_MAX_FILE_MB" in refused(run_etl, path)


def test_an_accepted_file_says_what_was_read(tmp_path, run_etl):
    code, out, _ = run_etl("check", write(tmp_path, GOOD))
    assert code == 0 and "3 rows would load (UTF-8, comma-separated)" in out
    code, out, _ = run_etl("check", write(tmp_path, "name;tier;cve_ent;cluster_id\nUno;Tier 1;19;nl\n", "semi.csv"))
    assert code == 0 and "1 rows would load (UTF-8, semicolon-separated)" in out


def test_a_cluster_admin_loads_their_own_cluster_only(tmp_path, workspace):
    from etl.__main__ import import_members
    from valuechain.problems import InputError

    db, inputs = workspace
    before = sha256(db)
    mixed = write(tmp_path, GOOD, "claut.csv")
    with pytest.raises(InputError) as refused:
        import_members(mixed, db, inputs, own="nl")
    assert [str(p) for p in refused.value.problems] == [
        f"{mixed}:3: column 'cluster_id': a member of cluster 'gto': you load members of cluster nl only",
        f"{mixed}:4: column 'cluster_id': a member of cluster 'qro': you load members of cluster nl only",
    ]
    with pytest.raises(InputError) as fixed:  # a cluster for every row does not overwrite another's rows
        import_members(mixed, db, inputs, cluster="nl", own="nl")
    assert fixed.value.problems == refused.value.problems
    with pytest.raises(InputError, match="is not yours"):
        import_members(write(tmp_path, "name,tier,cve_ent\nUno,Tier 2,19\n", "uno.csv"), db, inputs, "qro", "nl")
    assert sha256(db) == before and not (inputs / "members").exists()
    own = write(tmp_path, HEADER + "N1,Forjas del Norte,CLAUT,Tier 2,19,Apodaca,sí,forging,25.78,-100.19\n", "n.csv")
    assert import_members(own, db, inputs, own="nl")["members"] == 1


def test_a_cluster_admin_cannot_replace_another_clusters_kept_file(tmp_path, workspace):
    from etl.__main__ import import_members
    from valuechain.problems import InputError

    db, inputs = workspace
    import_members(write(tmp_path, GOOD, "socios.csv"), db, inputs)  # the network's file, three clusters
    before = sha256(db)
    (tmp_path / "claut").mkdir()
    same_name = write(tmp_path / "claut", HEADER + "N1,Forjas,nl,Tier 2,19,,,,,\n", "socios.csv")
    with pytest.raises(InputError, match="holds members of other clusters"):
        import_members(same_name, db, inputs, own="nl")
    assert sha256(db) == before
