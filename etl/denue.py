"""INEGI DENUE bulk files: check the 42-column header, keep automotive and supplier classes."""

import csv
import re
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import duckdb

from etl.members import LAT_RANGE, LON_RANGE
from etl.reading import (
    MAX_UNZIPPED_MB,
    MAX_ZIP_RATIO,
    check_text,
    first,
    header_line,
    line_of,
    stage_csv,
    too_big,
)
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
# The DENUE columns the checks and the load use; the other 26 are parsed but not held.
KEEP = (
    "id",
    "clee",
    "nom_estab",
    "raz_social",
    "codigo_act",
    "nombre_act",
    "per_ocu",
    "cve_ent",
    "cve_mun",
    "municipio",
    "latitud",
    "longitud",
    "fecha_alta",
    "telefono",
    "correoelec",
    "www",
)
KEPT: dict[str, tuple[int, int]] = {}  # file -> (rows read, rows kept), for the acceptance report
KEPT_CLASSES = (
    "(d.codigo_act IN (SELECT code FROM scian WHERE level = 'clase' UNION ALL SELECT scian_code FROM "
    "convertible_classes) OR d.codigo_act LIKE '336%')"
)


@contextmanager
def data_csv(path: Path):
    """Yield the CSV to read: the file itself, or the data file inside a DENUE zip (within the size limits)."""
    name = str(path)
    if not path.is_file():
        raise refuse(name, "is a folder, not a file" if path.is_dir() else "file not found", line=0)
    if path.suffix.lower() != ".zip":
        yield path
        return
    with open(path, "rb") as f:
        head = f.read(512)
    if not head.startswith(b"PK"):
        looks = "an HTML page (INEGI answers a missing file with a web page)" if b"<" in head else "something else"
        raise refuse(name, f"not a zip archive: it looks like {looks}")
    try:
        with zipfile.ZipFile(path) as zf, tempfile.TemporaryDirectory() as tmp:
            members = [m for m in zf.infolist() if m.filename.lower().endswith(".csv")]
            members = [m for m in members if "diccionario" not in m.filename.lower()]
            if not members:
                raise refuse(name, "the zip holds no DENUE data CSV (expected conjunto_de_datos/denue_inegi_*.csv)")
            member = max(members, key=lambda m: m.file_size)
            _check_zip_member(name, member)
            target = Path(tmp) / "denue.csv"
            with zf.open(member) as src, open(target, "wb") as out:
                _copy_capped(src, out, name)
            yield target
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise refuse(name, f"the zip is damaged or incomplete ({exc}); download it again") from None


def _check_zip_member(name: str, member: zipfile.ZipInfo) -> None:
    """Refuse a zip whose data file is too big, or compressed suspiciously well (a zip bomb), before extracting."""
    if member.file_size > MAX_UNZIPPED_MB * 1e6:
        raise too_big(name, member.file_size, MAX_UNZIPPED_MB, "VALUECHAIN_MAX_UNZIPPED_MB", "CSV inside the zip")
    ratio = member.file_size / max(member.compress_size, 1)
    if ratio > MAX_ZIP_RATIO:
        raise refuse(
            name,
            f"the CSV inside the zip expands {ratio:,.0f} times, over the limit of {MAX_ZIP_RATIO:,.0f} "
            "(set VALUECHAIN_MAX_ZIP_RATIO to allow more)",
            line=0,
        )


def _copy_capped(src, out, name: str) -> None:
    """Extract at most the size limit, whatever the zip's header says."""
    copied, cap = 0, MAX_UNZIPPED_MB * 1e6
    while chunk := src.read(1 << 20):
        copied += len(chunk)
        if copied > cap:
            raise too_big(name, copied, MAX_UNZIPPED_MB, "VALUECHAIN_MAX_UNZIPPED_MB", "CSV inside the zip")
        out.write(chunk)


