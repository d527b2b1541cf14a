#!/usr/bin/env python3
"""Build ``src/magpie/lexicon/data/cameo.tsv`` from the CAMEO reference tables.

Developer tool only: the magpie package never imports this module, and the reference
files it reads (``shared/reference/...``) need not exist at run time.  The generated
TSV is committed to the repository.

Inputs (all under ``--reference``, default ``/work/shared/reference`` or ``./shared/reference``):

* ``cameo-codes.csv`` -- every CAMEO event code with its name (and a Goldstein column);
* ``CAMEO.goldsteinscale.txt`` -- GDELT's Goldstein table (preferred source of scores);
* ``plover/CAMEO2PLOVER-2021.txt`` -- the CAMEO -> PLOVER map.  Each mapping line reads
  ``CODE: EVENT, MODE, CONTEXT # comment`` (e.g. ``041: CONSULT, phone,   # Discuss by telephone``,
  ``030: AGREE,  , diplomatic # ...``): the second field is the PLOVER *mode*, the third the
  PLOVER *context*, which cameo.tsv does not carry.

Rules:

* Goldstein: GDELT table, else the csv's ``goldstein`` column, else the parent code's value.
* QuadClass: roots 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4.
* PLOVER event/mode: the code's own mapping line; a code without one inherits its parent's
  (``0253`` -> ``025`` -> ``02``).  PLOVER drops CAMEO 01 (statements) and 02 (appeals), so
  those rows are left empty.  Where the map gives a code twice (root ``08`` as CONCEDE and as
  RETREAT, ``175`` twice) the first line wins.

Usage::

    python tools/build_cameo_table.py [--reference DIR] [--out PATH] [--check]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "src" / "magpie" / "lexicon" / "data" / "cameo.tsv"
REFERENCE_CANDIDATES = (
    REPO / "shared" / "reference",
    Path("/work/shared/reference"),
)

HEADER = ("code", "name", "goldstein", "quad_class", "plover_event", "plover_mode")
PLOVER_LINE = re.compile(r"^\s*(\d{2,4})\s*:\s*(.*)$")


def find_reference(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    for cand in REFERENCE_CANDIDATES:
        if (cand / "cameo-codes.csv").exists():
            return cand
    sys.exit("build_cameo_table: reference directory not found; pass --reference DIR")


def parent(code: str) -> str | None:
    """``0253`` -> ``025`` -> ``02`` -> None."""
    if len(code) == 4:
        return code[:3]
    if len(code) == 3:
        return code[:2]
    return None


def quad_class(code: str) -> int:
    root = int(code[:2])
    if 1 <= root <= 5:
        return 1
    if 6 <= root <= 8:
        return 2
    if 9 <= root <= 13:
        return 3
    if 14 <= root <= 20:
        return 4
    raise ValueError(f"not a CAMEO code: {code!r}")


def read_codes(path: Path) -> list[tuple[str, str, str]]:
    """(code, name, csv goldstein) in codebook order."""
    rows = []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["code"].strip()
            name = " ".join(row["name"].split())
            if name and name[0].islower():
                name = name[0].upper() + name[1:]
            rows.append((code, name, row.get("goldstein", "").strip()))
    return rows


def read_goldstein(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.strip().split("\t")
            if len(parts) < 2 or not parts[0].isdigit():
                continue  # header or blank
            out[parts[0]] = float(parts[1])
    return out


def read_plover(path: Path) -> dict[str, tuple[str, str]]:
    """code -> (event, mode); first occurrence wins."""
    out: dict[str, tuple[str, str]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.lstrip().startswith("#"):
                continue
            m = PLOVER_LINE.match(line)
            if not m:
                continue
            code, rest = m.group(1), m.group(2).split("#", 1)[0]
            fields = [f.strip() for f in rest.split(",")]
            event = fields[0] if fields else ""
            mode = fields[1] if len(fields) > 1 else ""
            if not event:
                continue
            out.setdefault(code, (event, mode))
    return out


def fmt_score(x: float) -> str:
    return f"{x:.1f}" if float(x).is_integer() else repr(round(x, 2))


def build(ref: Path) -> list[tuple[str, ...]]:
    codes = read_codes(ref / "cameo-codes.csv")
    gold = read_goldstein(ref / "CAMEO.goldsteinscale.txt")
    plover = read_plover(ref / "plover" / "CAMEO2PLOVER-2021.txt")

    csv_gold = {c: g for c, _, g in codes}
    known = {c for c, _, _ in codes}

    def goldstein(code: str) -> float:
        c: str | None = code
        while c:
            if c in gold:
                return gold[c]
            g = csv_gold.get(c, "")
            if g and g.upper() != "NA":
                return float(g)
            c = parent(c)
        raise ValueError(f"no Goldstein score for {code}")

    def plover_of(code: str) -> tuple[str, str]:
        c: str | None = code
        while c:
            if c in plover:
                return plover[c]
            c = parent(c)
        return ("", "")

    out = []
    for code, name, _ in codes:
        if not re.fullmatch(r"\d{2,4}", code):
            raise ValueError(f"bad code {code!r}")
        ev, mode = plover_of(code)
        out.append((code, name, fmt_score(goldstein(code)), str(quad_class(code)), ev, mode))
    missing_parents = [c for c in known if parent(c) and parent(c) not in known]
    if missing_parents:
        raise ValueError(f"codes without a parent row: {sorted(missing_parents)}")
    return out


def render(rows: list[tuple[str, ...]]) -> str:
    lines = [
        "# CAMEO event codes: name, Goldstein score, QuadClass, PLOVER event type and mode.",
        "# GENERATED by tools/build_cameo_table.py -- do not edit by hand.",
        "# Sources: CAMEO codebook (andybega/icews, MIT), GDELT Goldstein table,",
        "# PLOVER CAMEO2PLOVER-2021 map (openeventdata/PLOVER, CC BY-SA 4.0).",
        "# PLOVER drops CAMEO 01 and 02: their plover columns are empty.",
        "\t".join(HEADER),
    ]
    lines += ["\t".join(r) for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", help="directory holding cameo-codes.csv etc.")
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--check", action="store_true", help="fail if the committed file is stale")
    args = ap.parse_args(argv)

    rows = build(find_reference(args.reference))
    text = render(rows)
    out = Path(args.out)
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is out of date; rerun tools/build_cameo_table.py", file=sys.stderr)
            return 1
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({len(rows)} codes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
