"""The PDF in "Your data to take away": the easy-read blocks (views/data_pack.py) drawn on the
server with fpdf2, which is pure Python. Big text, a picture beside each part, always on the
same side. Urdu is set in Noto Naskh Arabic, its letters joined by HarfBuzz (the uharfbuzz
wheel carries it: no system library), right to left. The fonts and pictures are the asset
build's (static/dist): see scripts/build-assets.mjs."""

from __future__ import annotations

from flask import current_app
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..config import ROOT
from .data_pack import Block

BODY_SIZE = 14  # points: about 19 px, the easy-read view's text size
HEADING_SIZES = {1: 24, 2: 19, 3: 15}
LINE = 7.5  # mm between lines of body text
PICTURE = 16  # mm, the picture beside each part
GAP = 5  # mm between the picture and the words
MARGIN = 20  # mm
# Each family: the regular and bold faces the build made (static/dist/manifest.json).
FAMILIES = {
    "latin": ("regular", "bold"),
    "latin-ext": ("regular-ext", "bold-ext"),
    "arabic": ("arabic", "arabic-bold"),
}


class _Pack(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.main_family, size=10)
        self.cell(0, 10, str(self.page_no()), align="C")

    main_family = "latin"


def _static(url: str) -> str:
    return str(ROOT / "static" / url)


def render(title: str, blocks: list[Block], *, lang: str, rtl: bool) -> bytes:
    manifest = current_app.extensions["asset_manifest"]
    pdf = _Pack(format="A4")
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("My Key Worker")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    for family, (regular, bold) in FAMILIES.items():
        pdf.add_font(family, "", _static(manifest["pdf_fonts"][regular]))
        pdf.add_font(family, "B", _static(manifest["pdf_fonts"][bold]))
    pdf.main_family = "arabic" if rtl else "latin"
    # A Latin name in Urdu text, or Urdu words in an English pack, still show.
    pdf.set_fallback_fonts([f for f in FAMILIES if f != pdf.main_family])
    pdf.set_text_shaping(True)
    align = "R" if rtl else "L"
    pdf.add_page()
    _text(pdf, title, HEADING_SIZES[1], bold=True, align=align)
    pdf.ln(4)
    for block in blocks:
        _block(pdf, block, manifest["pictures"], align=align, rtl=rtl)
    return bytes(pdf.output())


def _text(pdf: _Pack, words: str, size: int, *, bold: bool = False, align: str) -> None:
    pdf.set_font(pdf.main_family, "B" if bold else "", size)
    height = LINE if size <= BODY_SIZE else size * 0.5
    pdf.multi_cell(0, height, words, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _block(pdf: _Pack, block: Block, pictures: dict[str, str], *, align: str, rtl: bool) -> None:
    """A part of the pack: its picture beside the heading and lines, which keep clear of it."""
    if pdf.get_y() + PICTURE + 2 * LINE > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(3 if block.level == 2 else 1)
    indent = PICTURE + GAP
    if block.picture:
        x = pdf.w - MARGIN - PICTURE if rtl else MARGIN
        pdf.image(_static(pictures[block.picture]), x=x, y=pdf.get_y(), w=PICTURE, h=PICTURE)
    # Every line of the part keeps clear of the picture's column, as easy-read chunks do.
    if rtl:
        pdf.set_right_margin(MARGIN + indent)
    else:
        pdf.set_left_margin(MARGIN + indent)
    pdf.set_x(pdf.l_margin)
    top, page = pdf.get_y(), pdf.page_no()
    _text(pdf, block.heading, HEADING_SIZES[block.level], bold=True, align=align)
    for line in block.lines:
        _text(pdf, line, BODY_SIZE, align=align)
    if block.picture and pdf.page_no() == page and pdf.get_y() < top + PICTURE:
        pdf.set_y(top + PICTURE)
    pdf.set_left_margin(MARGIN)
    pdf.set_right_margin(MARGIN)
    pdf.set_x(MARGIN)
