"""Name discovery: names the lexicon does not list — a name after a title (discover_name), an untitled
Chinese name at the start of a clause, a name the learnt lexical layer finds, pseudonyms (王某), "the X side"
(马方), and firms by their company word."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left

from ..document import Actor, Token
from ..lexicon import Lexicon

NAME_STOP = set("在于与同和跟对向的是也都已将曾还就为从被把今昨明前日月年上下近等一并又再正及以说称表指认则而亦即均应共"
                "因已当由自这那其此该各每个等、，,。；;：:！？!?“”‘’《》（）() \n\t")
NAME_NEVER_FIRST = set("和与及或的了在是也都就被把将从对给为并等、，。")  # function words, none a common surname
NOT_AFTER_MING = set("天日年确显白晚早后")  # 明天, 明确: 明 begins the next word, it ends no name
THIRD_CHAR_STOP = set("回说表指认称会访出强就介告答谈致宣发主率抵陪透坦重呼敦谴批感祝欢")
TITLE_GAP = re.compile(r"^(前|原|新任|现任|代理|时任|首任|候任|署理|常务|兼|、|籍|籍的)?$")  # 中国籍逃犯
# an untitled name starts a clause, or stands right after a verb of the courts and police (判处钱志远有期徒刑)
BARE_NAME = re.compile(r"(?:^|(?<=[，。；：、\s“”（(])|(?<=判处|认定|宣判|逮捕|起诉|拘留|刑拘|抓获))"
                       r"(?=([\u4e00-\u9fff]{2,3}))")
BARE_NEXT = ("在", "于", "与", "同", "和", "、", "等", "一行", "率团", "应邀", "日前", "近日", "今天", "昨天",
             "有期徒刑", "无期徒刑", "死刑", "死缓", "拘役", "犯", "获刑", "入狱", "坐牢", "酒驾", "醉驾",
             "被", "因", "涉嫌", "遭")
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
SIDE = re.compile(r"[\u4e00-\u9fff]方")  # 马方: "the X side", X a country's first character


class Names:
    """The names the lexicon does not list, found in a view around its known mentions."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        # 岸田 for 岸田文雄: the family name of a listed four-character (Japanese-style) name is no new person
        self._family_names = frozenset(name[:2] for name, found in lexicon.entities.items() if len(name) == 4
                                       and any(e.kind == "person" for e in found))

    def bare_names(self, view: str, mentions: list[Actor], predicates: set[int], triggers: set[int]) -> list[Actor]:
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

    def sides(self, view: str, mentions: list[Actor]) -> list[Actor]:
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
        taken = Covered(len(view), mentions)
        found = []
        for match in SIDE.finditer(view):
            start = match.start()
            codes = initials.get(view[start], set())
            if len(codes) != 1 or match.group() in self.lexicon.entities or taken.overlaps(start, start + 2):
                continue
            (code,) = codes
            found.append(Actor(start, start + 2, code + "GOV", code, "GOV", None, "organisation"))
        return found

    def model_names(self, view: str, tokens: list[Token], mentions: list[Actor], predicates: set[int]) -> list[Actor]:
        """Names the learnt lexical layer finds that no lexicon entry or rule has (the lexicon wins where it knows
        the entity). A person (PER): a Chinese-style name only — a surname, two or three characters, no function
        word inside (王明公开向李华道歉). An organisation (ORG) of three characters or more: its role from the body
        word that ends it (东区法院 JUD, 长荣航空公司 BUS), else none. The country of either is decided as for any
        discovered name, when it takes part in an event (the article's home)."""
        if not tokens:
            return []
        taken = Covered(len(view), mentions)
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
    def firms(view: str, mentions: list[Actor], verb_ends: set[int], verb_starts: set[int]) -> list[Actor]:
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
            start = name_before(view, m.start, max(0, m.start - 14), verb_starts, verb_ends, FIRM_NAME_CHAR, FIRM_STOP)
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
            out.append(Actor(start, m.end, actor_code(country, "BUS"), country, "BUS", view[start:m.end],
                             "organisation"))
        return out

    def pseudonyms(self, view: str, mentions: list[Actor], predicates: set[int]) -> list[Actor]:
        """王某, 李某某, 钱某峰: a surname and 某 stand for a person the report does not name."""
        if "某" not in view:
            return []
        taken = Covered(len(view), mentions)
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


def actor_code(country: str | None, role: str | None) -> str | None:
    if not country:
        return None
    return country + (role or "")


class Covered:
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


def name_before(view: str, end: int, lower: int, verb_starts: set[int], verb_ends: set[int],
                name_char: re.Pattern[str] = CJK_CHAR, stop: set[str] = LOCAL_NAME_STOP) -> int:
    """Where a name that ends at ``end`` begins: back over its characters (``name_char``) to a function word
    (``stop``), punctuation or a verb, and no further than ``lower``."""
    start = end
    while start > lower and start not in verb_ends and name_char.match(view[start - 1]) \
            and view[start - 1] not in stop and (start - 1) not in verb_starts:
        start -= 1
    return start


def local_name_before(view: str, end: int, lower: int, verb_starts: set[int], verb_ends: set[int]) -> int:
    """Where a local name before the police or a court begins (西湖县三桥派出所, 滨江警方)."""
    start = name_before(view, end, lower, verb_starts, verb_ends)
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
