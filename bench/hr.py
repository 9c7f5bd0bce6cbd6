"""HR survey benchmark: `import-hr` of a survey of N sample members x 24 months (100,000 x 24 = 2.4 million rows
by default) against DuckDB's own read of the same file, each in a child process, with peak memory.

`import-hr` rebuilds the whole database (members, DENUE, corridors) around the new survey, so the rebuild
without a new file is timed as well, and the survey's own share is the difference.
Target: import-hr within 2x DuckDB's raw read_csv of the same file.
Usage: python bench/hr.py [--members N]
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.child import measured  # noqa: E402

CHILD = {
    "duckdb_raw": """
import duckdb
with duckdb.connect(DB) as con:
    con.execute("CREATE TABLE h AS SELECT * FROM read_csv(?, header = true)", [FILE])
""",
    "rebuild": """
from etl.__main__ import main
assert main(["build", "--db", DB, "--inputs", INPUTS]) == 0
""",
    "import_hr": """
from etl.__main__ import main
assert main(["import-hr", FILE, "--db", DB, "--inputs", INPUTS]) == 0
""",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    import duckdb

    from etl.__main__ import main as etl

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generated, members, survey = work / "generated.duckdb", work / "members.csv", work / "survey.csv"
        etl(["build", "--db", str(generated), "--inputs", str(work / "none"), "--sample-members", str(args.members)])
        with duckdb.connect(str(generated), read_only=True) as con:  # the sample, as a network would send it
            con.execute(
                "COPY (SELECT member_id, name, cluster_id, tier, cve_ent, municipality, employee_band FROM members) "
                "TO ? (HEADER)",
                [str(members)],
            )
            con.execute(
                "COPY (SELECT * EXCLUDE (source) FROM hr_survey ORDER BY period, member_id) TO ? (HEADER)",
                [str(survey)],
            )
            rows = con.execute("SELECT count(*) FROM hr_survey").fetchone()[0]
        base, inputs = work / "base.duckdb", work / "inputs"
        assert etl(["import-members", str(members), "--db", str(base), "--inputs", str(inputs)]) == 0
        print(f"survey file: {rows:,} member-months of {args.members:,} members, {survey.stat().st_size / 1e6:.0f} MB")
        results = {}
        for name in ("duckdb_raw", "rebuild", "import_hr"):
            db, folder = work / f"{name}.duckdb", work / f"{name}_inputs"
            shutil.copyfile(base, db)
            shutil.copytree(inputs, folder)
            header = f"FILE, DB, INPUTS = {str(survey)!r}, {str(db)!r}, {str(folder)!r}\n"
            results[name] = measured(header, CHILD[name])
    for name, (secs, mem) in results.items():
        print(f"{name:<11} {secs:6.2f} s   peak {mem:7.0f} MB")
    raw, rebuild, imported = (results[k][0] for k in ("duckdb_raw", "rebuild", "import_hr"))
    print(f"import-hr / DuckDB raw read               : {imported / raw:.2f}x (target <= 2x)")
    print(f"import-hr without the rebuild / raw read  : {max(imported - rebuild, 0) / raw:.2f}x")


if __name__ == "__main__":
    main()
