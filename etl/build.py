"""Build the database into a temporary file and swap it in only when everything loaded."""

import fcntl
import json
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import corridors, denue, hr, loadlog, members, reference, sample, sample_denue
from etl.paths import GEO, REFERENCE, SCHEMA
from etl.reading import first
from valuechain.problems import InputError, refuse

MEMBER_SUFFIXES = (".csv", ".xlsx")
DENUE_SUFFIXES = (".csv", ".zip")
MANIFEST = "clusters.json"  # kept member file name -> the cluster given for all its rows (`--cluster`)
EDITIONS = "editions.json"  # kept DENUE file name -> its edition (YYYY-MM)
HR_ORDER = "order.json"  # kept HR survey files, in the order they were imported (a later one wins)
LOCK_WAIT_S = float(os.environ.get("VALUECHAIN_LOCK_WAIT_S", "600"))


class BusyError(RuntimeError):
    """Another build of the same database is running and did not finish in time."""


@dataclass
class Plan:
    """What one build reads and where it writes."""

    db: Path
    inputs: Path
    log: Path
    sample_members: int | None = None
    new_members: list[tuple[Path, str | None]] = field(default_factory=list)  # (file, fixed cluster)
    own_cluster: str | None = None  # a cluster administrator's cluster: new member files hold only its rows
    new_hr: list[Path] = field(default_factory=list)  # HR survey files
    new_denue: list[tuple[Path, str | None]] = field(default_factory=list)  # (file, edition given)
    editions: dict[str, str] = field(default_factory=dict)  # new DENUE file -> the edition it was loaded as
    skipped: list[str] = field(default_factory=list)  # kept files a rebuild could not load, with the reason
    notes: list[str] = field(default_factory=list)  # what the load history should say (replaced member-months)


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in suffixes and not p.name.startswith("."))


def read_manifest(folder: Path, name: str = MANIFEST) -> dict[str, str]:
    """What was said of each kept file when it was imported (a member file's cluster, a DENUE file's edition)."""
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _load_member_file(con: duckdb.DuckDBPyConnection, path: Path, cluster: str | None, own: str | None = None) -> None:
    members.validate(con, path, cluster, own)
    members.insert(con, path, cluster)


def _check_replaces_own(con: duckdb.DuckDBPyConnection, plan: Plan, manifest: dict[str, str]) -> None:
    """A cluster administrator's file may not replace a kept file of the same name that holds other clusters."""
    for path, _ in plan.new_members:
        kept = plan.inputs / "members" / path.name
        if kept.is_file() and members.clusters_in(con, kept, manifest.get(path.name)) - {plan.own_cluster}:
            raise refuse(
                str(path),
                f"a kept file named {path.name} holds members of other clusters; give your file another name",
                line=0,
            )


def _load_denue_file(con: duckdb.DuckDBPyConnection, path: Path, edition: str | None) -> str:
    """Validate and load a DENUE file (its problems first, then its edition: given, else from its name)."""
    with denue.data_csv(path) as csv_path:
        denue.validate(con, csv_path, str(path))
        edition = denue.edition_of(path, edition)
        denue.insert(con, path.name, edition)
    return edition


