"""The reading commands as a shell uses them: a reader that stops after the header is not an error."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "members": [],
    "tables": ["--rows", "state", "--cols", "tier"],
    "hr": ["--by", "state", "--period", "2026-10"],
    "suppliers": ["--process", "machining", "--state", "19"],
    "specialisation": ["--by", "state"],
}


@pytest.mark.parametrize("module", COMMANDS)
def test_a_reader_that_stops_early_gets_no_traceback(built_db, module):
    """`python -m valuechain.X ... | head -1`: the header, exit 0, nothing on standard error."""
    command = [sys.executable, "-m", f"valuechain.{module}", *COMMANDS[module], "--db", str(built_db)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        header = proc.stdout.readline()
        proc.stdout.close()  # what `head -1` does after its line
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=60)
    assert header.strip() and code == 0 and err == ""
