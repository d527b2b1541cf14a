"""Scoring coded events against a gold standard (the rules of the project's reference scorer).

news gold: ``{doc_id, source, target, code, date, required}`` — matched on document, CAMEO root,
actors at country level (first three letters, six for IGO/NGO/IMG/MNC/INT codes; swappable for
root 04 and codes 019/036/046/057; a null gold target accepts any), and date (within one day; a
partial gold date needs a prediction that starts with it, or none). Greedy one-to-one matching,
required gold first. Recall over required gold; precision over all predictions.

duee gold: ``{doc_id, duee_type, roots, source_spans, target_spans}`` — a gold event is found when
a prediction in its document has an allowed root and a source or target mention overlapping a gold
argument span. Predictions with roots 14–20 in ``negative`` documents are conflict false alarms.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import InputError

SWAPPABLE_CODES = {"019", "036", "046", "057"}
TRANSNATIONAL = ("IGO", "NGO", "MNC", "IMG", "INT")


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as error:
                        raise InputError(f"{path}:{number}: not JSON ({error.msg})") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    return rows


def _code(actor: Any) -> str | None:
    if actor is None:
        return None
    if isinstance(actor, str):
        return actor.strip().upper() or None
    code = actor.get("code")
    return code.strip().upper() if code else None


def country_key(code: str | None) -> str | None:
    if not code:
        return None
    return code[:6] if code.startswith(TRANSNATIONAL) else code[:3]


def strict_key(code: str | None) -> str | None:
    if not code:
        return None
    return code[:9] if code.startswith(TRANSNATIONAL) else code[:6]


def _root(code: Any) -> str:
    return str(code or "")[:2]


def _date_ok(gold: str | None, pred: Any) -> bool:
    if not gold:
        return True
    if len(gold) < 10:
        return not pred or str(pred).startswith(gold)
    if not pred or len(str(pred)) < 10:
        return False
    try:
        delta = dt.date.fromisoformat(gold[:10]) - dt.date.fromisoformat(str(pred)[:10])
    except ValueError:
        return False
    return abs(delta.days) <= 1


def _actors_ok(gold: dict, pred: dict, key: Callable[[str | None], str | None]) -> bool:
    gs, gt = key(_code(gold["source"])), key(_code(gold.get("target")))
    ps, pt = key(_code(pred.get("source"))), key(_code(pred.get("target")))

    def pair_ok(source: str | None, target: str | None) -> bool:
        return (not gs or source == gs) and (gt is None or target == gt)

    if pair_ok(ps, pt):
        return True
    swappable = _root(gold["code"]) == "04" or str(gold["code"])[:3] in SWAPPABLE_CODES
    return swappable and pair_ok(pt, ps)


def _matches(gold: dict, pred: dict, key: Callable[[str | None], str | None]) -> bool:
    return _root(gold["code"]) == _root(pred.get("code")) and _date_ok(gold.get("date"), pred.get("date")) \
        and _actors_ok(gold, pred, key)


def match_news(golds: list[dict], preds: list[dict], key: Callable) -> list[tuple[dict, dict]]:
    used: set[int] = set()
    pairs = []
    for gold in sorted(golds, key=lambda g: not g.get("required", True)):
        for index, pred in enumerate(preds):
            if index not in used and _matches(gold, pred, key):
                used.add(index)
                pairs.append((gold, pred))
                break
    return pairs


def _by_document(gold_rows: list[dict], pred_rows: list[dict], doc_ids: set[str]
                 ) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    """Gold events and the predictions for the scored documents, by document id."""
    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    pred_by_doc: dict[str, list[dict]] = defaultdict(list)
    for gold in gold_rows:
        gold_by_doc[gold["doc_id"]].append(gold)
    for pred in pred_rows:
        if pred.get("doc_id") in doc_ids:
            pred_by_doc[pred["doc_id"]].append(pred)
    return gold_by_doc, pred_by_doc


def score_news(gold_rows: list[dict], pred_rows: list[dict], doc_ids: set[str]) -> dict[str, Any]:
    gold_by_doc, pred_by_doc = _by_document(gold_rows, pred_rows, doc_ids)
    result: dict[str, Any] = {}
    for prefix, key in (("", country_key), ("strict_", strict_key)):
        required = matched_required = matched_any = 0
        per_root: dict[str, Counter] = defaultdict(Counter)
        for doc_id in sorted(doc_ids):
            golds, preds = gold_by_doc.get(doc_id, []), pred_by_doc.get(doc_id, [])
            pairs = match_news(golds, preds, key)
            required += sum(1 for g in golds if g.get("required", True))
            matched_required += sum(1 for g, _ in pairs if g.get("required", True))
            matched_any += len(pairs)
            for gold in golds:
                if gold.get("required", True):
                    per_root[_root(gold["code"])]["gold"] += 1
            for gold, _ in pairs:
                if gold.get("required", True):
                    per_root[_root(gold["code"])]["found"] += 1
        predicted = sum(len(v) for v in pred_by_doc.values())
        recall = matched_required / required if required else 1.0
        precision = matched_any / predicted if predicted else (1.0 if not required else 0.0)
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result.update({f"{prefix}recall": round(recall, 4), f"{prefix}precision": round(precision, 4),
                       f"{prefix}f1": round(f1, 4)})
        if not prefix:
            result.update({
                "required_gold": required, "predicted": predicted, "matched_required": matched_required,
                "per_root_recall": {r: f"{c['found']}/{c['gold']}" for r, c in sorted(per_root.items())},
            })
    return result


def _overlaps(mention: dict | None, spans: list[dict]) -> bool:
    if not mention:
        return False
    text = mention.get("text") or ""
    start, end = mention.get("start"), mention.get("end")
    for span in spans:
        span_start, span_text = span.get("start"), span.get("text") or ""
        if start is not None and end is not None and span_start is not None \
                and start < span_start + len(span_text) and span_start < end:
            return True
        if text and span_text and (text in span_text or span_text in text):
            return True
    return False


def score_duee(gold_rows: list[dict], pred_rows: list[dict], docs: list[dict]) -> dict[str, Any]:
    pred_by_doc: dict[Any, list[dict]] = defaultdict(list)
    for pred in pred_rows:
        pred_by_doc[pred.get("doc_id")].append(pred)
    found: Counter = Counter()
    total: Counter = Counter()
    for gold in gold_rows:
        total[gold["duee_type"]] += 1
        spans = gold["source_spans"] + gold["target_spans"]
        for pred in pred_by_doc.get(gold["doc_id"], []):
            if _root(pred.get("code")) not in gold["roots"]:
                continue
            if not spans or _overlaps(pred.get("source"), spans) or _overlaps(pred.get("target"), spans):
                found[gold["duee_type"]] += 1
                break
    negatives = [d["id"] for d in docs if d.get("negative")]
    alarms = sum(1 for d in negatives if any("14" <= _root(p.get("code")) <= "20" for p in pred_by_doc.get(d, [])))
    any_event = sum(1 for d in negatives if pred_by_doc.get(d))
    return {
        "recall": round(sum(found.values()) / max(1, sum(total.values())), 4),
        "per_type_recall": {t: f"{found[t]}/{total[t]}" for t in sorted(total)},
        "negative_docs": len(negatives),
        "conflict_false_alarm_rate": round(alarms / max(1, len(negatives)), 4),
        "any_event_on_negative_rate": round(any_event / max(1, len(negatives)), 4),
    }


def score(gold_rows: list[dict], pred_rows: list[dict], docs: Iterable[dict] = ()) -> dict[str, Any]:
    """Score predictions by the format of the gold (news or duee)."""
    docs = list(docs)
    if gold_rows and "duee_type" in gold_rows[0]:
        return score_duee(gold_rows, pred_rows, docs)
    doc_ids = {d["id"] for d in docs} or {g["doc_id"] for g in gold_rows}
    return score_news(gold_rows, pred_rows, doc_ids)


# --- error analysis ------------------------------------------------------------------------------------------------

#: the fields in which a prediction can differ from a gold event, in the order they are reported
FIELDS = ("root", "date", "source", "target")


def _differences(gold: dict, pred: dict, key: Callable[[str | None], str | None]) -> tuple[str, ...]:
    """What keeps ``pred`` from matching ``gold`` (empty when it matches)."""
    diffs = []
    if _root(gold["code"]) != _root(pred.get("code")):
        diffs.append("root")
    if not _date_ok(gold.get("date"), pred.get("date")):
        diffs.append("date")
    if not _actors_ok(gold, pred, key):
        gs, gt = key(_code(gold["source"])), key(_code(gold.get("target")))
        ps, pt = key(_code(pred.get("source"))), key(_code(pred.get("target")))
        swappable = _root(gold["code"]) == "04" or str(gold["code"])[:3] in SWAPPABLE_CODES
        options = [(ps, pt), (pt, ps)] if swappable else [(ps, pt)]
        best: list[str] | None = None
        for source, target in options:
            wrong = [name for name, ok in (("source", not gs or source == gs), ("target", gt is None or target == gt))
                     if not ok]
            if best is None or len(wrong) < len(best):
                best = wrong
        diffs.extend(best or [])
    return tuple(diffs)


def _nearest(item: dict, others: list[dict], diff: Callable[[dict], tuple[str, ...]]) -> tuple[dict | None, tuple]:
    """The candidate with the fewest differences that shares the root, else (None, ("no trigger",))."""
    best: tuple[dict | None, tuple] = (None, ("root",))
    for other in others:
        found = diff(other)
        if "root" in found:
            continue
        if best[0] is None or len(found) < len(best[1]):
            best = (other, found)
    return best


def _brief(row: dict | None) -> dict | None:
    if row is None:
        return None

    def actor(value: Any) -> Any:
        if isinstance(value, dict):
            return {"code": value.get("code"), "text": value.get("text")}
        return value

    keep = {"code": row.get("code"), "date": row.get("date"), "source": actor(row.get("source")),
            "target": actor(row.get("target"))}
    for extra in ("required", "note"):
        if row.get(extra) is not None:
            keep[extra] = row[extra]
    evidence = row.get("evidence")
    if isinstance(evidence, dict):  # a prediction: the sentence and its trigger
        keep["evidence"] = evidence.get("sentence")
        keep["trigger"] = (evidence.get("trigger") or {}).get("text")
    elif evidence is not None:
        keep["evidence"] = evidence
    return keep


def explain_news(gold_rows: list[dict], pred_rows: list[dict], doc_ids: set[str],
                 key: Callable[[str | None], str | None] = country_key) -> dict[str, Any]:
    """Per document, each missed required gold event and each unmatched prediction, with the nearest candidate
    of the same root and what differs (``date``, ``source``, ``target``), or ``no trigger`` (no prediction of
    that root) / ``spurious`` (no gold event of that root) / ``duplicate`` (its gold event was matched by another
    prediction); a summary counts them by class, and an ablation
    gives precision and recall with dates, actors or both ignored."""
    gold_by_doc, pred_by_doc = _by_document(gold_rows, pred_rows, doc_ids)
    documents = []
    missed: Counter = Counter()
    unmatched: Counter = Counter()
    for doc_id in sorted(doc_ids):
        golds, preds = gold_by_doc.get(doc_id, []), pred_by_doc.get(doc_id, [])
        pairs = match_news(golds, preds, key)
        used_gold = {id(g) for g, _ in pairs}
        used_pred = {id(p) for _, p in pairs}
        free_preds = [p for p in preds if id(p) not in used_pred]
        entry: dict[str, Any] = {"doc_id": doc_id, "missed": [], "unmatched": []}
        for gold in golds:
            if id(gold) in used_gold or not gold.get("required", True):
                continue
            near, diffs = _nearest(gold, free_preds, lambda p, g=gold: _differences(g, p, key))
            why = "+".join(diffs) if near is not None else "no trigger"
            missed[why] += 1
            entry["missed"].append({"gold": _brief(gold), "nearest": _brief(near), "differs": why})
        for pred in free_preds:
            near, diffs = _nearest(pred, golds, lambda g, p=pred: _differences(g, p, key))
            why = ("+".join(diffs) or "duplicate") if near is not None else "spurious"
            unmatched[why] += 1
            entry["unmatched"].append({"pred": _brief(pred), "nearest": _brief(near), "differs": why})
        if entry["missed"] or entry["unmatched"]:
            documents.append(entry)

    def relaxed(ignore_dates: bool, ignore_actors: bool) -> dict[str, float]:
        def strip(row: dict) -> dict:
            row = dict(row)
            if ignore_dates:
                row["date"] = None
            if ignore_actors:
                row["source"], row["target"] = None, None
            return row
        result = score_news([strip(g) for g in gold_rows], pred_rows, doc_ids)
        return {"precision": result["precision"], "recall": result["recall"]}

    ablation = {
        "as scored": relaxed(False, False),
        "dates ignored": relaxed(True, False),
        "actors ignored": relaxed(False, True),
        "dates and actors ignored (root only)": relaxed(True, True),
    }
    return {"documents": documents, "missed_by_class": dict(missed.most_common()),
            "unmatched_by_class": dict(unmatched.most_common()), "ablation": ablation}


def _show(row: dict | None) -> str:
    if row is None:
        return "—"

    def actor(value: Any) -> str:
        if isinstance(value, dict):
            return f"{value.get('code') or '?'}({value.get('text') or ''})"
        return str(value or "—")

    return f"{row.get('code')} {actor(row.get('source'))} → {actor(row.get('target'))} {row.get('date') or '?'}"


def format_explanation(explained: dict[str, Any]) -> str:
    """The explanation of :func:`explain_news` as plain text for a terminal."""
    lines = []
    for entry in explained["documents"]:
        lines.append(f"== {entry['doc_id']}")
        for miss in entry["missed"]:
            lines.append(f"  MISSED   {_show(miss['gold'])}   [{miss['differs']}]")
            if miss["gold"].get("evidence"):
                lines.append(f"           gold evidence: {miss['gold']['evidence'][:120]}")
            if miss["nearest"]:
                lines.append(f"           nearest: {_show(miss['nearest'])}")
        for extra in entry["unmatched"]:
            lines.append(f"  UNMATCHED {_show(extra['pred'])}   [{extra['differs']}]")
            if extra["pred"].get("evidence"):
                lines.append(f"           trigger {extra['pred'].get('trigger')}: {extra['pred']['evidence'][:120]}")
            if extra["nearest"]:
                lines.append(f"           nearest gold: {_show(extra['nearest'])}")
    lines.append("")
    lines.append("missed required gold by class: " + ", ".join(
        f"{k} {v}" for k, v in explained["missed_by_class"].items()))
    lines.append("unmatched predictions by class: " + ", ".join(
        f"{k} {v}" for k, v in explained["unmatched_by_class"].items()))
    lines.append("")
    lines.append(f"{'ablation':40} precision  recall")
    for name, values in explained["ablation"].items():
        lines.append(f"{name:40} {values['precision']:9.3f}  {values['recall']:6.3f}")
    return "\n".join(lines)
