"""`python -m etl import-denue`: the real 42-column header, Latin-1, zips, and refusals."""

import zipfile

import duckdb

from etl.denue import COLUMNS
from tests.conftest import sha256

HEADER = ",".join(
    c.replace("tipocencom", "tipoCenCom").replace("nom_cencom", "nom_CenCom").replace("tipounieco", "tipoUniEco")
    for c in COLUMNS
)


def row(id_, code, name, per_ocu="251 y más personas", cve_ent="19", lat="25.7", lon="-100.2"):
    values = dict.fromkeys(COLUMNS, "")
    values.update(
        id=id_,
        clee=f"19006{code}000001",
        nom_estab=name,
        codigo_act=code,
        nombre_act="Fabricación",
        per_ocu=per_ocu,
        cve_ent=cve_ent,
        entidad="Nuevo León",
        cve_mun="006",
        municipio="Apodaca",
        latitud=lat,
        longitud=lon,
        fecha_alta="2019-07",
    )
    return ",".join(f'"{values[c]}"' for c in COLUMNS)


def denue_file(tmp_path, rows, name="denue_inegi_19_2025_05.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="latin-1")
    return path


def test_latin1_file_keeps_automotive_classes_and_maps_strata(tmp_path, workspace, run_etl):
    db, inputs = workspace
    path = denue_file(
        tmp_path,
        [
            row("1", "336110", "Ensambladora Peñasco"),
            row("2", "332710", "Maquinados Cuauhtémoc", per_ocu="11 a 30 personas"),
            row("3", "461110", "Abarrotes Doña Lupe", per_ocu="0 a 5 personas"),
        ],
    )
    code, out, err = run_etl("import-denue", path, "--db", db, "--inputs", inputs)
    assert code == 0, err
    assert "Latin-1 (ISO-8859-1), comma-separated; kept 2 of 3 rows, the rest are not automotive" in out
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute(
            "SELECT name, scian_code, employees_min, employees_max, cve_ent FROM denue_establishments ORDER BY 1"
        ).fetchall()
    assert got == [
        ("Ensambladora Peñasco", "336110", 251, None, "19"),
        ("Maquinados Cuauhtémoc", "332710", 11, 30, "19"),
    ]
    assert (inputs / "denue" / path.name).exists()


def test_zip_with_data_and_dictionary(tmp_path, run_etl):
    data = denue_file(tmp_path, [row("1", "336390", "Autopartes Ñandú")])
    archive = tmp_path / "denue_19_csv.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(data, "conjunto_de_datos/denue_inegi_19_.csv")
        zf.writestr("diccionario_de_datos/denue_diccionario_de_datos.csv", "a,b\n1,2\n")
    code, out, err = run_etl("check", archive)
    assert code == 0, err
    assert "1 rows would load" in out


def test_html_page_saved_as_zip_is_refused(tmp_path, workspace, run_etl):
    db, inputs = workspace
    before = sha256(db)
    fake = tmp_path / "denue_15_csv.zip"
    fake.write_text("<!DOCTYPE html><html><body>No encontrado</body></html>")
    code, _, err = run_etl("import-denue", fake, "--db", db, "--inputs", inputs)
    assert code == 2
    assert f"{fake}:1: not a zip archive: it looks like an HTML page" in err
    assert sha256(db) == before and not inputs.exists()


def test_wrong_header_is_refused(tmp_path, run_etl):
    path = tmp_path / "denue.csv"
    path.write_text("id,clee,nom_estab,codigo_act\n1,2,3,336110\n", encoding="utf-8")
    code, _, err = run_etl("import-denue", path, "--db", tmp_path / "x.duckdb", "--inputs", tmp_path / "in")
    assert code == 2
    assert "not an INEGI DENUE file: the header has 4 columns, expected 42" in err
    assert not (tmp_path / "x.duckdb").exists()


def test_bad_state_code_in_denue_row(tmp_path, run_etl):
    path = denue_file(tmp_path, [row("1", "336110", "X", cve_ent="40")])
    code, _, err = run_etl("check", path)
    assert code == 2 and f"{path}:2: column 'cve_ent': '40' is not a state code 01–32" in err


def refused(run_etl, path, *args):
    code, _, err = run_etl(*(args or ("check",)), path)
    assert code == 2 and "Traceback" not in err, err
    return err


def test_a_latitude_outside_mexico_is_refused(tmp_path, run_etl):
    path = denue_file(tmp_path, [row("1", "336390", "Fuera", lat="95")])
    assert f"{path}:2: column 'latitud': 95 is outside Mexico (14.4 to 32.8)" in refused(run_etl, path)


def test_a_header_without_rows_is_refused(tmp_path, run_etl):
    path = denue_file(tmp_path, [])
    assert "file has a header but no data rows" in refused(run_etl, path)


def test_a_bad_state_code_is_a_reason_not_a_crash(tmp_path, run_etl):
    path = denue_file(tmp_path, [row("1", "336390", "Mal", cve_ent="ab")])
    assert f"{path}:2: column 'cve_ent': 'ab' is not a state code 01–32" in refused(run_etl, path)


def test_a_truncated_zip_is_refused_from_check_and_import(tmp_path, workspace, run_etl):
    db, inputs = workspace
    data = denue_file(tmp_path, [row(str(i), "336390", f"E{i}") for i in range(2000)])
    whole = tmp_path / "denue.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(data, "conjunto_de_datos/denue_inegi_19_.csv")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert "the zip is damaged or incomplete" in refused(run_etl, cut)
    before = sha256(db)
    assert "the zip is damaged or incomplete" in refused(run_etl, cut, "import-denue", "--db", db, "--inputs", inputs)
    assert sha256(db) == before


def test_a_zip_bomb_is_refused_before_it_is_read(tmp_path, run_etl):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("conjunto_de_datos/denue_inegi_19_.csv", HEADER + "\n" + "0" * 50_000_000)
    assert bomb.stat().st_size < 200_000
    assert "expands" in refused(run_etl, bomb) and "VALUECHAIN_MAX_ZIP_RATIO" in refused(run_etl, bomb)


def test_a_missing_or_folder_path_exits_2(tmp_path, workspace, run_etl):
    db, inputs = workspace
    assert "file not found" in refused(run_etl, tmp_path / "nada.zip", "import-denue", "--db", db, "--inputs", inputs)
    assert "is a folder" in refused(run_etl, tmp_path, "import-denue", "--db", db, "--inputs", inputs)


def test_a_second_file_of_the_same_edition_is_refused_and_the_database_kept(tmp_path, workspace, run_etl):
    db, inputs = workspace
    first = denue_file(tmp_path, [row("1", "336390", "Uno")], "denue_a.csv")
    second = denue_file(tmp_path, [row("2", "336390", "Dos")], "denue_b.csv")
    assert run_etl("import-denue", first, "--edition", "2025-05", "--db", db, "--inputs", inputs)[0] == 0
    before = sha256(db)
    err = refused(run_etl, second, "import-denue", "--edition", "2025-05", "--db", db, "--inputs", inputs)
    assert "edition 2025-05 is already loaded from denue_a.csv" in err
    assert sha256(db) == before


def test_a_utf16_file_is_refused_with_how_to_resave_not_a_traceback(tmp_path, workspace, run_etl):
    db, inputs = workspace
    path = tmp_path / "denue_inegi_19_2025_05.csv"
    path.write_bytes((HEADER + "\n" + row("1", "336110", "Ensambladora") + "\n").encode("utf-16"))
    before = sha256(db)
    code, _, err = run_etl("import-denue", path, "--db", db, "--inputs", inputs)
    assert code == 2 and "Traceback" not in err
    assert f'{path}:1: not a CSV or XLSX file: it looks like UTF-16 text; save it again as "CSV UTF-8"' in err
    assert sha256(db) == before
