"""Board decks: the current views as 16:9 PowerPoint slides (python-pptx) and the same pages as a PDF.

Both are laid out from one set of boxes (`layout`), so nothing overlaps and everything lies on the
page: title, the sample-data warning, the content (a chart, a table, text beside a chart), and the
source footnote. The PDF is drawn with reportlab, so its text stays selectable. Charts become PNG
images with plotly's own exporter (kaleido 1.x) and a local Chromium: Debian's /usr/bin/chromium
unless BROWSER_PATH says otherwise. Nothing is fetched from the internet.
"""

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Inches, Pt
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches: the 16:9 layout
MARGIN = 0.5
DEBIAN_CHROMIUM = "/usr/bin/chromium"
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
NAVY, GREY, RED, INK = "08306b", "555555", "b00020", "222222"
TABLE_ROWS = 14


class RenderError(RuntimeError):
    """A chart could not be turned into an image (no local Chromium)."""


@dataclass
class Slide:
    """One slide: a title, a chart or a table (or text, beside the chart when both), and the source footnote."""

    title: str
    footnote: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    text: str = ""


Box = tuple[float, float, float, float]  # left, top, width, height in inches


def figure_png(fig: go.Figure, width: int = 1500, height: int = 700) -> bytes:
    """A PNG of a plotly figure, rendered offline by kaleido with the local Chromium."""
    if "BROWSER_PATH" not in os.environ and Path(DEBIAN_CHROMIUM).exists():
        os.environ["BROWSER_PATH"] = DEBIAN_CHROMIUM
    try:
        return fig.to_image(format="png", width=width, height=height)
    except Exception as exc:  # kaleido raises several types when no browser can start
        raise RenderError(
            "Charts for the deck need a local Chromium: install Debian's package `chromium` "
            f"or set BROWSER_PATH ({type(exc).__name__}: {exc})"
        ) from exc


def layout(slide: Slide, banner: bool, image_size: tuple[int, int] | None) -> dict[str, Box]:
    """Where each part of a slide goes; the boxes never overlap and all lie on the slide."""
    width = SLIDE_W - 2 * MARGIN
    boxes: dict[str, Box] = {"title": (MARGIN, 0.3, width, 0.75)}
    top = 1.15
    if banner:
        boxes["banner"] = (MARGIN, top, width, 0.45)
        top += 0.55
    boxes["footnote"] = (MARGIN, SLIDE_H - 0.8, width, 0.6)
    bottom = SLIDE_H - 0.9
    left, area_w = MARGIN, width
    if slide.text and (slide.figure is not None or slide.table is not None):
        text_w = 4.4
        boxes["text"] = (MARGIN, top, text_w, bottom - top)
        left, area_w = MARGIN + text_w + 0.2, width - text_w - 0.2
    elif slide.text:
        boxes["text"] = (MARGIN, top, width, bottom - top)
    if slide.figure is not None and image_size:
        w_px, h_px = image_size
        scale = min(area_w / w_px, (bottom - top) / h_px)
        w, h = w_px * scale, h_px * scale
        boxes["figure"] = (left + (area_w - w) / 2, top, w, h)
    if slide.table is not None:
        rows = min(len(slide.table), TABLE_ROWS) + 1
        boxes["table"] = (left, top, area_w, min(0.38 * rows, bottom - top))
    return boxes


def title_layout(banner: bool) -> dict[str, Box]:
    """The title slide: title and subtitle centred, the warning below them."""
    width = SLIDE_W - 2 * MARGIN
    boxes = {"title": (MARGIN, 2.0, width, 1.3), "subtitle": (MARGIN, 3.5, width, 1.4)}
    if banner:
        boxes["banner"] = (MARGIN, 5.2, width, 0.6)
    return boxes


def column_widths(frame: pd.DataFrame, total: float) -> list[float]:
    """Column widths (inches) in proportion to the longest text in each column, none too narrow."""
    lengths = [max([len(str(c))] + [len(str(v)) for v in frame[c].head(TABLE_ROWS)]) for c in frame.columns]
    weights = [min(max(n, 6), 60) for n in lengths]
    return [total * w / sum(weights) for w in weights]


def _cell(value, width_in: float, points: float) -> str:
    """A cell's text cut to what fits on one line of the column (about 0.55 em per character)."""
    text = "" if value is None or value != value else str(value)
    fits = max(4, int(width_in * 72 / (points * 0.55)))
    return text if len(text) <= fits else text[: fits - 1] + "…"


# ---------------------------------------------------------------- PowerPoint


def _textbox(shapes, box: Box, text: str, size: int, color: str, bold: bool = False, center: bool = False):
    frame = shapes.add_textbox(*(Inches(v) for v in box)).text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.splitlines() or [""]):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        paragraph.font.color.rgb = RGBColor.from_string(color)
        if center:
            paragraph.alignment = PP_ALIGN.CENTER
    return frame