def _load(con: duckdb.DuckDBPyConnection, plan: Plan) -> None:
    """Everything into a fresh database: a new file that fails refuses the build; a kept one is skipped and named."""
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    members.create_table(con)
    reference.load_reference(con, REFERENCE)
    reference.load_state_shapes(con, GEO)
    reference.load_municipal_shapes(con, GEO)
    reference.build_corridor_shapes(con)
    replaced = {p.name for p, _ in plan.new_members} | {p.name for p, _ in plan.new_denue}
    manifest = read_manifest(plan.inputs / "members")
    kept_members = [
        (p, manifest.get(p.name)) for p in _files(plan.inputs / "members", MEMBER_SUFFIXES) if p.name not in replaced
    ]
    if plan.own_cluster:
        _check_replaces_own(con, plan, manifest)
    loaded = 0
    for path, cluster in kept_members:
        loaded += _kept(plan, path, lambda path=path, cluster=cluster: _load_member_file(con, path, cluster))
    for path, cluster in plan.new_members:
        _load_member_file(con, path, cluster, plan.own_cluster)
        loaded += 1
    members.check_unique_ids(con)
    if not loaded:
        sample.insert(con, plan.sample_members or sample.DEFAULT_MEMBERS)
    editions = read_manifest(plan.inputs / "denue", EDITIONS)
    denue_files = 0
    for path in _files(plan.inputs / "denue", DENUE_SUFFIXES):
        if path.name not in replaced:
            denue_files += _kept(plan, path, lambda path=path: _load_denue_file(con, path, editions.get(path.name)))
    for path, given in plan.new_denue:
        plan.editions[path.name] = _load_denue_file(con, path, given)
        denue_files += 1
    if not denue_files:
        sample_denue.insert(con)
    _load_hr(con, plan, members_are_sample=not loaded)
    _keep_previous_members(con, plan.db, changed=bool(plan.new_members))
    corridors.assign(con)
    con.execute(
        "INSERT INTO build_info VALUES ('members_source', $s)",
        {"s": "files" if loaded else "sample"},
    )


def hr_order(inputs: Path) -> list[str]:
    """The kept HR survey files in the order they were imported."""
    path = inputs / "hr" / HR_ORDER
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def _load_hr(con: duckdb.DuckDBPyConnection, plan: Plan, members_are_sample: bool) -> None:
    """The kept survey files in import order, then the new ones (a later file's member-month replaces an earlier
    one's); with sample members and no survey file, the sample survey."""
    new = {p.name for p in plan.new_hr}
    kept = [
        plan.inputs / "hr" / n for n in hr_order(plan.inputs) if n not in new and (plan.inputs / "hr" / n).is_file()
    ]
    if plan.own_cluster:  # a cluster administrator adds files; replacing one by its name could drop others' rows
        for path in plan.new_hr:
            if (plan.inputs / "hr" / path.name).is_file():
                raise refuse(str(path), f"a kept file named {path.name} exists; give your file another name", line=0)
    loaded = 0
    for path in kept:
        loaded += _kept(plan, path, lambda path=path: _load_hr_file(con, path))
    for path in plan.new_hr:
        rows, replaced = _load_hr_file(con, path, plan.own_cluster)
        loaded += 1
        if replaced:
            plan.notes.append(f"{path.name} replaces {replaced:,} member-months loaded from earlier survey files")
    if not loaded and members_are_sample:
        hr.insert_sample(con)


def _load_hr_file(con: duckdb.DuckDBPyConnection, path: Path, own: str | None = None) -> tuple[int, int]:
    hr.validate(con, path, own)
    return hr.insert(con, path)


def _keep_previous_members(con: duckdb.DuckDBPyConnection, db: Path, changed: bool) -> None:
    """Carry the earlier member loads into this build, for "what changed": the snapshots the old database
    held, plus its members when this build loads new member files."""
    if not db.is_file():
        return
    try:
        con.execute("ATTACH $path AS prev (READ_ONLY)", {"path": str(db)})
    except duckdb.Error:
        return  # an unreadable old file: nothing to compare with
    try:
        con.execute("INSERT INTO members_previous SELECT * FROM prev.members_previous")
        if changed:
            con.execute(
                "INSERT INTO members_previous SELECT member_id, cluster_id, tier, cve_ent, municipality, processes, "
                "(SELECT max(logged_at) FROM prev.load_log WHERE outcome = 'ok' AND action <> 'import-denue'), "
                "(SELECT coalesce(max(snapshot), 0) + 1 FROM prev.members_previous) "
                "FROM prev.members WHERE source <> 'sample'"
            )
    except duckdb.Error:
        pass  # an older layout without these tables: nothing to compare with
    finally:
        con.execute("DETACH prev")


