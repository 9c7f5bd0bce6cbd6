"""Build the database into a temporary file and swap it in only when everything loaded."""

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import corridors, denue, loadlog, members, reference, sample
from etl.paths import GEO, REFERENCE, SCHEMA

MEMBER_SUFFIXES = (".csv", ".xlsx")
DENUE_SUFFIXES = (".csv", ".zip")


@dataclass
class Plan:
    """What one build reads and where it writes."""

    db: Path
    inputs: Path
    log: Path
    sample_members: int | None = None
    new_members: list[tuple[Path, str | None]] = field(default_factory=list)  # (file, fixed cluster)
    new_denue: list[Path] = field(default_factory=list)


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith("."))


def _cluster_of(path: Path) -> str | None:
    """Files kept by `import-members --cluster ID` are named ID__file so rebuilds know the cluster."""
    head, sep, _ = path.name.partition("__")
    return head if sep else None


def _load(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    reference.load_reference(con, REFERENCE)
    reference.load_state_shapes(con, GEO)
    reference.build_corridor_shapes(con)
    replaced = {_kept_name(p, c) for p, c in plan.new_members} | {p.name for p in plan.new_denue}
    kept_members = [(p, _cluster_of(p)) for p in _files(plan.inputs / "members", MEMBER_SUFFIXES)]
    member_files = [(p, c) for p, c in kept_members if p.name not in replaced] + plan.new_members
    for path, cluster in member_files:
        members.validate(con, path, cluster)
        members.insert(con, path, cluster)
    members.check_unique_ids(con)
    if not member_files:
        sample.insert(con, plan.sample_members or sample.DEFAULT_MEMBERS)
    kept_denue = [p for p in _files(plan.inputs / "denue", DENUE_SUFFIXES) if p.name not in replaced]
    for path in kept_denue + plan.new_denue:
        with denue.data_csv(path) as csv_path:
            denue.validate(con, csv_path, str(path))
            denue.insert(con, path.name)
    corridors.assign(con)
    con.execute(
        "INSERT INTO build_info VALUES ('members_source', $s)",
        {"s": "files" if member_files else "sample"},
    )


def _write_log(con: duckdb.DuckDBPyConnection, records: list[dict]) -> None:
    con.executemany(
        "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?)",
        [[r["logged_at"], r["action"], r["file"], r["sha256"], r["rows"], r["outcome"], r["message"]] for r in records],
    )


def _kept_name(path: Path, cluster: str | None) -> str:
    return f"{cluster}__{path.name}" if cluster else path.name


class _Keeper:
    """Copies new inputs into data/inputs and can put everything back as it was."""

    def __init__(self) -> None:
        self.done: list[tuple[Path, Path | None]] = []  # (target, backup of what it replaced)

    def keep(self, path: Path, folder: Path, cluster: str | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / _kept_name(path, cluster)
        tmp = folder / f".{target.name}.tmp"
        shutil.copyfile(path, tmp)
        backup = None
        if target.exists():
            backup = folder / f".{target.name}.bak"
            os.replace(target, backup)
        self.done.append((target, backup))
        os.replace(tmp, target)

    def commit(self) -> None:
        for _, backup in self.done:
            if backup:
                backup.unlink()

    def rollback(self) -> None:
        for target, backup in reversed(self.done):
            target.unlink(missing_ok=True)
            if backup:
                os.replace(backup, target)


def build(plan: Plan, action: str = "build", log_file: Path | None = None) -> dict[str, int]:
    """Build into a temp file, keep any new inputs, then swap the database in; return table counts.

    On any error the database and data/inputs are left exactly as they were.
    """
    plan.db.parent.mkdir(parents=True, exist_ok=True)
    tmp = plan.db.with_name(f".{plan.db.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    keeper = _Keeper()
    try:
        with duckdb.connect(str(tmp)) as con:
            _load(con, plan)
            total_members = con.execute("SELECT count(*) FROM members").fetchone()[0]
            record = loadlog.entry(action, "ok", log_file, total_members)
            _write_log(con, loadlog.read(plan.log) + [record])
            counts = table_counts(con)
        for path, cluster in plan.new_members:
            keeper.keep(path, plan.inputs / "members", cluster)
        for path in plan.new_denue:
            keeper.keep(path, plan.inputs / "denue")
        os.replace(tmp, plan.db)
    except BaseException:
        tmp.unlink(missing_ok=True)
        keeper.rollback()
        raise
    keeper.commit()
    loadlog.append(plan.log, record)
    return counts


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every table, in schema order."""
    tables = [
        r[0]
        for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_oid").fetchall()
    ]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
