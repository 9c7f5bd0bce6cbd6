"""The supplier event's working folder for this session: uploads saved into it once each, the sample written into
it, and its files read back for the /event page."""

import shutil
import tempfile
import threading
import time
from pathlib import Path

import streamlit as st

from ui import auth, data
from ui.common import tr
from valuechain import event, visible
from valuechain.event import results
from valuechain.event.results import RESULTS
from valuechain.i18n import named

HAPPENED = ("", "yes", "no")

KEY = "_event_folder"
NAMES = ("event.toml", "buyers", "suppliers", "requests", "outcomes", "schedule")  # what an upload may be called


def folder() -> Path:
    """This session's event folder (a temporary directory kept for the session)."""
    path = st.session_state.get(KEY)
    if path is None or not Path(path).is_dir():
        path = tempfile.mkdtemp(prefix="valuechain-event-")
        st.session_state[KEY] = path
    return Path(path)


def save(uploads) -> list[str]:
    """Save each new upload under its own name; return the names that are not an event file."""
    saved = st.session_state.setdefault(KEY + "_saved", set())
    unknown = []
    for up in uploads:
        name = Path(up.name).name.lower()
        stem, suffix = Path(name).stem, Path(name).suffix
        if name != "event.toml" and (stem not in NAMES or suffix not in (".csv", ".xlsx")):
            unknown.append(up.name)
            continue
        if (name, up.file_id) in saved:
            continue
        for old in folder().glob(f"{stem}.*"):  # a CSV replaces an XLSX of the same name, and the reverse
            old.unlink()
        (folder() / name).write_bytes(up.getvalue())
        saved.add((name, up.file_id))
    return unknown


def use_sample() -> None:
    """Empty the folder and write the generated sample event into it."""
    shutil.rmtree(folder(), ignore_errors=True)
    folder().mkdir(parents=True, exist_ok=True)
    visible.sample_event(data.con(), auth.viewer(), folder())


@st.cache_data(max_entries=4, show_spinner=False)
def _read(path: str, files: tuple) -> event.Event:
    """The folder read once per state of its files (`files`: each file's name, size and time)."""
    return event.read(Path(path))


def current() -> tuple[event.Event | None, str | None]:
    """The folder's event, or the one sentence that says what is wrong with it (None, None: nothing uploaded)."""
    files = tuple(sorted((f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in folder().iterdir()))
    if not files:
        return None, None
    try:
        return _read(str(folder()), files), None
    except event.EventError as exc:
        return None, str(exc).replace(str(folder()) + "/", "")


def sample_outcomes() -> None:
    """Invented outcomes for the sample event's schedule."""
    visible.sample_outcomes(auth.viewer(), folder())


def schedule(ev: event.Event, limit: float, keep: bool, lang: str) -> dict:
    """Schedule in a worker thread while a bar shows the time used and the best schedule found so far."""
    here = folder()
    if keep and (here / "schedule.csv").is_file():
        event.keep(ev, here / "schedule.csv")
    seen: dict = {}

    def found(meetings: dict) -> None:
        seen["best"] = (len(meetings), event.idle_slots(ev, meetings))

    def work() -> None:  # no Streamlit call in here: the thread has no script context
        try:
            seen["result"] = event.run(ev, here, limit, lang, found)
        except Exception as exc:  # handed to the script thread, which raises it
            seen["error"] = exc

    worker = threading.Thread(target=work, daemon=True)
    bar = st.progress(0.0)
    began = time.monotonic()
    worker.start()
    while worker.is_alive():
        n, idle = seen.get("best", (0, 0))
        text = tr("event_progress", n=f"{n:,}", idle=f"{idle:,}")
        bar.progress(min((time.monotonic() - began) / limit, 1.0), text=text)
        worker.join(0.5)
    bar.empty()
    if "error" in seen:
        raise seen["error"]
    return seen["result"]


def suggest(per_buyer: int) -> list:
    return visible.suggested_requests(data.con(), auth.viewer(), folder(), per_buyer)


def outcomes() -> None:
    """The organiser records whether each meeting happened and what came of it; saved as outcomes.csv."""
    columns = {
        "happened": st.column_config.SelectboxColumn(
            tr("event_happened"), options=HAPPENED, format_func=lambda v: tr(named("happened", v)) if v else ""
        ),
        "result": st.column_config.SelectboxColumn(
            tr("event_result"), options=("", *RESULTS), format_func=lambda v: tr(named("result", v)) if v else ""
        ),
    }
    filled = st.data_editor(
        results.sheet(folder()),
        column_config=columns,
        disabled=["day", "start", "table", "buyer_id", "supplier_id"],
        hide_index=True,
        key="event_outcomes_editor",
    )
    if st.button(tr("event_save_outcomes"), key="event_save_outcomes"):
        st.success(tr("event_outcomes_saved", n=f"{results.save(folder(), filled):,}"))
    if (folder() / "outcomes.csv").is_file():
        data = (folder() / "outcomes.csv").read_bytes()
        st.download_button(tr("event_download_outcomes"), data, "outcomes.csv", "text/csv", key="event_outcomes_csv")


def report() -> dict | None:
    """What the event achieved, when outcomes were uploaded for the current schedule."""
    if not (folder() / "schedule.csv").is_file() or not any(folder().glob("outcomes.*")):
        return None
    return visible.event_report(data.con(), auth.viewer(), folder())