def _kept(plan: Plan, path: Path, load) -> int:
    """Load one kept input; if it no longer loads (e.g. the reference data changed), skip it and say why."""
    try:
        load()
    except InputError as exc:
        plan.skipped.append(f"{path}: skipped, it no longer loads ({exc.lines()[0]})")
        return 0
    return 1


def _write_log(con: duckdb.DuckDBPyConnection, records: list[dict]) -> None:
    con.executemany(
        "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?)",
        [[r["logged_at"], r["action"], r["file"], r["sha256"], r["rows"], r["outcome"], r["message"]] for r in records],
    )


class _Keeper:
    """Copies new inputs into data/inputs and can put everything back as it was."""

    def __init__(self) -> None:
        self.done: list[tuple[Path, Path | None]] = []  # (target, backup of what it replaced)

    def keep(self, path: Path, folder: Path) -> None:
        """Copy a file into the kept inputs under its own name."""
        self._put(folder / path.name, lambda tmp: shutil.copyfile(path, tmp))

    def write(self, target: Path, text: str) -> None:
        """Write a small kept file (the cluster manifest), replacing it atomically."""
        self._put(target, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def _put(self, target: Path, fill) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        fill(tmp)
        backup = None
        if target.exists():
            backup = target.with_name(f".{target.name}.bak")
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


@contextmanager
def exclusive(db: Path, wait_s: float = LOCK_WAIT_S):
    """One build of a database at a time: a second one waits for the first, or is refused after `wait_s`."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.with_name(f".{db.name}.lock"), "a+") as lock:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    lock.seek(0)
                    holder = lock.read().strip() or "another process"
                    raise BusyError(
                        f"another load of {db} is still running ({holder}); waited {wait_s:.0f} s. Try again when "
                        "it ends, or wait longer with VALUECHAIN_LOCK_WAIT_S=seconds."
                    ) from None
                time.sleep(0.2)
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}, since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def build(plan: Plan, action: str = "build", log_file: Path | None = None) -> dict[str, int]:
    """Build into a temp file, keep any new inputs, then swap the database in; return table counts.

    Builds of one database run one at a time (`exclusive`), each reading the inputs kept by the last.
    On any error the database and data/inputs are left exactly as they were.
    """
    with exclusive(plan.db):
        return _build(plan, action, log_file)


def _build(plan: Plan, action: str, log_file: Path | None) -> dict[str, int]:
    plan.db.parent.mkdir(parents=True, exist_ok=True)
    tmp = plan.db.with_name(f".{plan.db.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    keeper = _Keeper()
    try:
        with duckdb.connect(str(tmp)) as con:
            _load(con, plan)
            total_members = first(con.execute("SELECT count(*) FROM members"))
            record = loadlog.entry(action, "ok", log_file, total_members, "; ".join(plan.notes + plan.skipped))
            _write_log(con, loadlog.read(plan.log) + [record])
            counts = table_counts(con)
        manifest = read_manifest(plan.inputs / "members")
        for path, cluster in plan.new_members:
            keeper.keep(path, plan.inputs / "members")
            if cluster:
                manifest[path.name] = cluster
            else:
                manifest.pop(path.name, None)
        if plan.new_members:
            keeper.write(plan.inputs / "members" / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
        editions = read_manifest(plan.inputs / "denue", EDITIONS)
        for path, _ in plan.new_denue:
            keeper.keep(path, plan.inputs / "denue")
            editions[path.name] = plan.editions[path.name]
        if plan.new_denue:
            keeper.write(plan.inputs / "denue" / EDITIONS, json.dumps(editions, indent=1, sort_keys=True))
        order = [n for n in hr_order(plan.inputs) if n not in {p.name for p in plan.new_hr}]
        for path in plan.new_hr:
            keeper.keep(path, plan.inputs / "hr")
            order.append(path.name)
        if plan.new_hr:
            keeper.write(plan.inputs / "hr" / HR_ORDER, json.dumps(order, indent=1))
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
    return {t: first(con.execute(f'SELECT count(*) FROM "{t}"')) for t in tables}
