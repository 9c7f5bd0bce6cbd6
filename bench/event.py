"""Supplier event benchmark: a generated event at CLAUT's scale (83 buyers, 600 suppliers, 3,000 requests, a
fifth of them `must`, 2 days of 24 slots of 20 minutes, 90 tables), scheduled with the default time limit;
prints what `schedule` prints, the gap to the bound, and peak memory. `--scale 10` is ten times that (4 days,
400 tables). Never a timed test.

Usage: python bench/event.py [--scale K] [--time-limit S]
"""

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.child import measured  # noqa: E402


def write_event(folder: Path, scale: int, seed: int = 7) -> None:
    """A random event (ids only; windows: a fifth of the participants come for one day only)."""
    rng = random.Random(seed)
    days = [f"2027-03-{10 + d:02d}" for d in range(2 if scale == 1 else 4)]
    tables = 90 if scale == 1 else 400
    (folder / "event.toml").write_text(
        f'name = "bench"\nslot_minutes = 20\ntables = {tables}\nmax_meetings = 16\n'
        + "".join(f'[[days]]\ndate = "{d}"\nstart = "09:00"\nend = "18:00"\nbreaks = ["13:00-14:00"]\n' for d in days),
        encoding="utf-8",
    )
    buyers = [f"B{i:04d}" for i in range(83 * scale)]
    suppliers = [f"S{i:05d}" for i in range(600 * scale)]

    def rows(ids):
        return "".join(
            f"{pid},{pid} SA,machining,{rng.choice(days) + ' 09:00-18:00' if rng.random() < 0.2 else ''}\n"
            for pid in ids
        )

    (folder / "buyers.csv").write_text("buyer_id,company,processes,available\n" + rows(buyers), encoding="utf-8")
    (folder / "suppliers.csv").write_text(
        "supplier_id,company,processes,available\n" + rows(suppliers), encoding="utf-8"
    )
    pairs = set()
    while len(pairs) < 3000 * scale:
        pairs.add((rng.choice(buyers), rng.choice(suppliers)))
    body = "".join(f"{b},{s},{'must' if rng.random() < 0.2 else 'meet'},buyer\n" for b, s in sorted(pairs))
    (folder / "requests.csv").write_text("buyer_id,supplier_id,priority,requested_by\n" + body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_event(folder, args.scale)
        out = folder / "report.json"
        secs, mem = measured(
            f"import contextlib, io\nFOLDER, OUT = {str(folder)!r}, {str(out)!r}\n",
            "from valuechain.event import cli\nbuffer = io.StringIO()\n"
            "with contextlib.redirect_stdout(buffer):\n"
            f"    assert cli.main(['schedule', FOLDER, '--time-limit', '{args.time_limit}']) == 0\n"
            "open(OUT, 'w').write(buffer.getvalue())\n",
        )
        report = json.loads(out.read_text())
    report.pop("unscheduled")
    print(json.dumps(report))
    gap = report["upper_bound"] - report["scheduled"]
    share = report["scheduled"] / report["upper_bound"] if report["upper_bound"] else 1
    must = f"{report['must_scheduled']}/{report['must_requests']} (bound {report.get('must_upper_bound')})"
    print(f"scheduled / upper bound : {share:.4f} ({gap} short); must {must}; idle slots {report.get('idle_slots')}")
    print(f"total {secs:.1f} s, peak {mem:.0f} MB")


if __name__ == "__main__":
    main()
