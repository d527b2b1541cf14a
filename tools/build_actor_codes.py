"""Dev tool: write src/magpie/lexicon/data/actor_codes.tsv from GDELT's CAMEO actor lookups.

Reads ../shared/reference/CAMEO.type.txt and CAMEO.knowngroup.txt (facts: code and label).
The package never imports this script; the generated TSV is what ships.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

TRANSNATIONAL = {"IGO", "NGO", "IMG", "MNC", "INT", "NGM", "UIS"}


def main(reference: Path, out: Path) -> None:
    rows: dict[str, tuple[str, str]] = {}
    for name, kind in (("CAMEO.type.txt", "role"), ("CAMEO.knowngroup.txt", "group")):
        with open(reference / name, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                code = row["CODE"].strip()
                if code in rows:
                    continue
                rows[code] = ("transnational" if code in TRANSNATIONAL else kind, row["LABEL"].strip())
    with open(out, "w", encoding="utf-8") as handle:
        handle.write("# CAMEO actor role, transnational and known-group codes (from GDELT's lookups)\n")
        handle.write("code\tkind\tlabel\n")
        for code, (kind, label) in sorted(rows.items()):
            handle.write(f"{code}\t{kind}\t{label}\n")


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent
    ref = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "shared" / "reference"
    main(ref, here / "src" / "magpie" / "lexicon" / "data" / "actor_codes.tsv")
