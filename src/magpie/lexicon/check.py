"""Lexicon validation beyond what loading already enforces (formats, columns, dates)."""

from __future__ import annotations

from . import Lexicon


def check(lexicon: Lexicon) -> list[str]:
    """Return human-readable problems: invalid codes, unknown event codes, conflicts."""
    problems: list[str] = []
    for name, entities in lexicon.entities.items():
        orgs = {e.code for e in entities if e.kind == "organisation"}
        if len(orgs) > 1:
            problems.append(f"organisation name {name!r} has conflicting codes {sorted(orgs)}")
        for entity in entities:
            if entity.kind == "organisation" and entity.code and not lexicon.valid_actor_code(entity.code):
                problems.append(f"organisation {name!r}: {entity.code!r} is not a valid CAMEO actor code")
            if entity.kind == "person" and entity.person:
                for role in entity.person.roles:
                    if not lexicon.valid_actor_code(role.code):
                        problems.append(f"person {name!r}: {role.code!r} is not a valid CAMEO actor code")
            if entity.kind == "role" and entity.role and entity.role.role not in lexicon.actor_codes:
                problems.append(f"role word {name!r}: {entity.role.role!r} is not a CAMEO role code")
            if entity.kind == "place" and entity.place and entity.place.country \
                    and entity.place.country not in lexicon.countries:
                problems.append(f"place {name!r}: unknown country {entity.place.country!r}")
    for trigger, verb in lexicon.verbs.items():
        if verb.code != "-" and verb.code not in lexicon.cameo:
            problems.append(f"trigger {trigger!r}: {verb.code!r} is not in cameo.tsv")
        if verb.target is not None and verb.target not in lexicon.countries:
            problems.append(f"trigger {trigger!r}: target {verb.target!r} is not in countries.tsv")
    for code, rule in lexicon.rules.items():
        if code not in lexicon.cameo:
            problems.append(f"rules.tsv: {code!r} is not in cameo.tsv")
        if rule.planned_as and rule.planned_as != "-" and rule.planned_as not in lexicon.cameo:
            problems.append(f"rules.tsv {code}: planned_as {rule.planned_as!r} is not in cameo.tsv")
        if rule.by_authority and rule.by_authority not in lexicon.cameo:
            problems.append(f"rules.tsv {code}: by_authority {rule.by_authority!r} is not in cameo.tsv")
        if rule.implied_agent and rule.implied_agent not in lexicon.actor_codes:
            problems.append(f"rules.tsv {code}: implied_agent {rule.implied_agent!r} is not a CAMEO role code")
        problems.extend(f"rules.tsv {code}: not_by {role!r} is not a CAMEO role code"
                        for role in sorted(rule.not_by) if role not in lexicon.actor_codes)
    for code, info in lexicon.cameo.items():
        if not 1 <= info.quad_class <= 4:
            problems.append(f"CAMEO {code}: quad class {info.quad_class} is not 1-4")
        if not -10 <= info.goldstein <= 10:
            problems.append(f"CAMEO {code}: Goldstein {info.goldstein} is outside -10..10")
    return problems
