"""ETL benchmark: validated import of 1,000,000 members against DuckDB's raw read and the pandas path.

Prints times, the two ratios and peak memory of each path (each measured in a child process).
Target: the validated build within 1.5x of DuckDB's raw read_csv of the same file.
Usage: python bench/etl.py [--rows N]
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.child import measured  # noqa: E402

CHILD = {
    "validated": """
from etl.__main__ import main
code = main(["import-members", FILE, "--db", DB, "--inputs", INPUTS])
assert code == 0
""",
    "duckdb_raw": """
import duckdb
with duckdb.connect(DB) as con:
    con.execute("CREATE TABLE m AS SELECT * FROM read_csv(?, header = true)", [FILE])
""",
    "pandas": """
import duckdb, pandas as pd
frame = pd.read_csv(FILE, dtype=str)
with duckdb.connect(DB) as con:
    con.execute("CREATE TABLE m AS SELECT * FROM frame")
""",
}


def write_members(path: Path, rows: int) -> None:
    """Sample members written as a member file (the same columns a network would load)."""
    import duckdb

    from etl import reference, sample
    from etl.paths import REFERENCE, SCHEMA

    with duckdb.connect() as con:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        reference.load_reference(con, REFERENCE)
        table = sample.generate(con, rows)
        con.register("t", table)
        con.execute(
            "COPY (SELECT member_id, name, cluster_id, tier, cve_ent, cve_mun, municipality, scian_code, "
            "employee_band, CASE WHEN iatf_16949 THEN 'yes' WHEN NOT iatf_16949 THEN 'no' END AS iatf_16949, "
            "array_to_string(processes, ';') AS processes, lat, lon FROM t) TO ? (HEADER)",
            [str(path)],
        )


def run(name: str, workdir: Path, file: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one path, in a fresh process."""
    db = workdir / f"{name}.duckdb"
    return measured(
        f"FILE, DB, INPUTS = {str(file)!r}, {str(db)!r}, {str(workdir / (name + '_inputs'))!r}\n", CHILD[name]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        file = workdir / "members.csv"
        write_members(file, args.rows)
        print(f"members file: {args.rows:,} rows, {file.stat().st_size / 1e6:.0f} MB")
        results = {name: run(name, workdir, file) for name in ("duckdb_raw", "pandas", "validated")}
    for name, (secs, mem) in results.items():
        print(f"{name:<11} {secs:6.2f} s   peak {mem:7.0f} MB")
    raw, pandas, validated = (results[k][0] for k in ("duckdb_raw", "pandas", "validated"))
    print(f"validated build / DuckDB raw read : {validated / raw:.2f}x (target <= 1.5x)")
    print(f"validated build / pandas path     : {validated / pandas:.2f}x")


if __name__ == "__main__":
    main()
