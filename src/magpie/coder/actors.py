"""Actor recognition: lexicon matches, compounds, discovered names and in-document aliases.

1. Every lexicon name is found in the Simplified view (one Aho–Corasick pass).
2. Adjacent pieces are merged into one mention: ``<place or country><institution><title><name>``
   (俄罗斯总统普京, 中国外交部副部长张志军, 天津市委书记张高丽, 美国…大学研究员伊里亚德·科恩).
3. An unknown name after a title is discovered from how Chinese news introduces people, and its
   short forms (巴沙尔 after 巴沙尔·阿萨德) are followed through the article.
4. Lists of countries (俄美两国, 俄罗斯、伊朗和土耳其三国领导人) become group mentions.
5. Persons and organisations the learnt lexical layer (tokens.py) finds and no lexicon entry covers are
   added as discovered names (王明公开向李华道歉); the lexicon wins where it knows the entity.
Pronouns (后者, 双方, 他) are kept as mentions here and resolved by the coreference stage.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass, field

import ahocorasick_rs
import numpy as np

from ..document import Actor, Document, PlaceMention, Token
from ..document import Place as PlaceValue
from ..lexicon import Entity, Lexicon
from .grammar import TEAM_TAILS

CJK_NAMES = {"CHN", "TWN", "HKG", "MAC", "SGP", "KOR", "PRK", "JPN", "VNM"}
NAME_STOP = set("在于与同和跟对向的是也都已将曾还就为从被把今昨明前日月年上下近等一并又再正及以说称表指认则而亦即均应共"
                "因已当由自这那其此该各每个等、，,。；;：:！？!?“”‘’《》（）() \n\t")
NAME_NEVER_FIRST = set("和与及或的了在是也都就被把将从对给为并等、，。")  # function words, none a common surname
NOT_AFTER_MING = set("天日年确显白晚早后")  # 明天, 明确: 明 begins the next word, it ends no name
THIRD_CHAR_STOP = set("回说表指认称会访出强就介告答谈致宣发主率抵陪透坦重呼敦谴批感祝欢")
TITLE_GAP = re.compile(r"^(前|原|新任|现任|代理|时任|首任|候任|署理|常务|兼|、|籍|籍的)?$")  # 中国籍逃犯
POSTED_GAP = re.compile(r"^(常)?驻[\u4e00-\u9fff]{0,2}$")  # 驻俄, 驻华, 常驻: posted abroad
ADMIN_GAP = re.compile(r"^(省|市|县|区|州|镇|乡|村|旗|自治区|自治州|特别行政区|特区)$")  # 上海(市)公安局
ORG_GAP_STOP = set("的在于与和及对向给被遭将把是了从称说、")  # words that cannot be inside an institution's name
INSTITUTION_GAP = re.compile(r"^[\u4e00-\u9fff·]{2,14}$")  # 约翰斯·霍普金斯 (大学)
# an untitled name starts a clause, or stands right after a verb of the courts and police (判处钱志远有期徒刑)
BARE_NAME = re.compile(r"(?:^|(?<=[，。；：、\s“”（(])|(?<=判处|认定|宣判|逮捕|起诉|拘留|刑拘|抓获))"
                       r"(?=([\u4e00-\u9fff]{2,3}))")
BARE_NEXT = ("在", "于", "与", "同", "和", "、", "等", "一行", "率团", "应邀", "日前", "近日", "今天", "昨天",
             "有期徒刑", "无期徒刑", "死刑", "死缓", "拘役", "犯", "获刑", "入狱", "坐牢", "酒驾", "醉驾",
             "被", "因", "涉嫌", "遭")
WORD_START_AFTER = set("与同和跟及对向给为据在于被遭由将把、等是的了")  # a word may start right after these
PLACE_PREFIX = re.compile(r"[\u4e00-\u9fff]{1,5}(?:省|市|县|区|州|镇|乡|村|旗)$")  # 沭阳县(公安局)
COUNT_PEOPLE = re.compile(
    r"(?<![\d.])(?:\d+(?:\.\d+)?[十百千万亿]*|[一二两三四五六七八九十百千万几数]+)(?:余|多)?(?:名|位)?人(?![民大士员类])"
)
# 王某, 李某某, 钱某峰: the anonymised names of mainland crime and court news (not 某地, 某公司, 某些)
PSEUDONYM = re.compile(r"([\u4e00-\u9fff])某(某|[\u4e00-\u9fff])?")
NOT_PSEUDONYM_NEXT = set("地处市县村区镇乡省公单种些个位名天日年月时所店酒银医学院厂部门项类方样次")
# 王某家中, 王某随后: the character after 某 is not part of the name
NOT_GIVEN_NAME = NOT_PSEUDONYM_NEXT | set("家中里内外人们随现系乃均亦仍遂便才终竟又再也还都")
# the role words that end a company's name (石油公司, 某某科技(深圳)有限公司, 城市银行); the name before
# them is taken back to the nearest punctuation, function word or verb
FIRM_SUFFIXES = ("公司", "有限公司", "股份有限公司", "有限责任公司", "集团", "控股", "银行",
                 "科技公司", "商会")
CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
FIRM_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()（）·&]")
LOCAL_NAME_STOP = set("与同和跟及对向给为据在于被遭由将把、等是的了从称说其经并已均都也还就今昨前后近日月年到去往来")
FIRM_NOT_NEXT = set("卡账法军权股")  # 银行卡, 公司法, 集团军, 控股权: the word goes on, it is no firm
FIRM_STOP = set("与同和跟及对向给为据在于被遭由将把、等是的了从称说其诉")
COORD = re.compile(r"^(、|和|与|及|以及|同|，|,)$")
SIDE = re.compile(r"[\u4e00-\u9fff]方")  # 马方: "the X side", X a country's first character
GROUP_TAIL = re.compile(r"[两二三四五六七八九十]国|三方|四方|双方|各方|等国")  # used with .match(view, pos)


@dataclass
class _Token:
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


def _code(country: str | None, role: str | None) -> str | None:
    if not country:
        return None
    return country + (role or "")


class Actors:
    """Find actor mentions and places in the view."""

    name = "actors"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        shorts = "".join(sorted(lexicon.short_to_country))
        self._short_run = re.compile(
            rf"(?<![{re.escape(shorts)}])([{re.escape(shorts)}]{{2,4}})(?=[两二三四五六七八九十]国|双方|三方|关系|领导人|总统|元首|首脑|外长|防长|边境|联合|峰会|会谈|官方|合作|对话|交往|冲突|贸易|军事|已|均|各)"
        ) if shorts else None

        # 岸田 for 岸田文雄: the family name of a listed four-character (Japanese-style) name is no new person
        self._family_names = frozenset(name[:2] for name, found in lexicon.entities.items() if len(name) == 4
                                       and any(e.kind == "person" for e in found))

    def __call__(self, doc: Document) -> Document:
        view = doc.view
        kinds, entities = self.lexicon.entity_kinds, self.lexicon.entities
        # a blocker (nonnames.tsv) has done its work once it has won the match: it is no token
        tokens = [_Token(s, e, k, entities[k], kinds[k]) for s, e, k in self.lexicon.find_entities(view)
                  if "blocker" not in kinds[k] or len(kinds[k]) > 1]
        if not doc.predicates:
            doc.predicates = list(self.lexicon.find_predicates(view))
        predicates = {s for s, _, _ in doc.predicates}  # where trigger and cue words begin
        verb_ends = {e for _, e, _ in doc.predicates}
        tokens = self._abbreviation_groups(view, tokens, verb_ends)
        tokens = self._unglue(view, tokens, verb_ends)
        mentions: list[Actor] = []
        places: list[PlaceMention] = []
        aliases: dict[str, Actor] = {}
        date = doc.published
        counts = _Occurrences(view)
        i = 0
        while i < len(tokens):
            j, mention = self._compound(view, tokens, i, date, predicates, verb_ends, counts)
            if mention is None:
                i = j
                continue
            place_entity = tokens[i].kinds.get("place")
            if place_entity and place_entity.place and j == i + 1:
                p = place_entity.place
                places.append(PlaceMention(mention.start, mention.end,
                                           PlaceValue(p.name, p.country, p.lat, p.lon), p.kind))
            elif tokens[i].kinds.get("country") and j == i + 1:
                country = tokens[i].kinds.get("country").country
                places.append(PlaceMention(mention.start, mention.end,
                                           PlaceValue(view[mention.start:mention.end], country, None, None),
                                           "country"))
            mentions.append(mention)
            if mention.kind == "person" and mention.name:
                for alias in _aliases(mention.name):
                    aliases.setdefault(alias, mention)
            i = j
        mentions.extend(self._sides(view, mentions))
        mentions.sort(key=lambda m: m.start)
        mentions = self._firms(view, mentions, verb_ends, predicates)
        # 中国队, 德国女足: a country or city named for its sports team is no political actor
        mentions = [m for m in mentions if not (m.kind in ("country", "place") and view.startswith(TEAM_TAILS, m.end))]
        mentions = self._groups(view, mentions)
        triggers = {s for s, _, k in doc.predicates if k in self.lexicon.verbs}
        for bare in self._bare_names(view, mentions, predicates, triggers):
            mentions.append(bare)
            aliases.setdefault(bare.name or "", bare)
        for named in self._model_names(view, doc.tokens, mentions, predicates):
            if named.name in aliases:
                continue  # a name the document already introduced: its later mentions follow the first
            mentions.append(named)
            aliases.setdefault(named.name or "", named)
        taken = _Covered(len(view), mentions)
        for match in COUNT_PEOPLE.finditer(view):  # 刑拘5人, 49000人罢工: a number of people are civilians
            if not taken.overlaps(match.start(), match.end()):
                mentions.append(Actor(match.start(), match.end(), None, None, "CVL", view[match.start():match.end()],
                                      "role"))
        for pseudonym in self._pseudonyms(view, mentions, predicates):
            mentions.append(pseudonym)
        mentions.sort(key=lambda m: m.start)
        mentions = self._follow_aliases(view, mentions, aliases)
        doc.actors = mentions
        doc.places = places
        return doc

    # ------------------------------------------------------------------ pieces
    def _unglue(self, view: str, tokens: list[_Token], verb_ends: set[int]) -> list[_Token]:
        """日民警 in 5日民警: a one-character abbreviation right after a digit is the end of a date, not a country;
        城西警方, 丰台警方: one inside a local name before the police or a court is no country either. The role
        stands alone. (Other word-internal cases such as 违法男子 are blocked in nonnames.tsv.)"""
        out = []
        for tok in tokens:
            compound = tok.kinds.get("compound")
            if compound and len(tok.key) >= 2 and tok.start > 0:
                before = view[tok.start - 1]
                local = compound.role is not None and compound.role.role in ("COP", "JUD") \
                    and "\u4e00" <= before <= "\u9fff" and before not in WORD_START_AFTER \
                    and tok.start not in verb_ends
                if before.isdigit() or local:
                    rest = tok.key[1:]
                    if rest in self.lexicon.entities:
                        out.append(_Token(tok.start + 1, tok.end, rest, self.lexicon.entities[rest]))
                    continue
            out.append(tok)
        return out

    def _abbreviation_groups(self, view: str, tokens: list[_Token], verb_ends: set[int]) -> list[_Token]:
        """俄美两国, 中朝关系, 谴责美韩联合军演: a run of country abbreviations that starts a word — after
        punctuation, a function word or a verb, never inside a word (今日中美 is not Japan, China, USA)."""
        if self._short_run is None:
            return tokens
        groups = []
        for m in self._short_run.finditer(view):
            chars = m.group(1)
            before = view[m.start() - 1] if m.start() else ""
            if "\u4e00" <= before <= "\u9fff" and m.start() not in verb_ends and before not in WORD_START_AFTER:
                continue
            countries = [self.lexicon.short_to_country[c] for c in chars]
            if len(set(countries)) != len(countries):
                continue
            entities = [Entity("country", country=c) for c in countries]
            groups.append(_Token(m.start(), m.end(), chars, [Entity("group"), *entities]))
        if not groups:
            return tokens
        # the groups are matches of one pattern: in text order and apart, so the last one to start before a
        # token ends is the only one that can overlap it
        group_starts = [g.start for g in groups]
        out = []
        for t in tokens:
            k = bisect_left(group_starts, t.end) - 1
            if k < 0 or groups[k].end <= t.start:
                out.append(t)
        return sorted(out + groups, key=lambda t: t.start)

    def _compound(self, view: str, tokens: list[_Token], i: int, date: str | None,
                  predicates: set[int], verb_ends: set[int], counts: _Occurrences) -> tuple[int, Actor | None]:
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
                m.role, m.code, m.end = role, _code(m.country, role), end
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
                first = _Token(start, first.end, first.key, first.entities)  # 沭阳县公安局: one actor
            elif role in ("COP", "JUD") and _is_body(first):
                # 西湖县三桥派出所, 滨江警方, 城关公安刑警大队: a local name before the police or a court
                start = _local_name_before(view, first.start, max(previous_end, first.start - 8), predicates,
                                           verb_ends)
                if first.start - start >= 2:
                    first = _Token(start, first.end, first.key, first.entities)
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
            return j, Actor(first.start, end, _code(country, "GOV") if capital else None, country,
                            "GOV" if capital else None, view[first.start:end], "place")
        return j, Actor(first.start, end, _code(country, role), country, role,
                        name or view[first.start:end], "person" if name else (kind or "role"), discovered=bool(name))

    def _groups(self, view: str, mentions: list[Actor]) -> list[Actor]:
        """A、B和C(三国)(领导人): coordinated countries become one group mention."""
        out: list[Actor] = []
        i = 0
        while i < len(mentions):
            run = [mentions[i]]
            j = i + 1
            while j < len(mentions) and run[-1].kind in ("country", "organisation") and \
                    mentions[j].kind == run[-1].kind and COORD.match(view[run[-1].end:mentions[j].start]):
                run.append(mentions[j])
                j += 1
            separators = [view[a.end:b.start] for a, b in itertools.pairwise(run)]
            tail = GROUP_TAIL.match(view, run[-1].end) if len(run) > 1 else None
            if len(run) > 1 and (tail or "、" in separators):
                end = tail.end() if tail else run[-1].end
                role = None
                nxt = mentions[j] if j < len(mentions) else None
                if tail and nxt is not None and nxt.start == end and nxt.kind == "role":
                    role, end = nxt.role, nxt.end
                    j += 1
                members = [Actor(m.start, m.end, m.code if role is None else _code(m.country, role),
                                 m.country, role or m.role, m.name, m.kind) for m in run]
                out.append(Actor(run[0].start, end, None, None, role, None, "group", members=members))
                i = j
                continue
            out.append(mentions[i])
            i += 1
        return out

    def _bare_names(self, view: str, mentions: list[Actor], predicates: set[int], triggers: set[int]) -> list[Actor]:
        """沈跃跃会见…, 陈爱莲在上海会见…, 判处钱志远有期徒刑: a Chinese name with no title, at the start of a
        clause or after a verb of the courts and police, and right before a verb, 在/于/与/等 or a sentence
        (有期徒刑). Its country is the article's, decided when it takes part in an event. The surname is one of
        the listed people's, or any Chinese surname when an event verb follows at once (于海田会见…)."""
        taken = bytearray(len(view) + 1)
        for m in mentions:
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        strict, loose = self.lexicon.people_surnames, self.lexicon.surnames
        found = []
        for match in BARE_NAME.finditer(view):
            start = match.start(1)
            if view[start] not in loose or taken[start] or start in predicates:
                continue
            for length in (3, 2):
                end = start + length
                name = view[start:end]
                if len(name) < length or not _bare_follow(view, end, predicates) or any(taken[start:end]):
                    continue
                if view[start] not in strict and end not in triggers:
                    continue  # 包机将从…: a rarer surname needs an event verb right after the name
                if name in self.lexicon.entities or any(c in NAME_STOP for c in name[1:]) \
                        or any(p in predicates for p in range(start + 1, end)) \
                        or not self.lexicon.plausible_name(name, True):
                    continue
                found.append(Actor(start, end, None, None, None, name, "person", discovered=True))
                taken[start:end] = b"\x01" * length
                break
        return found

    def _sides(self, view: str, mentions: list[Actor]) -> list[Actor]:
        """马方 in an article about the Maldives: X方 ("the X side") for a country named in the document whose name
        begins with X, when the lexicon has no X方 (one character can abbreviate several countries: 马 is Malaysia's
        and the Maldives'); only when exactly one country the document names begins with it."""
        initials: dict[str, set[str]] = {}
        for mention in mentions:
            for actor in mention.expand():
                country = self.lexicon.countries.get(actor.country or "")
                if country is not None:
                    for name in country.names:
                        initials.setdefault(name[0], set()).add(country.code)
        if not initials:
            return []
        taken = _Covered(len(view), mentions)
        found = []
        for match in SIDE.finditer(view):
            start = match.start()
            codes = initials.get(view[start], set())
            if len(codes) != 1 or match.group() in self.lexicon.entities or taken.overlaps(start, start + 2):
                continue
            (code,) = codes
            found.append(Actor(start, start + 2, code + "GOV", code, "GOV", None, "organisation"))
        return found

    def _model_names(self, view: str, tokens: list[Token], mentions: list[Actor], predicates: set[int]) -> list[Actor]:
        """Names the learnt lexical layer finds that no lexicon entry or rule has (the lexicon wins where it knows
        the entity). A person (PER): a Chinese-style name only — a surname, two or three characters, no function
        word inside (王明公开向李华道歉). An organisation (ORG) of three characters or more: its role from the body
        word that ends it (东区法院 JUD, 长荣航空公司 BUS), else none. The country of either is decided as for any
        discovered name, when it takes part in an event (the article's home)."""
        if not tokens:
            return []
        taken = _Covered(len(view), mentions)
        mention_starts = sorted(m.start for m in mentions)
        found = []
        for token in tokens:
            if token.tag not in ("PER", "ORG") or taken.overlaps(token.start, token.end):
                continue
            k = bisect_left(mention_starts, token.end)
            if k < len(mention_starts) and TITLE_GAP.match(view[token.end:mention_starts[k]]):
                continue  # 明家犯罪集团, 省电视台原台长周某: the name modifies the actor right after it
            name = view[token.start:token.end]
            if any(p in predicates for p in range(token.start, token.end)):
                continue  # an event or cue word inside: the model's span is wrong
            if token.tag == "ORG":
                if len(name) < 3:
                    continue
                person = Actor(token.start, token.end, None, None, self._body_role(name), name, "organisation",
                               discovered=True)
            elif 2 <= len(name) <= 3 and name not in self.lexicon.entities and name not in self._family_names \
                    and not any(c in NAME_STOP for c in name) and self.lexicon.plausible_name(name, True):
                person = Actor(token.start, token.end, None, None, None, name, "person", discovered=True)
            else:
                continue
            found.append(person)
            taken.add(token.start, token.end)
        return found

    def _body_role(self, name: str) -> str | None:
        """The role of an organisation by the body word that ends its name (roles.tsv): 长荣航空公司 BUS,
        东区法院 JUD, 空服员职业工会 LAB; None when no listed body word ends it."""
        for k in range(1, len(name) - 1):
            for entity in self.lexicon.entities.get(name[k:], ()):
                if entity.kind == "role" and entity.role is not None and entity.role.kind == "body":
                    return entity.role.role
        return None

    @staticmethod
    def _firms(view: str, mentions: list[Actor], verb_ends: set[int], verb_starts: set[int]) -> list[Actor]:
        """美国一家石油公司, 远航控股: a company word and the name before it are one organisation; a country
        or place inside the name gives the firm its country."""
        out: list[Actor] = []
        starts = [a.start for a in mentions]
        in_order = all(a <= b for a, b in itertools.pairwise(starts))
        for m in mentions:
            if m.kind != "role" or m.role != "BUS" or view[m.start:m.end] not in FIRM_SUFFIXES \
                    or view[m.end:m.end + 1] in FIRM_NOT_NEXT:
                out.append(m)
                continue
            start = _name_before(view, m.start, max(0, m.start - 14), verb_starts, verb_ends, FIRM_NAME_CHAR, FIRM_STOP)
            while out and out[-1].start >= start and out[-1].end <= m.start and out[-1].kind in ("country", "place",
                                                                                             "organisation", "role"):
                inner = out.pop()
                start = min(start, inner.start)
            if start == m.start:
                out.append(m)
                continue
            # the mentions inside the name: those that start from ``start`` on (in text order, found by bisect)
            window = mentions[bisect_left(starts, start):bisect_left(starts, m.start + 1)] if in_order else mentions
            inside = [a for a in window if start <= a.start and a.end <= m.start and a.kind in ("country", "place")]
            country = inside[0].country if inside and inside[0].country and len(inside[0].country) == 3 else None
            out.append(Actor(start, m.end, _code(country, "BUS"), country, "BUS", view[start:m.end], "organisation"))
        return out

    def _pseudonyms(self, view: str, mentions: list[Actor], predicates: set[int]) -> list[Actor]:
        """王某, 李某某, 钱某峰: a surname and 某 stand for a person the report does not name."""
        if "某" not in view:
            return []
        taken = _Covered(len(view), mentions)
        found = []
        for match in PSEUDONYM.finditer(view):
            start, end = match.start(), match.end()
            given = match.group(2)
            if given and given != "某" and (given in NAME_STOP or given in NOT_GIVEN_NAME or end - 1 in predicates):
                end -= 1  # 王某在…, 王某被…: the next character is not part of the name
                given = None
            if view[start] not in self.lexicon.surnames or (end == start + 2 and end < len(view)
                                                               and view[end] in NOT_PSEUDONYM_NEXT):
                continue
            if taken.overlaps(start, end):
                continue
            found.append(Actor(start, end, None, None, None, view[start:end], "person", discovered=True))
        return found

    @staticmethod
    def _follow_aliases(view: str, mentions: list[Actor], aliases: dict[str, Actor]) -> list[Actor]:
        """Every later occurrence of a name or its short form (巴沙尔 after 巴沙尔·阿萨德) not inside another
        mention is a mention of that person. The names are taken in the order they were introduced, each one's
        occurrences from left to right and apart (as ``str.find`` steps through them), and an occurrence
        claimed by an earlier name is not claimed again: all the names are found in one pass over the text."""
        names = [alias for alias in aliases if alias]
        if not names:
            return mentions
        # every occurrence of every name, overlapping ones included, by name
        found: list[list[int]] = [[] for _ in names]
        matcher = ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.Standard)
        for index, start, _ in matcher.find_matches_as_indexes(view, overlapping=True):
            found[index].append(start)
        covered = _Covered(len(view), mentions)
        extra = []
        for alias, starts in zip(names, found, strict=True):
            antecedent = aliases[alias]
            after = 0  # the next occurrence str.find would return starts here or later
            for start in sorted(starts):
                if start < after:
                    continue
                end = after = start + len(alias)
                if not covered.overlaps(start, end):
                    extra.append(Actor(start, end, antecedent.code, antecedent.country, antecedent.role,
                                       antecedent.name, "person", antecedent=antecedent,
                                       discovered=antecedent.discovered))
                    covered.add(start, end)
        return sorted(mentions + extra, key=lambda m: m.start)


