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
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

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
    headline = ParagraphStyle("headline", fontName=font, fontSize=10.5, leading=15, leftIndent=4 * mm, spaceAfter=2)
    if figures.get("headlines"):
        story.append(_paragraph(_("Headlines"), heading))
        story += [_paragraph(f"• {sentence}", headline) for sentence in figures["headlines"]]
    story.append(PageBreak())
    story += _charts(figures, font, heading, document.width)
    story.append(PageBreak())
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


# One colour language with the dashboard: red is behind or missed, amber at risk, green met, blue on track.
STATUS_FILL = {
    "achieved": "#198754",
    "on_track": "#0d6efd",
    "at_risk": "#ffc107",
    "behind": "#dc3545",
    "not_achieved": "#dc3545",
}
NEUTRAL_FILL = "#adb5bd"
ROW_HEIGHT = 13
ROWS_PER_DRAWING = 30  # a drawing must fit on a landscape A4 page
LABEL_WIDTH = 95 * mm


def bar_drawing(rows: list[tuple[str, float, str, str]], *, width: float, font: str, scale_max: float) -> Drawing:
    """Horizontal bars, one row each: label on the left, the bar, its value at the end. Labels never overlap:
    each has its own row, and a label longer than its column is cut with an ellipsis."""
    height = ROW_HEIGHT * len(rows) + 4
    drawing = Drawing(width, height)
    bar_width = width - LABEL_WIDTH - 30 * mm
    for index, (label, value, text, fill) in enumerate(rows):
        y = height - ROW_HEIGHT * (index + 1)
        limit = int(LABEL_WIDTH / 8)
        shown = label if len(label) <= limit else label[: limit - 1] + "…"
        drawing.add(String(0, y + 3, shown, fontName=font, fontSize=8))
        drawing.add(
            Rect(LABEL_WIDTH, y + 2, bar_width, ROW_HEIGHT - 4, fillColor=colors.HexColor("#eef1f5"), strokeColor=None)
        )
        length = bar_width * min(max(value, 0) / scale_max, 1) if scale_max else 0
        drawing.add(Rect(LABEL_WIDTH, y + 2, length, ROW_HEIGHT - 4, fillColor=colors.HexColor(fill), strokeColor=None))
        drawing.add(String(LABEL_WIDTH + bar_width + 2 * mm, y + 3, text, fontName=font, fontSize=8))
    return drawing


def _charts(figures: dict, font: str, heading: ParagraphStyle, width: float) -> list:
    """The dashboard's charts for paper: targets by % of target coloured by status, and the regions below."""
    story = []
    targets = next((item for item in figures["sections"] if item["key"] == "targets"), None)
    cards = [card for card in (targets or {}).get("cards", []) if card.get("percent") is not None]
    if cards:
        story.append(_paragraph(_("Targets: % of target"), heading))
        rows = [
            (
                f"{card.get('region', '')} {card.get('title') or card['label']}·{card.get('year', '')}·{card.get('basis_text') or card.get('basis_label', '')}",
                float(card["percent"]),
                f"{card['percent']}% {card.get('status_label', '')}",
                STATUS_FILL.get(card["status"], NEUTRAL_FILL),
            )
            for card in cards
        ]
        story += [
            bar_drawing(rows[start : start + ROWS_PER_DRAWING], width=width, font=font, scale_max=100)
            for start in range(0, len(rows), ROWS_PER_DRAWING)
        ]
    regions = next((item for item in figures["sections"] if item["key"] == "regions"), None)
    if regions and regions["rows"]:
        story.append(_paragraph(regions["title"] + " · " + regions["columns"][2], heading))
        most = max((row[2] or 0) for row in regions["rows"]) or 1
        rows = [(str(row[0]), float(row[2] or 0), str(row[2] or 0), "#0d6efd") for row in regions["rows"]]
        story += [
            bar_drawing(rows[start : start + ROWS_PER_DRAWING], width=width, font=font, scale_max=most)
            for start in range(0, len(rows), ROWS_PER_DRAWING)
        ]
    return story
