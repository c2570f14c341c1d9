"""A briefing as PDF, drawn with reportlab (pure Python, from PyPI).

reportlab needs no system library. Chinese text needs a CJK font: a TrueType
font found on the machine (settings.BRIEFING_PDF_FONT, or the usual Debian
paths) is embedded so that every reader shows it; where there is none, the
built-in Adobe CID font STSong-Light is used, which PDF readers supply
themselves, so the PDF still renders without any font file on the server.
"""

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CID_FONT = "STSong-Light"


@functools.cache
def font_name() -> str:
    """Register the CJK font once per process and return its name."""
    configured = getattr(settings, "BRIEFING_PDF_FONT", "")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            try:
                pdfmetrics.registerFont(TTFont("BriefingCJK", candidate, subfontIndex=0))
            except Exception:  # noqa: BLE001 - a font reportlab cannot read: try the next one
                continue
            return "BriefingCJK"
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def _paragraph(text, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape("—" if text is None else str(text)), style)


def briefing_pdf(figures: dict, *, cover: list[tuple[str, str]]) -> bytes:
    """Every section of the figures as a heading, its table and its note, after a cover block."""
    font = font_name()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10)
    note = ParagraphStyle("note", fontName=font, fontSize=7, leading=9, textColor=colors.grey)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{figures['region']['name']} {figures['as_of']}",
    )
    story = [
        _paragraph(
            _("Briefing: %(region)s as of %(date)s") % {"region": figures["region"]["name"], "date": figures["as_of"]},
            title,
        )
    ]
    story.append(
        Table(
            [[_paragraph(k, cell), _paragraph(v, cell)] for k, v in cover], colWidths=[40 * mm, 120 * mm], hAlign="LEFT"
        )
    )
    for section in figures["sections"]:
        story.append(_paragraph(section["title"], heading))
        if not section["rows"]:
            story.append(_paragraph(_("Nothing to show for this region and date."), note))
            continue
        data = [[_paragraph(column, cell) for column in section["columns"]]]
        data += [[_paragraph(value, cell) for value in row] for row in section["rows"]]
        width = document.width / len(section["columns"])
        table = Table(data, colWidths=[width] * len(section["columns"]), repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b8c4d6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
        if section.get("note"):
            story.append(Spacer(1, 2 * mm))
            story.append(_paragraph(section["note"], note))
    document.build(story)
    return buffer.getvalue()
