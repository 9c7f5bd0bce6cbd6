"""DENUE benchmark: a national-layout DENUE file (42 columns, Latin-1, zipped) generated on the fly,
imported with `python -m etl import-denue`, against DuckDB's own read and filter of the same CSV.

Prints times, the ratio and peak memory of each path (each measured in a child process).
Target: the import within 1.5x of DuckDB's read_csv of the same file, under 1.5 GB peak.
Usage: python bench/denue.py [--rows N]   (the national file has about 5,000,000 rows)
"""

import argparse
import csv
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.child import measured  # noqa: E402
from etl.denue import COLUMNS  # noqa: E402

CLASSES = ["336390", "336320", "332710", "326192", "311830", "323119", "337120", "312112", "315223", "331111"]
STRATA = ["0 a 5 personas", "6 a 10 personas", "11 a 30 personas", "31 a 50 personas", "51 a 100 personas"]
CHILD = {
    "import": """
from etl.__main__ import main
assert main(["import-denue", FILE, "--edition", "2025-05", "--db", DB, "--inputs", INPUTS]) == 0
""",
    "duckdb_read": """
import duckdb
with duckdb.connect(DB) as con:
    con.execute("CREATE TABLE d AS SELECT * FROM read_csv(?, header = true, all_varchar = true, "
                "encoding = 'latin-1') WHERE codigo_act LIKE '33%' OR codigo_act LIKE '32%'", [CSV])
""",
}


def write_denue(path: Path, rows: int, seed: int = 7) -> None:
    """A national-layout DENUE CSV of `rows` manufacturing establishments (Latin-1)."""
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="latin-1", newline="") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL)
        writer.writerow(COLUMNS)
        empty = [""] * len(COLUMNS)
        index = {c: i for i, c in enumerate(COLUMNS)}
        classes = rng.choice(CLASSES, size=rows)
        states = rng.integers(1, 33, size=rows)
        strata = rng.choice(STRATA, size=rows)
        for k in range(rows):
            row = list(empty)
            row[index["id"]] = str(k + 1)
            row[index["nom_estab"]] = f"Establecimiento {k + 1} Peñón"
            row[index["codigo_act"]] = classes[k]
            row[index["per_ocu"]] = strata[k]
            row[index["cve_ent"]] = f"{states[k]:02d}"
            row[index["cve_mun"]] = "001"
            row[index["municipio"]] = "Municipio"
            row[index["latitud"]] = "20.5"
            row[index["longitud"]] = "-100.3"
            writer.writerow(row)


def run(name: str, workdir: Path, zipped: Path, csv_path: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one path, in a fresh process."""
    setup = (
        f"FILE, CSV, DB, INPUTS = {str(zipped)!r}, {str(csv_path)!r}, {str(workdir / (name + '.duckdb'))!r}, "
        f"{str(workdir / (name + '_inputs'))!r}\n"
    )
    return measured(setup, CHILD[name])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        csv_path = workdir / "denue_inegi_31-33_.csv"
        write_denue(csv_path, args.rows)
        zipped = workdir / "denue_00_31-33_csv.zip"
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(csv_path, "conjunto_de_datos/denue_inegi_31-33_.csv")
        size, packed = csv_path.stat().st_size / 1e6, zipped.stat().st_size / 1e6
        print(f"DENUE file: {args.rows:,} rows, {size:.0f} MB ({packed:.0f} MB zipped)")
        results = {name: run(name, workdir, zipped, csv_path) for name in ("duckdb_read", "import")}
    for name, (secs, mem) in results.items():
        print(f"{name:<12} {secs:6.2f} s   peak {mem:7.0f} MB")
    ratio = results["import"][0] / results["duckdb_read"][0]
    print(f"import-denue / DuckDB read and filter : {ratio:.2f}x (target <= 1.5x)")
    print(f"import-denue peak memory             : {results['import'][1]:,.0f} MB (target <= 1,500 MB)")


if __name__ == "__main__":
    main()