class _Covered:
    """The character spans of a set of mentions, to ask whether a new span overlaps any of them in time that
    depends on the new span's length only (not on how many mentions there are)."""

    def __init__(self, length: int, mentions: list[Actor]) -> None:
        self._mask = bytearray(length + 1)
        self._points: set[int] = set()  # empty spans, which overlap a span only strictly inside it
        for m in mentions:
            self.add(m.start, m.end)

    def add(self, start: int, end: int) -> None:
        if end > start:
            self._mask[start:end] = b"\x01" * (end - start)
        else:
            self._points.add(start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether some span (s, e) has s < end and start < e; ``start < end``."""
        return self._mask.find(1, start, end) >= 0 or any(p in self._points for p in range(start + 1, end))


class _Occurrences:
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


def _is_body(token: _Token) -> bool:
    entity = token.kinds.get("role")
    return entity is not None and entity.role is not None and entity.role.kind == "body"


def _name_before(view: str, end: int, lower: int, verb_starts: set[int], verb_ends: set[int],
                 name_char: re.Pattern[str] = CJK_CHAR, stop: set[str] = LOCAL_NAME_STOP) -> int:
    """Where a name that ends at ``end`` begins: back over its characters (``name_char``) to a function word
    (``stop``), punctuation or a verb, and no further than ``lower``."""
    start = end
    while start > lower and start not in verb_ends and name_char.match(view[start - 1]) \
            and view[start - 1] not in stop and (start - 1) not in verb_starts:
        start -= 1
    return start


def _local_name_before(view: str, end: int, lower: int, verb_starts: set[int], verb_ends: set[int]) -> int:
    """Where a local name before the police or a court begins (西湖县三桥派出所, 滨江警方)."""
    start = _name_before(view, end, lower, verb_starts, verb_ends)
    if start >= 2 and start - 1 >= lower and view[start - 1] in "和向同自于" \
            and not "\u4e00" <= view[start - 2] <= "\u9fff":
        start -= 1  # ，和平街派出所: a function word right after punctuation joins nothing, it begins the name
    return start


def _bare_follow(view: str, end: int, predicates: set[int]) -> bool:
    return end in predicates or view.startswith(BARE_NEXT, end) or (end < len(view) and view[end].isdigit())


def discover_name(view: str, start: int, limit: int, cjk: bool, predicates: set[int] | None = None) -> int | None:
    """End offset of a person's name starting at ``start`` (after a title), or None.

    The name stops at punctuation, digits, function words and wherever an event trigger or cue
    word begins (塞西通了电话 → 塞西); it is 2–3 characters for Chinese, Korean, Japanese and
    Vietnamese names, up to 8 for a transliterated name without a middle dot.
    """
    predicates = predicates or set()
    if start in predicates or (start < len(view) and view[start] in NAME_NEVER_FIRST):
        return None  # 妻子和同事聊天: 和 begins no name
    longest = 3 if cjk else 8
    i = start
    dots = 0
    while i < min(limit, len(view)):
        c = view[i]
        if c == "·":
            dots += 1
            i += 1
            continue
        if not ("\u4e00" <= c <= "\u9fff"):
            break
        if i > start and (c in NAME_STOP or i in predicates) and not (c == "明" and i - start == 2 and cjk
                                                                     and view[i + 1:i + 2] not in NOT_AFTER_MING):
            break  # 张建明 ends in 明; 张建明天 does not
        if i - start == 2 and cjk and c in THIRD_CHAR_STOP:
            break
        if not dots and i - start >= longest:
            break
        if i - start >= 24:
            break
        i += 1
    while i > start and view[i - 1] == "·":
        i -= 1
    return i if i - start >= 2 else None


def _aliases(name: str) -> list[str]:
    parts = [p for p in name.split("·") if len(p) >= 2]
    out = [name]
    if len(parts) > 1:
        out.extend([parts[0], parts[-1]])
    return out


def _object_qi(view: str, start: int) -> bool:
    """其 as a pronoun object (将其抓获, 对其进行处罚, 现其已被拘留), not 其他 / 其中 / 其实."""
    before = view[start - 1] if start else ""
    after = view[start + 1] if start + 1 < len(view) else ""
    return before in "将把对使令让给向与现后并" and after not in "他它中实次余后间"


def _standalone_pronoun(view: str, start: int, end: int) -> bool:
    before = view[start - 1] if start else ""
    after = view[end] if end < len(view) else ""
    return before not in "其吉" and after not in "国人乡方者们处日时"
