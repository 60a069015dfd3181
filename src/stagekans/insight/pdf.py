"""The pilot report as PDF (reportlab, already pinned in pyproject)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HIDDEN = "—"


def _table(data: list[list[str]]) -> Table:
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def pilot_report_pdf(context: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    year = context["year"]
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Pilotrapport stagematching"),
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
    )
    story: list[Any] = [
        Paragraph(_("Pilotrapport stagematching"), styles["Title"]),
        Paragraph(
            _(
                "Schooljaar %(a)s/%(b)s. Strategieën naast elkaar, met 95%%-intervallen. "
                "Aantallen van 1 tot %(k)s zijn afgeschermd (—)."
            )
            % {"a": year, "b": (year or 0) + 1, "k": context["k"]},
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    for measure in context["measures"]:
        story.append(Paragraph(str(measure["label"]), styles["Heading2"]))
        t = measure["table"]
        data = [[_("Strategie"), *t["groups"]]]
        for row in t["rows"]:
            line = [row["label"]]
            for cell in row["cells"]:
                if not cell["shown"]:
                    line.append(HIDDEN)
                else:
                    text = f"{cell['display'] or ''} (n={cell['n']})"
                    if cell["ci"]:
                        text += f"\n{cell['ci']}"
                    line.append(text)
            data.append(line)
        story += [_table(data), Spacer(1, 0.3 * cm)]
    survey = context["survey"]
    story.append(
        Paragraph(_("Ervaringen (gemiddelde 1–5: eerlijk / past / tevreden)"), styles["Heading2"])
    )
    data = [[_("Strategie"), *survey["parties"]]]
    for row in survey["rows"]:
        line = [row["strategy"]]
        for cell in row["cells"]:
            if cell["n"] is None:
                line.append(HIDDEN)
            elif cell["n"] == 0:
                line.append("0")
            else:
                line.append(f"{cell['fair']} / {cell['fit']} / {cell['process']} (n={cell['n']})")
        data.append(line)
    story.append(_table(data))
    doc.build(story)
    return buffer.getvalue()
