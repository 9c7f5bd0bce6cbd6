"""Agendas from a schedule: for each participant with a meeting one PDF (selectable text, reportlab) and one ICS
calendar (icalendar), named by its id (`B07.pdf`, `B07.ics`), each meeting with its time, table, counterpart and
what the counterpart makes; and the organiser's grid (slots x tables) as `grid.xlsx`."""

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from valuechain.event.folder import REFERENCE, SCHEDULE, read, table
from valuechain.i18n import ByDataLang, t


def people(folder: Path, lang: str) -> dict[str, tuple[str, str]]:
    """Each participant's company and what it makes (its processes' names in `lang`)."""
    names = {
        r.process_id: ByDataLang(es=r.name_es, en=r.name_en)[lang]
        for r in pd.read_csv(REFERENCE / "processes.csv", dtype=str).itertuples()
    }
    out = {}
    for kind, id_col in (("buyers", "buyer_id"), ("suppliers", "supplier_id")):
        for r in table(folder / f"{kind}.csv", [id_col, "company", "processes"]).itertuples(index=False):
            makes = [names.get(p.strip(), p.strip()) for p in r.processes.split(";") if p.strip()]
            out[getattr(r, id_col).strip()] = (r.company.strip(), ", ".join(makes))
    return out


def agendas(folder: Path, lang: str = "es") -> dict[str, list[dict]]:
    """Each participant's meetings in time order: day, start, end, table, counterpart id, company, what it makes."""
    known = people(folder, lang)
    plan = table(folder / "schedule.csv", SCHEDULE).sort_values(["day", "start", "table"], key=_natural)
    out: dict[str, list[dict]] = {}
    for r in plan.itertuples(index=False):
        for pid, other in ((r.buyer_id, r.supplier_id), (r.supplier_id, r.buyer_id)):
            company, makes = known.get(other, ("", ""))
            meeting = {"day": r.day, "start": r.start, "end": r.end, "table": r.table}
            out.setdefault(pid, []).append({**meeting, "with": other, "company": company, "makes": makes})
    return out


def _natural(column: pd.Series) -> pd.Series:
    """Tables sort as numbers."""
    return pd.to_numeric(column, errors="coerce").fillna(0) if column.name == "table" else column


def pdf(title: str, who: str, meetings: list[dict], lang: str, sample: bool) -> bytes:
    """One participant's agenda: a table of its meetings, text selectable."""
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    story = [Paragraph(title, styles["Title"]), Paragraph(who, styles["Heading2"])]
    if sample:
        story.append(Paragraph(t("event_sample_note", lang), styles["Normal"]))
    story.append(Spacer(1, 12))
    header = [t("agenda_time", lang), t("agenda_table", lang), t("agenda_with", lang), t("agenda_makes", lang)]
    cell = styles["BodyText"]
    rows = [
        [f"{m['day']} {m['start']}-{m['end']}", m["table"], Paragraph(f"{m['with']} · {m['company']}", cell)]
        + [Paragraph(m["makes"], cell)]
        for m in meetings
    ]
    table = Table([header, *rows], colWidths=[120, 40, 190, 190], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
            ]
        )
    )
    story.append(table)
    SimpleDocTemplate(buffer, pagesize=letter, title=f"{title}: {who}").build(story)
    return buffer.getvalue()


def ics(title: str, pid: str, meetings: list[dict], zone: str, lang: str, sample: bool = False) -> bytes:
    """One participant's meetings as calendar events in the event's time zone (a sample event's say so)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//valuechain//supplier event//")
    calendar.add("version", "2.0")
    tz = ZoneInfo(zone)
    for m in meetings:
        entry = icalendar.Event()
        entry.add("uid", f"{m['day']}-{m['start']}-{pid}-{m['with']}@valuechain")
        entry.add("summary", t("agenda_summary", lang, name=m["company"] or m["with"], event=title))
        entry.add("location", t("agenda_location", lang, table=m["table"]))
        note = f"{t('event_sample_note', lang)}\n" if sample else ""
        entry.add("description", f"{note}{m['with']} · {m['company']}: {m['makes']}")
        for key, hhmm in (("dtstart", m["start"]), ("dtend", m["end"])):
            entry.add(key, datetime.strptime(f"{m['day']} {hhmm}", "%Y-%m-%d %H:%M").replace(tzinfo=tz))
        entry.add("dtstamp", datetime(2000, 1, 1, tzinfo=UTC))  # fixed: the same schedule gives the same file
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def grid(folder: Path, lang: str) -> bytes:
    """The organiser's grid: a row per slot, a column per table, each cell the buyer and the supplier."""
    plan = table(folder / "schedule.csv", SCHEDULE)
    book = Workbook()
    sheet = book.active
    sheet.title = t("agenda_grid", lang)[:31]
    tables = sorted({int(x) for x in plan["table"]}) if len(plan) else []
    sheet.append([t("agenda_time", lang), *(t("agenda_table_n", lang, n=n) for n in tables)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for (day, start, end), rows in plan.groupby(["day", "start", "end"], sort=True):
        by_table = {int(r.table): f"{r.buyer_id} / {r.supplier_id}" for r in rows.itertuples(index=False)}
        sheet.append([f"{day} {start}-{end}", *(by_table.get(n, "") for n in tables)])
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def files(folder: Path, lang: str = "es", only: str | None = None) -> dict[str, bytes]:
    """Every file the agendas command writes: `<id>.pdf` and `<id>.ics` per participant, and `grid.xlsx` (`only`:
    one participant's two files)."""
    event = read(folder)
    known = people(folder, lang)
    out = {}
    for pid, meetings in sorted(agendas(folder, lang).items()):
        if only is not None and pid != only:
            continue
        who = f"{pid} · {known.get(pid, ('', ''))[0]}"
        out[f"{pid}.pdf"] = pdf(event.name, who, meetings, lang, event.source == "sample")
        out[f"{pid}.ics"] = ics(event.name, pid, meetings, event.timezone, lang, event.source == "sample")
    if only is None:
        out["grid.xlsx"] = grid(folder, lang)
    return out


def write(folder: Path, out: Path, lang: str = "es") -> int:
    """Write the agendas into `out`; return how many participants have one."""
    out.mkdir(parents=True, exist_ok=True)
    written = files(folder, lang)
    for name, data in written.items():
        (out / name).write_bytes(data)
    return sum(name.endswith(".pdf") for name in written)


def zipped(written: dict[str, bytes]) -> bytes:
    """The agendas in one ZIP file (the page's download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in written.items():
            z.writestr(name, data)
    return buffer.getvalue()
