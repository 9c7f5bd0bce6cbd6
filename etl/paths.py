"""Where the project keeps its data."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
GEO = ROOT / "data" / "geo"
INPUTS = ROOT / "data" / "inputs"
DEFAULT_DB = ROOT / "data" / "valuechain.duckdb"
LOAD_LOG = ROOT / "data" / "load_log.jsonl"
SCHEMA = Path(__file__).with_name("schema.sql")
