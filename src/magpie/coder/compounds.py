"""The compound builder: adjacent lexicon matches merged into one mention,
``<place or country><institution><title><name>`` (俄罗斯总统普京, 中国外交部副部长张志军, 沭阳县公安局),
country groups (俄美两国) and pronouns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ..document import Actor
from ..lexicon import Entity, Lexicon
from .names import LOCAL_NAME_STOP, TITLE_GAP, actor_code, discover_name, local_name_before

CJK_NAMES = {"CHN", "TWN", "HKG", "MAC", "SGP", "KOR", "PRK", "JPN", "VNM"}
POSTED_GAP = re.compile(r"^(常)?驻[\u4e00-\u9fff]{0,2}$")  # 驻俄, 驻华, 常驻: posted abroad
ADMIN_GAP = re.compile(r"^(省|市|县|区|州|镇|乡|村|旗|自治区|自治州|特别行政区|特区)$")  # 上海(市)公安局
ORG_GAP_STOP = set("的在于与和及对向给被遭将把是了从称说、")  # words that cannot be inside an institution's name
INSTITUTION_GAP = re.compile(r"^[\u4e00-\u9fff·]{2,14}$")  # 约翰斯·霍普金斯 (大学)
PLACE_PREFIX = re.compile(r"[\u4e00-\u9fff]{1,5}(?:省|市|县|区|州|镇|乡|村|旗)$")  # 沭阳县(公安局)
GROUP_TAIL = re.compile(r"[两二三四五六七八九十]国|三方|四方|双方|各方|等国")  # used with .match(view, pos)


@dataclass
class LexiconMatch:
    """One lexicon name found in the view (or a run of country abbreviations), with its entities."""

    start: int
    end: int
    key: str
    entities: list[Entity]
    kinds: dict[str, Entity] = field(default_factory=dict)  # the first entity of each kind

    def __post_init__(self) -> None:
        if not self.kinds:
            for entity in self.entities:
                self.kinds.setdefault(entity.kind, entity)

    def first(self, *kinds: str) -> Entity | None:
        for kind in kinds:
            entity = self.kinds.get(kind)
            if entity is not None:
                return entity
        return None


class Compounds:
    """Merge the lexicon matches starting at one into a mention."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon

    def __call__(self, view: str, tokens: list[LexiconMatch], i: int, date: str | None,
                 predicates: set[int], verb_ends: set[int], counts: Occurrences) -> tuple[int, Actor | None]:
        """Merge tokens[i:] into one mention; return the index after it and the mention."""
        first = tokens[i]
        if first.kinds.get("pronoun") and len(first.entities) == 1:
            pronoun = first.entities[0].pronoun
            if pronoun == "person" and not _standalone_pronoun(view, first.start, first.end):
                return i + 1, None
            if first.key == "其" and not _object_qi(view, first.start):
                return i + 1, None
            return i + 1, Actor(first.start, first.end, None, None, None, pronoun, "pronoun")
        if first.entities and first.entities[0].kind == "group":
            members = [Actor(first.start, first.end, e.country, e.country, None, None, "country")
                       for e in first.entities[1:]]
            end, role = first.end, None
            tail = GROUP_TAIL.match(view, end)
            if tail:
                end = tail.end()
            while i + 1 < len(tokens) and tokens[i + 1].start < end:
                i += 1  # 两国 inside 俄美两国 is part of the group, not a pronoun
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.start == end and nxt.kinds.get("role"):
                role = nxt.kinds.get("role").role.role
                end = nxt.end
                i += 1
            for m in members:
                m.role, m.code, m.end = role, actor_code(m.country, role), end
            return i + 1, Actor(first.start, end, None, None, role, None, "group", members=members)

        country: str | None = None
        role: str | None = None
        org_code: str | None = None
        person = None
        kind = None
        title_end: int | None = None
        j = i
        end = first.start
        while j < len(tokens):
            tok = tokens[j]
            gap = view[end:tok.start]
            if j > i and gap in ("驻", "常驻") and (tok.kinds.get("country") or tok.kinds.get("place")
                                                  or tok.kinds.get("organisation")):
                end = tok.end  # 美国驻叙利亚(大使), 中国常驻联合国(代表): where the post is, not whose it is
                j += 1
                continue
            posted = tok.kinds.get("compound")
            if j > i and gap in ("驻", "常驻") and posted is not None and posted.role is not None and role is None:
                role = posted.role.role  # 美国驻俄大使: 俄大使 is the post, the envoy is American
                title_end = tok.end if posted.role.kind == "title" else None
                kind, end = "role", tok.end
                j += 1
                continue
            if j > i and POSTED_GAP.match(gap) and tok.kinds.get("role"):
                gap = ""  # 美国驻俄大使, 中国驻港部队
            if j > i and not TITLE_GAP.match(gap):
                role_entity = tok.kinds.get("role")
                institution = role_entity is not None and role_entity.role is not None \
                    and role_entity.role.kind == "body" \
                    and (role_entity.role.role in ("EDU", "BUS", "MED", "NGO", "COP", "JUD")
                         or (not any(c in ORG_GAP_STOP for c in gap)  # 高雄市电子商业同业公会考察团
                             and not any(p in predicates for p in range(end, tok.start))))
                administrative = kind == "place" and role is None and role_entity is not None \
                    and ADMIN_GAP.match(gap) is not None
                if not (institution and country and role is None and INSTITUTION_GAP.match(gap)) \
                        and not administrative:
                    break
            person_entity = tok.kinds.get("person")
            if person_entity and person_entity.person:
                person = person_entity.person
                end = tok.end
                j += 1
                break  # a name closes the compound
            compound = tok.kinds.get("compound")
            org = tok.kinds.get("organisation")
            country_entity = tok.kinds.get("country")
            role_entity = tok.kinds.get("role")
            place_entity = tok.kinds.get("place")
            if j == i or (role is None and org_code is None and person is None):
                if compound and compound.role and country is None:
                    country, role = compound.country, compound.role.role
                    title_end = tok.end if compound.role.kind == "title" else None
                    kind = kind or "organisation"
                elif org and org.code:
                    org_code = org.code
                    kind = "organisation"
                elif country_entity and country is None and j == i:
                    country, kind = country_entity.country, "country"
                elif place_entity and place_entity.place and country is None and j == i:
                    country, kind = place_entity.place.country, "place"
                elif role_entity and role_entity.role:
                    role = role_entity.role.role
                    title_end = tok.end if role_entity.role.kind == "title" else None
                    kind = "role"
                    country = country or role_entity.role.country  # 市委书记 is China's
                elif tok.kinds.get("pronoun"):
                    break
                else:
                    break
            elif role_entity and role_entity.role:
                generic = role_entity.role.kind == "title" and (
                    (role_entity.role.role == "GOV" and role not in ("GOV", "CVL"))  # 反对派领袖, 警方发言人
                    or role_entity.role.role == "CVL")  # 总统顾问, 公司会计: an ordinary word keeps the role before it
                member = role_entity.role.role == "CVL" and org_code is not None  # 民主派人士: the camp's people
                if not (generic and role) and not member:
                    role = role_entity.role.role
                country = country or role_entity.role.country
                title_end = tok.end if role_entity.role.kind == "title" else None
                kind = "role"
            elif org and org.code and org_code is None and (role is None or gap == "、"):
                org_code, kind = org.code, "organisation"  # 国务委员、外交部部长王毅: titles in a row
            else:
                break
            end = tok.end
            j += 1
        if j == i:  # nothing usable at tokens[i] (a lone pronoun-like word or a verb-like name)
            return i + 1, None

        if country is None and org_code is None and kind == "role":
            prefix = PLACE_PREFIX.search(view, max(0, first.start - 7), first.start)
            previous_end = tokens[i - 1].end if i > 0 else 0
            start = prefix.start() if prefix is not None else first.start
            while start < first.start and view[start] in LOCAL_NAME_STOP:
                start += 1  # 经城关公安: 经 is a preposition, not part of the place
            if prefix is not None and start >= previous_end and first.start - start >= 2:
                first = LexiconMatch(start, first.end, first.key, first.entities)  # 沭阳县公安局: one actor
            elif role in ("COP", "JUD") and _is_body(first):
                # 西湖县三桥派出所, 滨江警方, 城关公安刑警大队: a local name before the police or a court
                start = local_name_before(view, first.start, max(previous_end, first.start - 8), predicates,
                                          verb_ends)
                if first.start - start >= 2:
                    first = LexiconMatch(start, first.end, first.key, first.entities)
        name = None
        if person is None and title_end is not None and title_end == end:
            # a token right after a middle dot is part of the name (阿卜杜勒·法塔赫·塞西)
            k = j
            while k < len(tokens) and tokens[k].start > end and view[tokens[k].start - 1] == "·":
                k += 1
            stop_at = tokens[k].start if k < len(tokens) else len(view)
            home = country or (org_code or "")[:3] or None
            cjk = home in CJK_NAMES if home else (True if role in ("CVL", "CRM", "COP", "BUS", "JUD") else None)
            found = discover_name(view, end, stop_at, cjk is True, predicates)
            if found and not self.lexicon.plausible_name(view[end:found], cjk):
                found = None
                if cjk is None:  # no country: try a Chinese-style name (发言人杨毅)
                    found = discover_name(view, end, stop_at, True, predicates)
                    if found and not self.lexicon.plausible_name(view[end:found], True):
                        found = None
            if found and found - end == 3 and cjk is not False and counts(view[end:found - 1]) > counts(
                    view[end:found]):
                found -= 1  # 男友刘强交往…刘强以…: the two-character name recurs on its own
            if found:
                name = view[end:found]
                end = found
                kind = "person"
                while j < len(tokens) and tokens[j].start < end:
                    j += 1
        if person is not None:
            held = person.role_at(date)
            code = held.code
            country = code[:3] if not code.startswith(("IGO", "NGO", "IMG", "MNC")) else code[:6]
            role_code = code[len(country):][:3] or None
            return j, Actor(first.start, end, code, country, role_code, person.name, "person")
        if org_code:
            if country and not org_code.startswith(("IGO", "NGO", "IMG", "MNC")) and org_code[:3] != country:
                pass  # 美国 + 新华社: keep the institution's own country
            org_country = org_code[:6] if org_code.startswith(("IGO", "NGO", "IMG", "MNC")) else org_code[:3]
            org_role = org_code[len(org_country):][:3] or None
            transnational = org_code.startswith(("IGO", "NGO", "IMG", "MNC"))
            if role and kind in ("role", "person") and not transnational:  # 国际货币基金组织总裁 is IGOIMF
                org_role = role if role not in ("GOV",) or not org_role else org_role
            code = org_country + (org_role or "")
            return j, Actor(first.start, end, code, org_country, org_role, name or view[first.start:end],
                            "person" if name else "organisation", discovered=bool(name))
        if kind == "place" and role is None and name is None:
            place = first.kinds.get("place")
            capital = place is not None and place.place is not None and place.place.kind == "capital"
            # a capital can stand for its government (莫斯科表示支持); the events stage decides by position
            return j, Actor(first.start, end, actor_code(country, "GOV") if capital else None, country,
                            "GOV" if capital else None, view[first.start:end], "place")
        return j, Actor(first.start, end, actor_code(country, role), country, role,
                        name or view[first.start:end], "person" if name else (kind or "role"), discovered=bool(name))


