"""INEGI DENUE bulk files: check the 42-column header, keep automotive and supplier classes."""

import csv
import tempfile
import zipfile
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl.reading import detect_encoding, first, header_line, stage_csv
from valuechain.problems import InputError, Problem, refuse

COLUMNS = [
    "id",
    "clee",
    "nom_estab",
    "raz_social",
    "codigo_act",
    "nombre_act",
    "per_ocu",
    "tipo_vial",
    "nom_vial",
    "tipo_v_e_1",
    "nom_v_e_1",
    "tipo_v_e_2",
    "nom_v_e_2",
    "tipo_v_e_3",
    "nom_v_e_3",
    "numero_ext",
    "letra_ext",
    "edificio",
    "edificio_e",
    "numero_int",
    "letra_int",
    "tipo_asent",
    "nomb_asent",
    "tipocencom",
    "nom_cencom",
    "num_local",
    "cod_postal",
    "cve_ent",
    "entidad",
    "cve_mun",
    "municipio",
    "cve_loc",
    "localidad",
    "ageb",
    "manzana",
    "telefono",
    "correoelec",
    "www",
    "tipounieco",
    "latitud",
    "longitud",
    "fecha_alta",
]
STAGE = "stg_denue"
KEPT_CLASSES = "codigo_act IN (SELECT code FROM scian WHERE level = 'clase') OR codigo_act LIKE '336%'"


@contextmanager
def data_csv(path: Path):
    """Yield the CSV to read: the file itself, or the data file inside a DENUE zip."""
    name = str(path)
    if path.suffix.lower() != ".zip":
        yield path
        return
    with open(path, "rb") as f:
        head = f.read(512)
    if not head.startswith(b"PK"):
        looks = "an HTML page (INEGI answers a missing file with a web page)" if b"<" in head else "something else"
        raise refuse(name, f"not a zip archive: it looks like {looks}")
    with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory() as tmp:
        members = [m for m in zf.namelist() if m.lower().endswith(".csv") and "diccionario" not in m.lower()]
        if not members:
            raise refuse(name, "the zip holds no DENUE data CSV (expected conjunto_de_datos/denue_inegi_*.csv)")
        member = max(members, key=lambda m: zf.getinfo(m).file_size)
        yield Path(zf.extract(member, tmp))


def check_header(path: Path, name: str) -> None:
    """Refuse a file whose header is not DENUE's 42 columns."""
    first = header_line(path, detect_encoding(path))
    found = [c.strip().lower() for c in next(csv.reader([first]), [])]
    if found != COLUMNS:
        missing = [c for c in COLUMNS if c not in found]
        detail = f"missing {', '.join(missing[:5])}" if missing else "columns out of order"
        raise refuse(
            name,
            f"not an INEGI DENUE file: the header has {len(found)} columns, expected 42 "
            f"({', '.join(COLUMNS[:4])}, …); {detail}",
        )


def validate(con: duckdb.DuckDBPyConnection, path: Path, name: str) -> int:
    """Stage a DENUE CSV and check the rows we keep; return how many are kept."""
    check_header(path, name)
    stage_csv(con, path, STAGE, name)
    line = "rowid + 2"
    checks = [
        f"SELECT {line}, 'cve_ent', '''' || coalesce(cve_ent, '') || ''' is not a state code 01–32' FROM {STAGE} "
        "WHERE NOT coalesce(regexp_full_match(trim(cve_ent), '[0-9]{1,2}') AND trim(cve_ent)::INT BETWEEN 1 AND 32, "
        "false)",
        f"SELECT {line}, 'id', 'duplicate id ''' || id || '''' FROM (SELECT rowid, id, "
        f"row_number() OVER (PARTITION BY id ORDER BY rowid) AS k FROM {STAGE}) WHERE k > 1",
        f"SELECT {line}, 'latitud', '''' || latitud || ''' is not a number' FROM {STAGE} "
        "WHERE nullif(trim(latitud), '') IS NOT NULL AND TRY_CAST(trim(latitud) AS DOUBLE) IS NULL",
        f"SELECT {line}, 'longitud', '''' || longitud || ''' is not a number' FROM {STAGE} "
        "WHERE nullif(trim(longitud), '') IS NOT NULL AND TRY_CAST(trim(longitud) AS DOUBLE) IS NULL",
    ]
    union = " UNION ALL ".join(checks)
    found = con.execute(f"SELECT * FROM ({union}) ORDER BY 1 LIMIT 51").fetchall()
    if found:
        total = first(con.execute(f"SELECT count(*) FROM ({union})"))
        raise InputError([Problem(name, int(n), col, reason) for n, col, reason in found], total)
    return first(con.execute(f"SELECT count(*) FROM {STAGE} WHERE {KEPT_CLASSES}"))


def insert(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """Insert the kept establishments, mapping the per_ocu stratum to an employee range."""
    before = first(con.execute("SELECT count(*) FROM denue_establishments"))
    con.execute(
        f"""
        INSERT INTO denue_establishments
        SELECT trim(d.id), nullif(trim(d.clee), ''), trim(d.nom_estab), nullif(trim(d.raz_social), ''),
               trim(d.codigo_act), nullif(trim(d.nombre_act), ''), nullif(trim(d.per_ocu), ''),
               s.employees_min, s.employees_max, lpad(trim(d.cve_ent), 2, '0'), nullif(trim(d.cve_mun), ''),
               nullif(trim(d.municipio), ''), TRY_CAST(trim(d.latitud) AS DOUBLE),
               TRY_CAST(trim(d.longitud) AS DOUBLE), nullif(trim(d.fecha_alta), ''), $source
        FROM {STAGE} d LEFT JOIN denue_strata s ON s.per_ocu = trim(d.per_ocu)
        WHERE {KEPT_CLASSES}
        """,
        {"source": source},
    )
    return first(con.execute("SELECT count(*) FROM denue_establishments")) - before
