"""Build src/magpie/web/static/world.json: the country outlines of the web UI's map (no tile server).

Source: Natural Earth 1:110m admin-0 countries (public domain, https://www.naturalearthdata.com/about/terms-of-use/),
as shipped in the geopandas 0.14.4 wheel (BSD-3; geopandas/datasets/naturalearth_lowres, removed in geopandas 1.0):

    pip download --no-deps geopandas==0.14.4 -d /tmp/ne
    python3 tools/build_world_outline.py /tmp/ne/geopandas-0.14.4-py3-none-any.whl

The shapefile is read here with the standard library (polygon records and the dBASE table), coordinates are
rounded to 0.1 degree, points closer than 0.25 degree to the last one kept are dropped, and each country is
written as one SVG path in an equirectangular projection (x = longitude, y = -latitude). Antarctica is left out.
"""

from __future__ import annotations

import json
import struct
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "magpie" / "web" / "static" / "world.json"
MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
STEP = 0.25  # degrees: the least distance between two points kept


def read_dbf(data: bytes) -> list[dict[str, str]]:
    records, header_size, record_size = struct.unpack("<xxxxIHH", data[:12])
    fields = []
    offset = 32
    while data[offset] != 0x0D:
        name = data[offset : offset + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[offset + 16]))
        offset += 32
    rows = []
    for index in range(records):
        start = header_size + index * record_size + 1  # the deletion flag
        row = {}
        for name, size in fields:
            row[name] = data[start : start + size].decode("latin-1").strip()  # the .cpg says ISO-8859-1
            start += size
        rows.append(row)
    return rows


def read_shp(data: bytes) -> list[list[list[tuple[float, float]]]]:
    shapes = []
    offset = 100
    while offset < len(data):
        _, length = struct.unpack(">ii", data[offset : offset + 8])
        content = data[offset + 8 : offset + 8 + 2 * length]
        offset += 8 + 2 * length
        kind = struct.unpack("<i", content[:4])[0]
        if kind != 5:  # polygon
            shapes.append([])
            continue
        parts_count, points_count = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{parts_count}i", content[44 : 44 + 4 * parts_count]))
        base = 44 + 4 * parts_count
        points = [struct.unpack("<dd", content[base + 16 * i : base + 16 * i + 16]) for i in range(points_count)]
        rings = [points[a:b] for a, b in zip(parts, [*parts[1:], points_count])]
        shapes.append(rings)
    return shapes


def ring_path(ring: list[tuple[float, float]]) -> str:
    kept: list[tuple[float, float]] = []
    for x, y in ring:
        if not kept or abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= STEP:
            kept.append((x, y))
    if len(kept) < 4:
        return ""
    return "M" + "L".join(f"{x:.1f} {-y:.1f}".replace(".0 ", " ").replace("-0 ", "0 ") for x, y in kept) + "Z"


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shp = archive.read(MEMBER + ".shp")
        dbf = archive.read(MEMBER + ".dbf")
    rows, shapes = read_dbf(dbf), read_shp(shp)
    assert len(rows) == len(shapes), (len(rows), len(shapes))
    countries: dict[str, str] = {}
    for row, rings in zip(rows, shapes):
        code = row.get("iso_a3", "")
        if code == "ATA" or not rings:
            continue
        if code in ("", "-99"):
            code = "-" + row.get("name", "?")  # Kosovo, Northern Cyprus, Somaliland: no ISO code
        path = "".join(ring_path(r) for r in rings)
        if path:
            countries[code] = countries.get(code, "") + path
    document = {
        "source": "Natural Earth 1:110m admin-0 countries (public domain), via the geopandas 0.14.4 wheel's "
                  "naturalearth_lowres; simplified by tools/build_world_outline.py",
        "projection": "equirectangular: x = longitude, y = -latitude (degrees)",
        "countries": dict(sorted(countries.items())),
    }
    OUT.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(countries)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
