"""Within-document deduplication: each distinct event once, with all its mentions.

Events are the same when they have the same kind (CAMEO code; a generic 040 joins any specific
consultation), the same actors at country level (either order for symmetric codes), no two different
named people on one side (nor, in one country's own affairs, two different roles), and compatible dates:
two explicitly dated mentions must agree; an undated mention joins the dated one.
"""

from __future__ import annotations

from ..document import Actor, Document, Event

RANK = {"none": 0, "context": 1, "sentence": 2}
SYMMETRIC = {"019", "036", "046", "057"}
VISIT_FAMILY = {"042", "043", "044"}


def family(code: str) -> str:
    if code[:3] in VISIT_FAMILY:
        return "04v"
    return code[:3]


def symmetric(code: str) -> bool:
    return code[:2] == "04" or code[:3] in SYMMETRIC


def _key(actor: Actor | None) -> str:
    return actor.country or "" if actor is not None else ""


def _pair(event: Event) -> tuple[str, str]:
    pair = (_key(event.source), _key(event.target))
    return tuple(sorted(pair)) if symmetric(event.code) else pair  # type: ignore[return-value]


def _named_people(a: Actor | None, b: Actor | None) -> bool:
    return a is not None and b is not None and a.kind == "person" == b.kind and bool(a.name) and bool(b.name)


def _one_name(a: Actor, b: Actor) -> bool:
    """The name given in full or in short (巴沙尔 of 巴沙尔·阿萨德)."""
    return a.name in b.name or b.name in a.name  # type: ignore[operator]


def _other_person(a: Actor | None, b: Actor | None) -> bool:
    """Two named people who are not one another."""
    return _named_people(a, b) and not _one_name(a, b)  # type: ignore[arg-type]


def _same_person(a: Actor, b: Actor) -> bool:
    """One named person under two mentions."""
    return _named_people(a, b) and _one_name(a, b)


def _other_people(group: Event, event: Event) -> bool:
    """On either side (matched by country, so either order for symmetric codes), two different people; and in
    a country's own affairs two different roles (议员批评警方 and 政府谴责暴徒 are two events), where between
    countries they are one country named two ways (塞西赞扬俄军… and …支持莫斯科)."""
    pairs = [(group.source, event.source), (group.target, event.target)]
    if symmetric(group.code) and _key(group.source) == _key(event.target):
        pairs = [(group.source, event.target), (group.target, event.source)]
    domestic = _key(group.source) == _key(group.target)
    for a, b in pairs:
        if a is None or b is None:
            continue
        if _other_person(a, b):
            return True
        if domestic and a.role and b.role and a.role != b.role and not _same_person(a, b):
            return True  # (重庆市委原书记孙政才 and 被告人孙政才 are one man under two titles)
    return False


def _specific(a: Actor | None, b: Actor | None) -> Actor | None:
    if a is None or b is None:
        return a or b
    longer, same = len(b.code or "") > len(a.code or ""), len(b.code or "") == len(a.code or "")
    return b if longer or (same and b.kind == "person" and a.kind != "person") else a  # the most specific mention


class Dedup:
    """Merge repeated reports of one event inside a document."""

    name = "dedup"

    def __call__(self, doc: Document) -> Document:
        merged: list[Event] = []
        # an event joins only a group of its own kind (family; any consultation for 04), actor pair and
        # plannedness, none of which merging changes (a group takes a more specific code of its own kind, or
        # actors of the same countries): the groups are looked up among those alone, in the order they were made
        by_kind: dict[tuple[str, tuple[str, str], bool], list[Event]] = {}
        for event in doc.events:
            kind = "04" if event.code[:2] == "04" else family(event.code)
            candidates = by_kind.setdefault((kind, _pair(event), event.planned), [])
            group = self._find(candidates, event)
            if group is None:
                merged.append(event)
                candidates.append(event)
                continue
            self._merge(group, event)
        doc.events = merged
        return doc

    @staticmethod
    def _find(groups: list[Event], event: Event) -> Event | None:
        fam, pair = family(event.code), _pair(event)
        for group in reversed(groups):
            g_fam = family(group.code)
            same_kind = g_fam == fam or (event.root == "04" and group.root == "04" and "040" in (fam, g_fam)
                                         and "036" not in (fam, g_fam))
            if not same_kind or _pair(group) != pair or group.planned != event.planned:
                continue
            if _other_people(group, event):
                continue  # 判处孙某…，判处周某…: two people sentenced are two events
            bases = {group.date_basis, event.date_basis}
            if "none" not in bases and "sentence" in bases and group.date != event.date:
                continue  # a report dated in its own sentence and another dated otherwise: two events
            # (two reports that only inherit dates from their context are too weakly dated to split)
            return group
        return None

    @staticmethod
    def _merge(group: Event, event: Event) -> None:
        group.mentions.extend(event.mentions)
        group.place = group.place or event.place
        if group.code.endswith("0") and not event.code.endswith("0") and len(event.code) >= 3:
            group.code = event.code
        if RANK[event.date_basis] > RANK[group.date_basis]:
            # the best-dated report is the clearest: its date, evidence and actors win
            group.date, group.date_basis, group.date_inferred = event.date, event.date_basis, event.date_inferred
            group.sentence, group.trigger = event.sentence, event.trigger
            group.source, group.target = event.source, event.target
            group.code = event.code if not event.code.endswith("0") or group.code.endswith("0") else group.code
            return
        group.source = _specific(group.source, event.source) if _key(group.source) == _key(event.source) \
            else group.source
        if group.target is not None and event.target is not None and _key(group.target) == _key(event.target):
            if _same_person(group.target, event.target) and event.target.role == "CRM" != group.target.role:
                group.target = event.target  # 干部王某 … 被告人王某: the title the court gives him is the event's
            else:
                group.target = _specific(group.target, event.target)
