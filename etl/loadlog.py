"""The load history: one JSON line per build or import, kept beside the database."""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def entry(action: str, outcome: str, file: Path | None = None, rows: int | None = None, message: str = "") -> dict:
    """One load_log record (the file's hash is taken now)."""
    return {
        "logged_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "action": action,
        "file": str(file) if file else None,
        "sha256": sha256(file) if file and file.is_file() else None,
        "rows": rows,
        "outcome": outcome,
        "message": message,
    }


def append(log: Path, record: dict) -> None:
    """Add a record to the log file."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as f:
        f.write(json.dumps(record, ensure_ascii=False) + "\n")


def read(log: Path) -> list[dict]:
    """Every record so far (none when there is no log yet)."""
    if not log.is_file():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
