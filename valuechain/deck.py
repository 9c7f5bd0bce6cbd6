"""Board decks: the current views as PowerPoint slides (python-pptx) and the same pages as a PDF.

Charts become PNG images with plotly's own exporter (kaleido 1.x), which drives a local Chromium:
Debian's /usr/bin/chromium unless BROWSER_PATH says otherwise. Nothing is fetched from the internet.
"""

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation
from pptx.util import Emu, Inches, Pt

WIDTH, HEIGHT = 1600, 900  # pixels of a 16:9 page
DEBIAN_CHROMIUM = "/usr/bin/chromium"
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


class RenderError(RuntimeError):
    """A chart could not be turned into an image (no local Chromium)."""


@dataclass
class Slide:
    """One slide: a title, a chart or a table (or only text), and the source footnote."""

    title: str
    footnote: str
    figure: go.Figure | None = None
    table: pd.DataFrame | None = None
    text: str = ""


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


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def _page(slide: Slide, image: bytes | None) -> Image.Image:
    """One PDF page: title, chart or table, footnote."""
    page = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 40), slide.title, fill="#08306b", font=_font(44))
    if image:
        chart = Image.open(io.BytesIO(image)).convert("RGB")
        chart.thumbnail((WIDTH - 120, HEIGHT - 200))
        page.paste(chart, ((WIDTH - chart.width) // 2, 120))
    y = 130
    if slide.text:
        for line in slide.text.splitlines():
            draw.text((60, y), line, fill="#222222", font=_font(30))
            y += 46
    if slide.table is not None:
        cols = list(slide.table.columns)
        rows = [cols, *slide.table.astype(str).values.tolist()]
        col_w = (WIDTH - 120) // len(cols)
        for r, row in enumerate(rows[:16]):
            for c, cell in enumerate(row):
                draw.text(
                    (60 + c * col_w, y + r * 40), str(cell)[: col_w // 13], fill="#222222", font=_font(24 if r else 26)
                )
    draw.text((60, HEIGHT - 60), slide.footnote, fill="#555555", font=_font(20))
    return page


def _pptx_table(shapes, frame: pd.DataFrame, top: Emu) -> None:
    rows, cols = min(len(frame), 15) + 1, len(frame.columns)
    table = shapes.add_table(rows, cols, Inches(0.5), top, Inches(12.3), Inches(0.4) * rows).table
    for c, name in enumerate(frame.columns):
        table.cell(0, c).text = str(name)
    for r, row in enumerate(frame.head(15).astype(str).itertuples(index=False), start=1):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(12)


def build(title: str, subtitle: str, slides: list[Slide]) -> tuple[bytes, bytes]:
    """(PowerPoint bytes, PDF bytes) for a title slide followed by `slides`."""
    images = [figure_png(s.figure) if s.figure is not None else None for s in slides]
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    first = prs.slides.add_slide(prs.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = subtitle
    for slide, image in zip(slides, images, strict=True):
        page = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        page.shapes.title.text = slide.title
        page.shapes.title.text_frame.paragraphs[0].font.size = Pt(32)
        if image:
            page.shapes.add_picture(io.BytesIO(image), Inches(0.6), Inches(1.3), width=Inches(12.1))
        if slide.text:
            box = page.shapes.add_textbox(Inches(0.6), Inches(1.4), Inches(12), Inches(1.5)).text_frame
            box.text = slide.text
            for paragraph in box.paragraphs:
                paragraph.font.size = Pt(20)
        if slide.table is not None:
            _pptx_table(page.shapes, slide.table, Inches(2.9) if slide.text else Inches(1.5))
        note = page.shapes.add_textbox(Inches(0.5), Inches(6.9), Inches(12.3), Inches(0.4)).text_frame
        note.text = slide.footnote
        note.paragraphs[0].font.size = Pt(11)
    pptx = io.BytesIO()
    prs.save(pptx)

    cover = Slide(title, subtitle, text=subtitle)
    pages = [_page(cover, None)] + [_page(s, img) for s, img in zip(slides, images, strict=True)]
    pdf = io.BytesIO()
    pages[0].save(pdf, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return pptx.getvalue(), pdf.getvalue()
