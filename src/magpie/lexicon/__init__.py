"""Lexicons: data files in ``lexicon/data`` loaded into one immutable :class:`Lexicon` object.

The lexicon is passed to the stages that need it; nothing here is global mutable state.
Formats are documented in ``docs/lexicon-format.md``.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick_rs

from ..errors import LexiconError
from ..normalise import to_simplified

DATA_DIR = Path(__file__).resolve().parent / "data"
CJK_COUNTRIES = frozenset({"CHN", "TWN", "HKG", "MAC", "SGP", "KOR", "PRK", "JPN", "VNM"})

FRAMES = ("with", "obj", "to", "none", "passive")
CUE_KINDS = ("negation", "future", "hypothetical", "conditional", "habitual", "alleged", "report", "none")
PRONOUN_KINDS = ("latter", "former", "pair", "person", "country", "speaker")
PLACE_KINDS = ("capital", "city", "region", "landmark")
ROLE_KINDS = ("title", "body")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
EVENT_CODE_RE = re.compile(r"^\d{2,4}$")

# file name prefix -> (required header, kind)
HEADERS: dict[str, tuple[str, ...]] = {
    "countries": ("code", "names", "short", "en"),
    "organisations": ("names", "code", "en", "note"),
    "roles": ("names", "role", "kind", "note"),
    "people": ("names", "code", "start", "end", "en", "note"),
    "places": ("names", "country", "lat", "lon", "kind", "en"),
    "verbs": ("trigger", "code", "frame", "note", "target"),
    "cues": ("word", "kind", "note"),
    "pronouns": ("word", "kind", "note"),
    "cameo": ("code", "name", "goldstein", "quad_class", "plover_event", "plover_mode"),
    "actor_codes": ("code", "kind", "label"),
    "nonnames": ("names", "note"),
    "surnames": ("surnames", "note"),
    "regions": ("words", "country", "note"),
    "support": ("words", "kind", "note"),
    "stance": ("words", "stance", "note"),
    "territories": ("territory", "sovereign", "note"),
    "rules": ("code", "needs_target", "implied_agent", "planned_as", "reporting", "between_firms", "by_authority",
              "implied_target", "not_by", "note"),
}


# One-character abbreviations that news glues to words for ordinary people (日网友, 韩男子, 台商); the others
# (老, 美 in 美男子, 阿 in 阿姨) begin ordinary words, so 老夫妻 is no Laotian couple.
PEOPLE_ROLES = frozenset({"CVL", "CRM", "REF"})
PEOPLE_COMPOUND_SHORTS = frozenset("中日韩俄英法德朝台港印越泰菲")


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover_event: str | None
    plover_mode: str | None


@dataclass(frozen=True, slots=True)
class CodeRule:
    """How the coder treats a CAMEO root or code (rules.tsv)."""

    needs_target: bool = True
    implied_agent: str | None = None
    planned_as: str | None = None
    reporting: bool = False
    between_firms: bool = True  # coded when both actors are firms (no: deals between companies are business)
    by_authority: str | None = None  # the code when the police or the judiciary act (起诉: 115 → 173)
    implied_target: str | None = None  # the target's role when none is named (a protest: the authorities, GOV)
    not_by: frozenset[str] = frozenset()  # roles that cannot be the source (the police do not march)


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    names: tuple[str, ...]
    short: tuple[str, ...]
    en: str


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    kind: str  # title | body
    country: str | None = None  # a title only one country has (市委书记: the Communist Party's, CHN)


@dataclass(frozen=True, slots=True)
class PersonRole:
    code: str
    start: str | None
    end: str | None
    en: str

    def covers(self, date: str | None) -> bool:
        if not date:
            return self.end is None
        return (self.start is None or self.start[: len(date)] <= date) and (
            self.end is None or date[: len(self.end)] <= self.end
        )


@dataclass(frozen=True, slots=True)
class Person:
    name: str  # the first (display) name
    roles: tuple[PersonRole, ...]

    def role_at(self, date: str | None) -> PersonRole:
        """The role held on ``date`` (YYYY-MM-DD or shorter); else the nearest period in time."""
        for role in self.roles:
            if role.covers(date):
                return role
        if not date:
            return self.roles[-1]
        last = max(self.roles, key=lambda r: r.end or "9999")
        first = min(self.roles, key=lambda r: r.start or "0000")
        if last.end and date[: len(last.end)] > last.end and len(last.code) >= 3:
            # after every office: a former official is an elite of the country (前总统朴槿惠)
            country = last.code[:6] if last.code.startswith(("IGO", "NGO", "IMG", "MNC")) else last.code[:3]
            return PersonRole(country + "ELI", last.end, None, last.en)
        if first.start and date < first.start[: len(date)]:
            country = first.code[:6] if first.code.startswith(("IGO", "NGO", "IMG", "MNC")) else first.code[:3]
            return PersonRole(country, None, first.start, first.en)  # before any office: the country only

        def distance(role: PersonRole) -> str:
            # the period whose boundary is nearest to the date, compared as ISO strings
            if role.end and role.end < date:
                return _gap(role.end, date)
            return _gap(date, role.start or date)

        return min(self.roles, key=distance)


def _gap(earlier: str, later: str) -> str:
    def as_number(value: str) -> int:
        parts = [int(p) for p in value.split("-")] + [1, 1]
        return parts[0] * 372 + parts[1] * 31 + parts[2]

    return f"{as_number(later) - as_number(earlier):08d}"


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    en: str


@dataclass(frozen=True, slots=True)
class Verb:
    code: str  # a CAMEO code, or "-" for a blocking phrase
    frame: str
    trigger: str
    optional_target: bool = False  # frame written with "?": the event stands without a target (X公开道歉)
    target: str | None = None  # the country the verb itself names (访华: CHN, 绕台: TWN), when no other target is


@dataclass(frozen=True, slots=True)
class Entity:
    """What a matched name stands for. ``kind`` decides which payload field is set."""

    kind: str  # country | compound | organisation | role | person | place | pronoun | blocker
    country: str | None = None  # ISO3 for country/compound
    code: str | None = None  # organisation code
    role: Role | None = None
    person: Person | None = None
    place: PlaceEntry | None = None
    pronoun: str | None = None


@dataclass
class Lexicon:
    """Every lexicon table, with the automatons that find its names in a Simplified text."""

    countries: dict[str, Country] = field(default_factory=dict)
    entities: dict[str, list[Entity]] = field(default_factory=dict)
    verbs: dict[str, Verb] = field(default_factory=dict)
    cues: dict[str, str] = field(default_factory=dict)
    cameo: dict[str, CameoCode] = field(default_factory=dict)
    actor_codes: dict[str, str] = field(default_factory=dict)  # code -> role | group | transnational
    rules: dict[str, CodeRule] = field(default_factory=dict)  # CAMEO code prefix -> how it is coded
    short_to_country: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    surnames: frozenset[str] = frozenset()  # first characters of CJK names: people*.tsv and surnames.tsv
    listed_surnames: set[str] = field(default_factory=set)  # from surnames.tsv
    region_words: dict[str, str] = field(default_factory=dict)  # regions.tsv: press word -> country
    # support.tsv: verbs whose object noun is the event itself (举行会谈, 发动袭击, 表示抗议), as the lexical
    # layer reads them; any other verb governing an event noun makes it that verb's object (激化抗议)
    support_verbs: frozenset[str] = frozenset()
    measure_verbs: frozenset[str] = frozenset()  # support.tsv kind measure: 长达, 为期 (inside a modifier)
    national_roles: frozenset[str] = frozenset()  # roles.tsv scope national: 外交部, 国防部长 (Simplified names)
    territories: dict[str, str] = field(default_factory=dict)  # territories.tsv: territory -> sovereign state
    modal_verbs: frozenset[str] = frozenset()  # support.tsv kind modal: 会 (will) read as a word of its own
    speech_verbs: frozenset[str] = frozenset()  # stance.tsv: verbs that introduce what someone said
    negative_words: frozenset[str] = frozenset()  # stance.tsv: words that judge conduct as wrong
    critical_verbs: frozenset[str] = frozenset()  # stance.tsv: verbs of criticising followed by what they condemn
    # surnames of the people listed: the stricter test for a name with no title at all (沈跃跃会见…), where
    # a rarer surname that also begins common words (包机, 和平) would mislead
    people_surnames: frozenset[str] = frozenset()
    name_chars: frozenset[str] = frozenset()  # characters of transliterated foreign names and places
    entity_kinds: dict[str, dict[str, Entity]] = field(default_factory=dict)  # key -> first entity of each kind
    _entity_ac: ahocorasick_rs.AhoCorasick | None = None
    _entity_keys: list[str] = field(default_factory=list)
    _predicate_ac: ahocorasick_rs.AhoCorasick | None = None
    _predicate_keys: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, extra: Iterable[str | Path] = (), data_dir: Path = DATA_DIR) -> Lexicon:
        """Load the bundled lexicon, then each ``extra`` file (a user lexicon) over it."""
        lexicon = cls()
        order = ["actor_codes", "cameo", "countries", "roles", "organisations", "people", "places",
                 "verbs", "cues", "pronouns", "nonnames", "surnames", "regions", "support", "stance", "territories",
                 "rules"]
        bundled = sorted(data_dir.glob("*.tsv"))
        for prefix in order:
            for path in bundled:
                if path.stem == prefix or path.stem.startswith(prefix + "_"):
                    lexicon._load_file(path, prefix, user=False)
        for path in extra:
            path = Path(path)
            lexicon._load_file(path, _kind_from_header(path), user=True)
        lexicon._add_compounds()
        lexicon._name_statistics()
        lexicon._build()
        return lexicon

    def _load_file(self, path: Path, kind: str, user: bool) -> None:
        loader = getattr(self, f"_load_{kind}")
        self.files.append(str(path))
        for line, row in _rows(path, HEADERS[kind]):
            try:
                loader(row, user)
            except (ValueError, KeyError) as error:
                raise LexiconError(str(path), line, str(error)) from None

    def _add_entity(self, name: str, entity: Entity, user: bool) -> None:
        key = to_simplified(name.strip())
        if len(key) < 2 and entity.kind not in ("role", "pronoun"):
            raise ValueError(f"name {name!r} is shorter than two characters: too ambiguous to match")
        bucket = self.entities.setdefault(key, [])
        if user:
            bucket[:] = [e for e in bucket if e.kind != entity.kind]
        bucket.append(entity)

    def _load_actor_codes(self, row: dict[str, str], user: bool) -> None:
        self.actor_codes[_required(row, "code")] = _required(row, "kind")

    def _load_cameo(self, row: dict[str, str], user: bool) -> None:
        code = _required(row, "code")
        if not EVENT_CODE_RE.match(code):
            raise ValueError(f"CAMEO code {code!r} is not 2-4 digits")
        self.cameo[code] = CameoCode(
            code=code,
            name=row.get("name", ""),
            goldstein=float(_required(row, "goldstein")),
            quad_class=int(_required(row, "quad_class")),
            plover_event=row.get("plover_event") or None,
            plover_mode=row.get("plover_mode") or None,
        )

    def _load_countries(self, row: dict[str, str], user: bool) -> None:
        code = _required(row, "code")
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError(f"country code {code!r} is not ISO 3166 alpha-3")
        names = _split(row.get("names", ""))
        short = tuple(to_simplified(s) for s in _split(row.get("short", "")))
        for s in short:
            if len(s) != 1:
                raise ValueError(f"abbreviation {s!r} must be one character")
            self.short_to_country.setdefault(s, code)
        self.countries[code] = Country(code, names, short, row.get("en", ""))
        for name in names:
            self._add_entity(name, Entity("country", country=code), user)

    def _load_roles(self, row: dict[str, str], user: bool) -> None:
        country = row.get("country", "").strip() or None
        if country is not None and country not in self.countries:
            raise ValueError(f"country {country!r} is not in countries.tsv")
        role = Role(_required(row, "role"), _required(row, "kind"), country)
        if role.kind not in ROLE_KINDS:
            raise ValueError(f"role kind {role.kind!r} is not one of {', '.join(ROLE_KINDS)}")
        scope = row.get("scope", "").strip()
        if scope not in ("", "national"):
            raise ValueError(f"scope {scope!r}: expected national or nothing")
        for name in _split(_required(row, "names")):
            self._add_entity(name, Entity("role", role=role), user)
            if scope:
                self.national_roles = self.national_roles | {to_simplified(name)}

    def _load_organisations(self, row: dict[str, str], user: bool) -> None:
        code = _required(row, "code")
        for name in _split(_required(row, "names")):
            self._add_entity(name, Entity("organisation", code=code), user)

    def _load_people(self, row: dict[str, str], user: bool) -> None:
        names = _split(_required(row, "names"))
        role = PersonRole(
            code=_required(row, "code"),
            start=_date(row.get("start")),
            end=_date(row.get("end")),
            en=row.get("en", ""),
        )
        for name in names:
            key = to_simplified(name)
            existing = next((e for e in self.entities.get(key, []) if e.kind == "person"), None)
            if existing is not None and existing.person is not None and not user:
                roles = tuple(sorted((*existing.person.roles, role), key=lambda r: r.start or ""))
                person = Person(existing.person.name, roles)
                self.entities[key] = [e for e in self.entities[key] if e.kind != "person"]
            else:
                person = Person(names[0], (role,))
            self._add_entity(name, Entity("person", person=person), user)

    def _load_places(self, row: dict[str, str], user: bool) -> None:
        names = _split(_required(row, "names"))
        kind = _required(row, "kind")
        if kind not in PLACE_KINDS:
            raise ValueError(f"place kind {kind!r} is not one of {', '.join(PLACE_KINDS)}")
        lat, lon = float(_required(row, "lat")), float(_required(row, "lon"))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"coordinates {lat}, {lon} are out of range")
        place = PlaceEntry(names[0], row.get("country") or None, lat, lon, kind, row.get("en", ""))
        for name in names:
            key = to_simplified(name)
            if any(e.kind == "place" for e in self.entities.get(key, [])) and not user:
                continue  # the first (most prominent) place keeps an ambiguous name
            self._add_entity(name, Entity("place", place=place), user)

    def _load_verbs(self, row: dict[str, str], user: bool) -> None:
        code, frame = _required(row, "code"), row.get("frame", "").strip() or "obj"
        optional = frame.endswith("?")
        frame = frame.rstrip("?")
        if code != "-" and not EVENT_CODE_RE.match(code):
            raise ValueError(f"event code {code!r} is neither '-' nor a CAMEO code")
        if frame not in FRAMES:
            raise ValueError(f"frame {frame!r} is not one of {', '.join(FRAMES)}")
        target = (row.get("target") or "").strip() or None
        if target is not None and not re.fullmatch(r"[A-Z]{3}", target):
            raise ValueError(f"target {target!r} is not an ISO 3166 alpha-3 country code")
        for trigger in _split(_required(row, "trigger")):
            key = to_simplified(trigger)
            self.verbs[key] = Verb(code, frame, key, optional, target)

    def _load_cues(self, row: dict[str, str], user: bool) -> None:
        kind = _required(row, "kind")
        if kind not in CUE_KINDS:
            raise ValueError(f"cue kind {kind!r} is not one of {', '.join(CUE_KINDS)}")
        for word in _split(_required(row, "word")):
            self.cues[to_simplified(word)] = kind

    def _load_pronouns(self, row: dict[str, str], user: bool) -> None:
        kind = _required(row, "kind")
        if kind not in PRONOUN_KINDS:
            raise ValueError(f"pronoun kind {kind!r} is not one of {', '.join(PRONOUN_KINDS)}")
        for word in _split(_required(row, "word")):
            self._add_entity(word, Entity("pronoun", pronoun=kind), user)

    def _load_rules(self, row: dict[str, str], user: bool) -> None:
        code = _required(row, "code")
        if not EVENT_CODE_RE.match(code):
            raise ValueError(f"CAMEO code {code!r} is not 2-4 digits")

        def flag(column: str) -> bool:
            value = row.get(column, "").strip().lower()
            if value not in ("", "yes", "no"):
                raise ValueError(f"column {column!r} is {value!r}: expected yes, no or empty")
            return value == "yes"

        planned = row.get("planned_as", "").strip() or None
        if planned is not None and planned != "-" and not EVENT_CODE_RE.match(planned):
            raise ValueError(f"planned_as {planned!r} is not a CAMEO code or -")
        between_firms = row.get("between_firms", "").strip().lower()
        if between_firms not in ("", "yes", "no"):
            raise ValueError(f"between_firms {between_firms!r} is not yes or no")
        by_authority = row.get("by_authority", "").strip() or None
        if by_authority is not None and not EVENT_CODE_RE.match(by_authority):
            raise ValueError(f"by_authority {by_authority!r} is not a CAMEO code")
        implied_target = row.get("implied_target", "").strip() or None
        not_by = frozenset(row.get("not_by", "").split())
        self.rules[code] = CodeRule(flag("needs_target"), row.get("implied_agent", "").strip() or None, planned,
                                    flag("reporting"), between_firms != "no", by_authority, implied_target, not_by)

    def rule(self, code: str) -> CodeRule:
        """The rule of the longest code prefix of ``code`` in rules.tsv (the default rule if none)."""
        for length in range(len(code), 1, -1):
            found = self.rules.get(code[:length])
            if found is not None:
                return found
        return CodeRule()

    def _load_nonnames(self, row: dict[str, str], user: bool) -> None:
        for name in _split(_required(row, "names")):
            key = to_simplified(name)
            if not any(e.kind != "blocker" for e in self.entities.get(key, [])):
                self.entities[key] = [Entity("blocker")]

    def _load_regions(self, row: dict[str, str], user: bool) -> None:
        country = _required(row, "country")
        if country not in self.countries:
            raise ValueError(f"country {country!r} is not in countries.tsv")
        for word in _split(_required(row, "words")):
            self.region_words[to_simplified(word)] = country

    def region_of(self, view: str) -> str | None:
        """The place whose press words (regions.tsv) the text uses most, if any."""
        counts: dict[str, int] = {}
        for word, country in self.region_words.items():
            n = view.count(word)
            if n:
                counts[country] = counts.get(country, 0) + n
        return max(counts, key=lambda c: counts[c]) if counts else None

    def _load_support(self, row: dict[str, str], user: bool) -> None:
        self._add_words(row, "kind", {"support": "support_verbs", "measure": "measure_verbs", "modal": "modal_verbs"})

    def _load_stance(self, row: dict[str, str], user: bool) -> None:
        self._add_words(row, "stance", {"speech": "speech_verbs", "negative": "negative_words",
                                        "critical": "critical_verbs"})

    def _add_words(self, row: dict[str, str], column: str, sets: dict[str, str]) -> None:
        """A row of Chinese words (support.tsv, stance.tsv) added to the word set its ``column`` names."""
        words = {to_simplified(w) for w in _split(_required(row, "words"))}
        if not all(w and all("\u4e00" <= c <= "\u9fff" for c in w) for w in words):
            raise ValueError(f"words {row['words']!r}: Chinese words only")
        kind = _required(row, column)
        if kind not in sets:
            raise ValueError(f"{column} {kind!r}: expected {', '.join(sets)}")
        setattr(self, sets[kind], getattr(self, sets[kind]) | words)

    def _load_territories(self, row: dict[str, str], user: bool) -> None:
        territory, sovereign = _required(row, "territory"), _required(row, "sovereign")
        for code in (territory, sovereign):
            if code not in self.countries:
                raise ValueError(f"country {code!r} is not in countries.tsv")
        self.territories[territory] = sovereign

    def sovereign(self, actor_text: str, country: str | None) -> str | None:
        """The country a role mention stands for: a national body (外交部) in a territory is the sovereign's."""
        if country in self.territories and any(actor_text.endswith(name) or actor_text.startswith(name)
                                               for name in self.national_roles):
            return self.territories[country]
        return country

    def _load_surnames(self, row: dict[str, str], user: bool) -> None:
        for name in _split(_required(row, "surnames")):
            key = to_simplified(name)
            if not all("\u4e00" <= c <= "\u9fff" for c in key) or not 1 <= len(key) <= 2:
                raise ValueError(f"surname {name!r} is not one or two Chinese characters")
            self.listed_surnames.add(key[0])

    def _add_compounds(self) -> None:
        """俄军, 美方, 叙政府军: a country abbreviation glued to a role word."""
        roles = [(name, e.role) for name, bucket in self.entities.items() for e in bucket
                 if e.kind == "role" and e.role is not None]
        for short, country in self.short_to_country.items():
            bucket = self.entities.setdefault(short + "方", [])
            if not any(e.kind == "blocker" for e in bucket):  # 西方, 东方: nonnames.tsv says they are no side
                bucket.append(Entity("compound", country=country, role=Role("GOV", "body")))
            for name, role in roles:
                if role.country is not None:
                    continue  # 市委书记 belongs to one country already
                if role.role in PEOPLE_ROLES and short not in PEOPLE_COMPOUND_SHORTS:
                    continue  # 老夫妻, 美男子, 阿姨: not Laotian, American or Afghan people
                if role.kind == "body" or len(name) >= 2:
                    key = short + name
                    if key not in self.entities:
                        self.entities[key] = [Entity("compound", country=country, role=role)]

    def _name_statistics(self) -> None:
        """Which characters start Chinese-style names and which make up transliterated ones.

        Learnt from the lexicon itself, so discovered names (a title followed by an unknown name) can be
        told from ordinary words (总统结束访问 is no president called 结束).
        """
        surnames: set[str] = set()
        chars: set[str] = set()
        for name, bucket in self.entities.items():
            for entity in bucket:
                if entity.kind == "person" and entity.person is not None:
                    country = entity.person.roles[0].code[:3]
                    if country in CJK_COUNTRIES and "·" not in name and 2 <= len(name) <= 3:
                        surnames.add(name[0])
                    elif country not in CJK_COUNTRIES:
                        chars.update(c for c in name if c != "·")
                elif entity.kind == "place" and entity.place is not None and entity.place.country not in CJK_COUNTRIES:
                    chars.update(name)
        self.surnames, self.name_chars = frozenset(surnames | self.listed_surnames), frozenset(chars)
        self.people_surnames = frozenset(surnames)

    def plausible_name(self, name: str, cjk: bool | None) -> bool:
        """Could ``name`` be a person's name? ``cjk``: a Chinese/Korean/Japanese-style name (None: either)."""
        if len(name.replace("·", "")) < 2:
            return False
        if cjk is not False and "·" not in name and len(name) <= 3 and name[0] in self.surnames:
            return True
        if cjk is True:
            return False
        letters = [c for c in name if c != "·"]
        unknown = sum(1 for c in letters if c not in self.name_chars)
        return unknown == 0 or (unknown == 1 and len(letters) >= 4)

    def _build(self) -> None:
        self.entity_kinds = {}
        for key, bucket in self.entities.items():
            kinds: dict[str, Entity] = {}
            for entity in bucket:
                kinds.setdefault(entity.kind, entity)
            self.entity_kinds[key] = kinds
        self._entity_keys = sorted(self.entities)
        self._entity_ac = ahocorasick_rs.AhoCorasick(
            self._entity_keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
        self._predicate_keys = sorted(set(self.verbs) | set(self.cues))
        self._predicate_ac = ahocorasick_rs.AhoCorasick(
            self._predicate_keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    # ---------------------------------------------------------------- matching
    def find_entities(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping leftmost-longest matches of every actor, place and pronoun name: (start, end, key);
        ``entities[key]`` and ``entity_kinds[key]`` say what the name stands for."""
        assert self._entity_ac is not None
        keys = self._entity_keys
        return [(start, end, keys[index]) for index, start, end in self._entity_ac.find_matches_as_indexes(text)]

    def find_predicates(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Non-overlapping leftmost-longest matches of event triggers and cue words."""
        assert self._predicate_ac is not None
        for index, start, end in self._predicate_ac.find_matches_as_indexes(text):
            yield start, end, self._predicate_keys[index]

    def event_info(self, code: str) -> CameoCode:
        """The CAMEO entry of ``code``, falling back to its parent codes."""
        for length in (len(code), 3, 2):
            info = self.cameo.get(code[:length])
            if info is not None:
                return info
        raise KeyError(f"unknown CAMEO event code {code!r}")

    def valid_actor_code(self, code: str) -> bool:
        """A CAMEO actor code: a country or transnational prefix, then 3-letter roles or groups."""
        if not code or len(code) % 3 or not code.isalpha() or not code.isupper():
            return False
        head, rest = code[:3], [code[i : i + 3] for i in range(3, len(code), 3)]
        if head not in self.countries and self.actor_codes.get(head) != "transnational":
            return False
        return all(part in self.actor_codes for part in rest)


def _kind_from_header(path: Path) -> str:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for line in handle:
                if line.strip() and not line.startswith("#"):
                    header = tuple(c.strip() for c in line.rstrip("\n").split("\t"))
                    break
            else:
                raise LexiconError(str(path), None, "the file is empty: expected a header row")
    except OSError as error:
        raise LexiconError(str(path), None, f"cannot read the lexicon file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise LexiconError(str(path), None, "not UTF-8 text: save the lexicon as UTF-8") from None
    for kind, columns in HEADERS.items():
        if header[: len(columns)] == columns or (header == columns[: len(header)] and len(header) >= 2):
            return kind
    known = "; ".join("\\t".join(c) for c in HEADERS.values())
    raise LexiconError(str(path), None, f"unknown header {'|'.join(header)!r}; expected one of: {known}")


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise LexiconError(str(path), None, f"cannot read the lexicon file: {error.strerror}") from None
    with handle:
        header: list[str] | None = None
        try:
            for number, line in enumerate(handle, 1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
                if header is None:
                    header = [c.strip() for c in cells]
                    missing = [c for c in columns[:2] if c not in header]
                    if missing:
                        raise LexiconError(str(path), number, f"header lacks column(s) {', '.join(missing)}")
                    continue
                if len(cells) > len(header):
                    raise LexiconError(
                        str(path), number, f"{len(cells)} fields, header has {len(header)}: a stray TAB?")
                yield number, {h: (c.strip()) for h, c in zip(header, cells, strict=False)}
        except UnicodeDecodeError:
            raise LexiconError(str(path), None, "not UTF-8 text: save the lexicon as UTF-8") from None


def _required(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if not value:
        raise ValueError(f"column {column!r} is empty")
    return value


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _date(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not DATE_RE.match(value):
        raise ValueError(f"date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return value


@cache
def default_lexicon() -> Lexicon:
    """The bundled lexicon, loaded once per process (it is immutable once built)."""
    return Lexicon.load()


def grouped(entities: Iterable[Entity]) -> dict[str, list[Entity]]:
    out: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        out[entity.kind].append(entity)
    return out