def _pptx_table(shapes, frame: pd.DataFrame, box: Box) -> None:
    shown = frame.head(TABLE_ROWS)
    widths = column_widths(shown, box[2])
    table = shapes.add_table(len(shown) + 1, len(shown.columns), *(Inches(v) for v in box)).table
    for c, width in enumerate(widths):
        table.columns[c].width = Inches(width)
    for r in range(len(shown) + 1):
        table.rows[r].height = Inches(box[3] / (len(shown) + 1))
    for c, name in enumerate(shown.columns):
        table.cell(0, c).text = _cell(name, widths[c], 12)
    for r, row in enumerate(shown.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = _cell(value, widths[c], 11)
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(11)


def _pptx(title: str, subtitle: str, slides: list[Slide], images: list[bytes | None], banner: str) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
    blank = prs.slide_layouts[6]
    first = prs.slides.add_slide(blank)
    boxes = title_layout(bool(banner))
    _textbox(first.shapes, boxes["title"], title, 40, NAVY, bold=True, center=True)
    _textbox(first.shapes, boxes["subtitle"], subtitle, 20, INK, center=True)
    if banner:
        _textbox(first.shapes, boxes["banner"], banner, 18, RED, bold=True, center=True)
    for slide, image in zip(slides, images, strict=True):
        page = prs.slides.add_slide(blank)
        boxes = layout(slide, bool(banner), Image.open(io.BytesIO(image)).size if image else None)
        _textbox(page.shapes, boxes["title"], slide.title, 30, NAVY, bold=True)
        if banner:
            _textbox(page.shapes, boxes["banner"], banner, 16, RED, bold=True)
        if "figure" in boxes:
            left, top, width, height = boxes["figure"]
            page.shapes.add_picture(io.BytesIO(image), Inches(left), Inches(top), Inches(width), Inches(height))
        if "text" in boxes:
            _textbox(page.shapes, boxes["text"], slide.text, 16, INK)
        if "table" in boxes:
            _pptx_table(page.shapes, slide.table, boxes["table"])
        _textbox(page.shapes, boxes["footnote"], slide.footnote, 10, GREY)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- PDF


def _font() -> str:
    """A TrueType font with accents and symbols when the system has one, else reportlab's Helvetica."""
    for path in FONT_FILES:
        if Path(path).exists():
            if "DeckSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DeckSans", path))
            return "DeckSans"
    return "Helvetica"


def _pdf_text(pdf: canvas.Canvas, box: Box, text: str, size: float, color: str, font: str, center: bool = False):
    """Wrapped, selectable text inside a box (inches from the top-left), cut at the box's bottom."""
    left, top, width, height = (v * 72 for v in box)
    pdf.setFont(font, size)
    pdf.setFillColor(f"#{color}")
    y = SLIDE_H * 72 - top - size
    for paragraph in text.splitlines() or [""]:
        for line in simpleSplit(paragraph, font, size, width) or [""]:
            if y < SLIDE_H * 72 - top - height:
                return
            if center:
                pdf.drawCentredString(left + width / 2, y, line)
            else:
                pdf.drawString(left, y, line)
            y -= size * 1.25


def _pdf(title: str, subtitle: str, slides: list[Slide], images: list[bytes | None], banner: str) -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(SLIDE_W * 72, SLIDE_H * 72))
    font = _font()
    boxes = title_layout(bool(banner))
    _pdf_text(pdf, boxes["title"], title, 34, NAVY, font, center=True)
    _pdf_text(pdf, boxes["subtitle"], subtitle, 18, INK, font, center=True)
    if banner:
        _pdf_text(pdf, boxes["banner"], banner, 16, RED, font, center=True)
    for slide, image in zip(slides, images, strict=True):
        pdf.showPage()
        boxes = layout(slide, bool(banner), Image.open(io.BytesIO(image)).size if image else None)
        _pdf_text(pdf, boxes["title"], slide.title, 26, NAVY, font)
        if banner:
            _pdf_text(pdf, boxes["banner"], banner, 14, RED, font)
        if "figure" in boxes:
            left, top, width, height = (v * 72 for v in boxes["figure"])
            pdf.drawImage(ImageReader(io.BytesIO(image)), left, SLIDE_H * 72 - top - height, width, height)
        if "text" in boxes:
            _pdf_text(pdf, boxes["text"], slide.text, 14, INK, font)
        if "table" in boxes:
            left, top, width, height = boxes["table"]
            shown = slide.table.head(TABLE_ROWS)
            widths = column_widths(shown, width)
            row_h = height / (len(shown) + 1)
            rows = [list(shown.columns), *shown.itertuples(index=False)]
            for r, row in enumerate(rows):
                x = left
                for c, value in enumerate(row):
                    cell = (x, top + r * row_h, widths[c] - 0.05, row_h)
                    _pdf_text(pdf, cell, _cell(value, widths[c], 10), 10, NAVY if r == 0 else INK, font)
                    x += widths[c]
        _pdf_text(pdf, boxes["footnote"], slide.footnote, 9, GREY, font)
    pdf.save()
    return out.getvalue()


def build(title: str, subtitle: str, slides: list[Slide], banner: str = "") -> tuple[bytes, bytes]:
    """(PowerPoint bytes, PDF bytes): a title slide, then `slides`; `banner` (the sample-data warning) on every page."""
    images = [figure_png(s.figure) if s.figure is not None else None for s in slides]
    return _pptx(title, subtitle, slides, images, banner), _pdf(title, subtitle, slides, images, banner)
