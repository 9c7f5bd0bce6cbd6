"""Shared fixtures: a database built once per session, and helpers to run the ETL command."""

import hashlib
import shutil
from pathlib import Path

import pytest

from etl.__main__ import main as etl_main


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder with its hash (empty when the folder does not exist)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def built_db(tmp_path_factory) -> Path:
    """A database built from the shipped reference data and the default sample members."""
    folder = tmp_path_factory.mktemp("db")
    db = folder / "valuechain.duckdb"
    assert etl_main(["build", "--db", str(db), "--inputs", str(folder / "inputs")]) == 0
    return db


@pytest.fixture()
def app_env(built_db, monkeypatch, tmp_path):
    """Point the app at the built database and start from empty Streamlit caches."""
    import streamlit as st

    monkeypatch.setenv("VALUECHAIN_DB", str(built_db))
    monkeypatch.setenv("VALUECHAIN_AUDIT", str(tmp_path / "audit.jsonl"))  # each test its own trail
    st.cache_data.clear()
    st.cache_resource.clear()
    yield built_db
    st.cache_resource.clear()  # closes the cached connection


@pytest.fixture()
def workspace(tmp_path, built_db):
    """A private copy of the built database with its own inputs folder, for tests that write."""
    db = tmp_path / "valuechain.duckdb"
    shutil.copyfile(built_db, db)
    return db, tmp_path / "inputs"


@pytest.fixture()
def run_etl(capsys):
    """Run `python -m etl ARGS` in-process; return (exit code, stdout, stderr)."""

    def run(*args: str):
        code = etl_main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
