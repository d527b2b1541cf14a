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


def accuracy_section(shared: Path) -> str:
    """The accuracy tables, measured now on the dev sets in ../shared/eval/dev."""
    news = json.loads(magpie("eval", "--gold", str(shared / "news/gold.jsonl"), "--docs", str(shared / "news/docs.jsonl"),
                             "--json", "-q"))
    duee = json.loads(magpie("eval", "--gold", str(shared / "duee/gold.jsonl"), "--docs", str(shared / "duee/docs.jsonl"),
                             "--json", "-q"))
    per_root_table = news_per_root(shared)
    rows = "\n".join(f"| {t} | {v} |" for t, v in duee["per_type_recall"].items())
    return f"""Measured with `magpie eval` (the same rules and numbers as `../shared/tools/score_events.py`; a test checks
that both agree). Dev sets only — held-out sets of the same kinds are scored separately by the project.
`tests/test_quality_gate.py` fails when these fall below the floors pinned in `tests/quality/floors.json`.

| set | what | precision | recall | F1 |
|---|---|---|---|---|
| `eval/dev/news` | 12 chinanews/xinhua articles (Feb 2011), {news['required_gold']} required events, {news['predicted']} predicted | {news['precision']:.2f} | {news['recall']:.2f} | {news['f1']:.2f} |
| same, strict (country **and** role) | | {news['strict_precision']:.2f} | {news['strict_recall']:.2f} | {news['strict_f1']:.2f} |
| the seed article | six required events | each found once, dated, with its actors (`tests/test_seed.py`) | | |

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

Most DuEE events are domestic and involve unnamed or non-political people — 两名男子被抓, 王某被刑拘, a
company sued. Magpie reads them the way mainland crime and court news writes them:

- **people without names:** pseudonyms (王某, 李某某, 钱某峰), kinship, age and occupation words (爷爷,
  夫妻俩, 外卖小哥), offenders named by their offence (涉赌人员, 网逃), counts (刑拘5人, 52万人), nationality
  (韩国籍男子) and 其 after 将/把/对;
- **institutions without a lexicon entry:** local police and courts (西湖县三桥派出所, 滨江警方), firms ending
  in 公司/集团/银行/控股, and bodies between a place and an institution word (高雄市…同业公会考察团);
- **the agent a report leaves out:** an arrest's agent is the police the report names nearby, else the
  police of the place where it happened; a lawsuit (115) brought by prosecutors is a charge (173);
- **what is not politics:** deals and quarrels between firms (`between_firms` in `rules.tsv`), sports
  teams (中国队, 德国女足) and referees' rulings, festive parades, a negation only where it governs the verb.

What is still missed, mostly by design: apologies and praise by celebrities and brands (the issue's
precision rules exclude entertainment), attacks whose attacker is not named (油田遭袭: an event
needs a source actor), people named with no title outside a court or police context, and firms outside
the lexicon without a company word.
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
