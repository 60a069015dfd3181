"""Charts and maps drawn on the server as SVG, each with a text alternative.

* ``{% bar_chart rows caption=... value_label=... unit=... %}`` — the one chart component of
  Stagekans: a horizontal bar chart with its data table below it (the table is the accessible
  alternative and the source of truth; suppressed values are shown as "afgeschermd").
* ``{% nl_map points origin=... %}`` — the European Netherlands (Natural Earth outline,
  vendored in core/geodata) with one dot per point; no tile service, nothing loaded from
  elsewhere. The list next to the map holds the same results.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()

_counter = itertools.count(1)

CHART_WIDTH = 640
BAR_AREA = 520  # room for the bar; the value is written after it
ROW_HEIGHT = 52  # label line + bar


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: float | int | Decimal | None
    display: str
    y_label: int
    y_bar: int
    width: float


def _as_pairs(rows: Iterable[Any], value_key: str) -> list[tuple[str, Any]]:
    pairs = []
    for row in rows:
        if isinstance(row, dict):
            pairs.append((str(row["label"]), row.get(value_key)))
        elif isinstance(row, Sequence) and not isinstance(row, str):
            pairs.append((str(row[0]), row[1]))
        else:
            pairs.append((str(row.label), getattr(row, value_key)))
    return pairs


@register.inclusion_tag("includes/chart.html")
def bar_chart(
    rows: Iterable[Any],
    *,
    caption: str,
    label_heading: str,
    value_label: str,
    unit: str = "",
    maximum: float | None = None,
    value_key: str = "value",
    with_table: bool = True,
) -> dict[str, Any]:
    """with_table=False only where the page shows a table with the same figures right below."""
    pairs = _as_pairs(rows, value_key)
    values = [float(v) for _, v in pairs if v is not None]
    top = maximum or (max(values) if values else 0) or 1
    chart_rows = []
    for index, (label, value) in enumerate(pairs):
        width = 0.0 if value is None else max(0.0, float(value)) / top * BAR_AREA
        chart_rows.append(
            ChartRow(
                label=label,
                value=value,
                display="" if value is None else f"{number_format(value)}{unit}",
                y_label=index * ROW_HEIGHT + 18,
                y_bar=index * ROW_HEIGHT + 26,
                width=round(width, 1),
            )
        )
    number = next(_counter)
    return {
        "rows": chart_rows,
        "caption": caption,
        "label_heading": label_heading,
        "value_label": value_label,
        "with_table": with_table,
        "chart_id": f"grafiek-{number}",
        "width": CHART_WIDTH,
        "height": max(ROW_HEIGHT, ROW_HEIGHT * len(chart_rows) + 8),
    }


# --- map ------------------------------------------------------------------------------------

MAP_WIDTH = 400
_LON0, _LON1, _LAT0, _LAT1 = 3.25, 7.3, 50.7, 53.6
_KX = math.cos(math.radians(52.2))


@cache
def _outline() -> list[list[list[float]]]:
    data = json.loads(
        (Path(__file__).resolve().parent.parent / "geodata/nl_outline.json").read_text()
    )
    return data["rings"]


def _scale() -> float:
    return MAP_WIDTH / ((_LON1 - _LON0) * _KX)


def _xy(lat: float, lon: float) -> tuple[float, float]:
    s = _scale()
    return round((lon - _LON0) * _KX * s, 1), round((_LAT1 - lat) * s, 1)


@cache
def _outline_paths() -> tuple[str, ...]:
    paths = []
    for ring in _outline():
        points = [_xy(lat, lon) for lon, lat in ring]
        paths.append("M" + "L".join(f"{x},{y}" for x, y in points) + "Z")
    return tuple(paths)


@register.inclusion_tag("includes/nl_map.html")
def nl_map(points: Iterable[Any], *, description: str, origin: Any = None) -> dict[str, Any]:
    """points: objects with latitude, longitude and a label (or title); origin: (lat, lon)."""
    dots = []
    for point in points:
        lat, lon = getattr(point, "latitude", None), getattr(point, "longitude", None)
        if lat is None or lon is None:
            continue
        x, y = _xy(float(lat), float(lon))
        label = getattr(point, "map_label", None) or getattr(point, "title", "")
        dots.append({"x": x, "y": y, "label": label})
    origin_xy = _xy(float(origin[0]), float(origin[1])) if origin else None
    return {
        "paths": _outline_paths(),
        "dots": dots,
        "origin": origin_xy,
        "width": MAP_WIDTH,
        "height": round((_LAT1 - _LAT0) * _scale()),
        "description": description,
        "map_id": f"kaart-{next(_counter)}",
    }