def check_header(path: Path, name: str) -> None:
    """Refuse a file that is not text, or whose header is not DENUE's 42 columns."""
    check_text(path, name)
    found = [c.strip().lower() for c in next(csv.reader([header_line(path, "latin-1")]), [])]
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
    stage_csv(con, path, STAGE, name, KEEP)
    if not first(con.execute(f"SELECT count(*) FROM {STAGE}")):
        raise refuse(name, "file has a header but no data rows")
    line = line_of(con, STAGE)
    checks = [
        f"SELECT {line}, 'cve_ent', '''' || coalesce(cve_ent, '') || ''' is not a state code 01–32' FROM {STAGE} "
        "WHERE NOT coalesce(regexp_full_match(trim(cve_ent), '[0-9]{1,2}') "
        "AND TRY_CAST(trim(cve_ent) AS INTEGER) BETWEEN 1 AND 32, false)",
        f"SELECT line, 'id', 'duplicate id ''' || id || '''' FROM (SELECT {line} AS line, id, "
        f"row_number() OVER (PARTITION BY id ORDER BY rowid) AS k FROM {STAGE}) WHERE k > 1",
    ]
    for column, (lo, hi) in (("latitud", LAT_RANGE), ("longitud", LON_RANGE)):
        value = f"TRY_CAST(trim({column}) AS DOUBLE)"
        checks += [
            f"SELECT {line}, '{column}', '''' || {column} || ''' is not a number' FROM {STAGE} "
            f"WHERE nullif(trim({column}), '') IS NOT NULL AND {value} IS NULL",
            f"SELECT {line}, '{column}', trim({column}) || ' is outside Mexico ({lo} to {hi})' FROM {STAGE} "
            f"WHERE NOT {value} BETWEEN {lo} AND {hi}",
        ]
    union = " UNION ALL ".join(checks)
    found = con.execute(f"SELECT DISTINCT * FROM ({union}) ORDER BY 1, 2 LIMIT 51").fetchall()
    if found:
        total = first(con.execute(f"SELECT count(*) FROM (SELECT DISTINCT * FROM ({union}))"))
        raise InputError([Problem(name, int(n), col, reason) for n, col, reason in found], total)
    kept = first(con.execute(f"SELECT count(*) FROM {STAGE} d WHERE {KEPT_CLASSES}"))
    KEPT[name] = (first(con.execute(f"SELECT count(*) FROM {STAGE}")), kept)
    return kept


MANUFACTURING = "substr(trim(d.codigo_act), 1, 2) IN ('31', '32', '33')"
EDITION_IN_NAME = re.compile(r"(20\d\d)[-_]?(0[1-9]|1[0-2])(?!\d)")


def edition_of(path: Path, given: str | None = None) -> str:
    """The edition (YYYY-MM) of a DENUE file: as given, else read from its name; refuse when neither says."""
    if given:
        if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", given):
            raise refuse(str(path), f"edition '{given}' is not YYYY-MM (e.g. 2025-05)", line=0)
        return given
    found = EDITION_IN_NAME.search(path.name)
    if not found:
        raise refuse(str(path), "say which DENUE edition this is: --edition YYYY-MM (the file name does not)", line=0)
    return f"{found.group(1)}-{found.group(2)}"


def insert(con: duckdb.DuckDBPyConnection, source: str, edition: str) -> int:
    """Insert the kept establishments (stratum mapped to a staff range), and every manufacturing row counted
    per municipality with its estimated employment, under `edition`."""
    loaded = first(con.execute("SELECT any_value(source) FROM denue_editions WHERE edition = $e", {"e": edition}))
    if loaded:
        raise refuse(source, f"edition {edition} is already loaded from {loaded}; give this file its own --edition", 0)
    before = first(con.execute("SELECT count(*) FROM denue_establishments"))
    params = {"source": source, "edition": edition}
    con.execute(
        f"""
        INSERT INTO denue_establishments
        SELECT trim(d.id), nullif(trim(d.clee), ''), trim(d.nom_estab), nullif(trim(d.raz_social), ''),
               trim(d.codigo_act), nullif(trim(d.nombre_act), ''), nullif(trim(d.per_ocu), ''),
               s.employees_min, s.employees_max, lpad(trim(d.cve_ent), 2, '0'), nullif(trim(d.cve_mun), ''),
               nullif(trim(d.municipio), ''), TRY_CAST(trim(d.latitud) AS DOUBLE),
               TRY_CAST(trim(d.longitud) AS DOUBLE), nullif(trim(d.fecha_alta), ''),
               nullif(trim(d.telefono), ''), nullif(trim(d.correoelec), ''), nullif(trim(d.www), ''), $source, $edition
        FROM {STAGE} d LEFT JOIN denue_strata s ON s.per_ocu = trim(d.per_ocu)
        WHERE {KEPT_CLASSES}
        """,
        params,
    )
    con.execute(
        f"""
        INSERT INTO denue_totals
        SELECT $edition, lpad(trim(d.cve_ent), 2, '0'), lpad(nullif(trim(d.cve_mun), ''), 3, '0'),
               any_value(nullif(trim(d.municipio), '')), count(*), coalesce(sum(s.employees_mid), 0), $source
        FROM {STAGE} d LEFT JOIN denue_strata s ON s.per_ocu = trim(d.per_ocu)
        WHERE {MANUFACTURING} GROUP BY 2, 3
        """,
        params,
    )
    con.execute(
        f"INSERT INTO denue_editions SELECT $edition, $source, count(*) FROM {STAGE} d WHERE {MANUFACTURING}",
        params,
    )
    return first(con.execute("SELECT count(*) FROM denue_establishments")) - before
