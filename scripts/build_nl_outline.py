"""Extract the outline of the European Netherlands from world-atlas (Natural Earth, public
domain; world-atlas is ISC) into core/geodata/nl_outline.json for the self-hosted Stagemarkt map.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_nl_outline.py package/countries-10m.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parent.parent / "src/stagekans/core/geodata/nl_outline.json"
# Only the European part (the Caribbean islands are drawn elsewhere on a national map).
LON_RANGE, LAT_RANGE = (3.0, 7.5), (50.5, 54.0)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def main(source: str) -> None:
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    (geometry,) = [
        g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == "528"
    ]
    rings = []
    for polygon in geometry["arcs"]:
        outer = ring(arcs, polygon[0])
        if all(LON_RANGE[0] <= x <= LON_RANGE[1] and LAT_RANGE[0] <= y <= LAT_RANGE[1] for x, y in outer):
            rings.append([[round(x, 3), round(y, 3)] for x, y in outer])
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(
        json.dumps({"source": "Natural Earth 1:10m via world-atlas 2.0.2", "rings": rings})
    )
    print(f"wrote {len(rings)} rings, {sum(map(len, rings))} points to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])
