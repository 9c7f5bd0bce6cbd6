"""The audit trail: every export, deck and load (who, when, page, filters, rows), one JSON line each,
appended to a file beside the database (or $VALUECHAIN_AUDIT); lines are only ever added."""

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from valuechain import db
from valuechain.access import Viewer

COLUMNS = ["at", "who", "role", "cluster", "action", "page", "filters", "rows", "file"]
_lock = threading.Lock()


def path() -> Path:
    """$VALUECHAIN_AUDIT, else audit.jsonl beside the database."""
    named = os.environ.get("VALUECHAIN_AUDIT")
    return Path(named) if named else db.db_path().with_name("audit.jsonl")


def record(viewer: Viewer, action: str, page: str, filters: str, rows: int | None, file: str = "") -> None:
    """Append one line (an export, a deck or a load) and make sure it reached the disk."""
    line = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "who": viewer.email or ("local" if viewer.local else "anonymous"),
        "role": "local" if viewer.local else viewer.role,
        "cluster": viewer.cluster,
        "action": action,
        "page": page,
        "filters": filters,
        "rows": rows,
        "file": file,
    }
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock, open(target, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def lines() -> pd.DataFrame:
    """Every line of the trail, newest first (who may read it is decided in valuechain.visible)."""
    target = path()
    if not target.is_file():
        return pd.DataFrame(columns=COLUMNS)
    rows = [json.loads(x) for x in target.read_text(encoding="utf-8").splitlines() if x.strip()]
    return pd.DataFrame(rows, columns=COLUMNS).iloc[::-1].reset_index(drop=True)