class Occurrences:
    """``view.count(s)`` for the short strings whose counts the name discovery compares (2 and 3 characters),
    in time that does not grow with the view: a long view's 2- and 3-character sequences are counted once."""

    LONG = 20_000  # characters: a shorter view is simply searched

    def __init__(self, view: str) -> None:
        self._view = view
        self._grams: dict[int, np.ndarray] = {}
        self._cache: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        n = len(text)
        if len(self._view) < self.LONG or n not in (2, 3):
            return self._view.count(text)
        if text[0] == text[-1]:  # 哈哈, 王小王: occurrences may overlap, which str.count does not count
            if text not in self._cache:
                self._cache[text] = self._view.count(text)
            return self._cache[text]
        grams = self._grams.get(n)
        if grams is None:
            grams = self._grams[n] = np.sort(_gram_keys(self._view, n))
        key = _gram_keys(text, n)
        return int(np.searchsorted(grams, key, "right")[0] - np.searchsorted(grams, key, "left")[0])


def _gram_keys(text: str, n: int) -> np.ndarray:
    """One integer per ``n``-character sequence of ``text`` (code points are 21 bits, so three fit in 64)."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    keys = codes[: len(codes) - n + 1].copy()
    for k in range(1, n):
        keys = (keys << 21) | codes[k : len(codes) - n + 1 + k]
    return keys


def _is_body(token: LexiconMatch) -> bool:
    entity = token.kinds.get("role")
    return entity is not None and entity.role is not None and entity.role.kind == "body"


def _object_qi(view: str, start: int) -> bool:
    """其 as a pronoun object (将其抓获, 对其进行处罚, 现其已被拘留), not 其他 / 其中 / 其实."""
    before = view[start - 1] if start else ""
    after = view[start + 1] if start + 1 < len(view) else ""
    return before in "将把对使令让给向与现后并" and after not in "他它中实次余后间"


def _standalone_pronoun(view: str, start: int, end: int) -> bool:
    before = view[start - 1] if start else ""
    after = view[end] if end < len(view) else ""
    return before not in "其吉" and after not in "国人乡方者们处日时"
