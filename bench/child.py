"""Measure one benchmark path in a fresh Python process: seconds and peak resident memory (MB)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measured(setup: str, body: str) -> tuple[float, float]:
    """Run `setup` then time `body` in a child process (so each path starts with a clean heap)."""
    code = (
        "import sys, time, json\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        + setup
        + "t0 = time.perf_counter()\n"
        + body
        + "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "print(json.dumps([time.perf_counter() - t0, int(hwm) / 1024]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))
