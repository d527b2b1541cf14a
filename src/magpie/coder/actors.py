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

This stage strings the steps together; the compound builder is compounds.py, name discovery names.py.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left

import ahocorasick_rs

from ..document import Actor, Document, PlaceMention
from ..document import Place as PlaceValue
from ..lexicon import Entity, Lexicon
from .compounds import GROUP_TAIL, Compounds, LexiconMatch, Occurrences
from .grammar import TEAM_TAILS
from .names import Covered, Names, actor_code

WORD_START_AFTER = set("与同和跟及对向给为据在于被遭由将把、等是的了")  # a word may start right after these
COUNT_PEOPLE = re.compile(
    r"(?<![\d.])(?:\d+(?:\.\d+)?[十百千万亿]*|[一二两三四五六七八九十百千万几数]+)(?:余|多)?(?:名|位)?人(?![民大士员类])"
)
COORD = re.compile(r"^(、|和|与|及|以及|同|，|,)$")


class Actors:
    """Find actor mentions and places in the view."""

    name = "actors"

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        shorts = "".join(sorted(lexicon.short_to_country))
        self._short_run = re.compile(
            rf"(?<![{re.escape(shorts)}])([{re.escape(shorts)}]{{2,4}})(?=[两二三四五六七八九十]国|双方|三方|关系|领导人|总统|元首|首脑|外长|防长|边境|联合|峰会|会谈|官方|合作|对话|交往|冲突|贸易|军事|已|均|各)"
        ) if shorts else None
        self._compound = Compounds(lexicon)
        self._names = Names(lexicon)

    def __call__(self, doc: Document) -> Document:
        view = doc.view
        kinds, entities = self.lexicon.entity_kinds, self.lexicon.entities
        # a blocker (nonnames.tsv) has done its work once it has won the match: it is no token
        tokens = [LexiconMatch(s, e, k, entities[k], kinds[k]) for s, e, k in self.lexicon.find_entities(view)
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
        counts = Occurrences(view)
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
        mentions.extend(self._names.sides(view, mentions))
        mentions.sort(key=lambda m: m.start)
        mentions = self._names.firms(view, mentions, verb_ends, predicates)
        # 中国队, 德国女足: a country or city named for its sports team is no political actor
        mentions = [m for m in mentions if not (m.kind in ("country", "place") and view.startswith(TEAM_TAILS, m.end))]
        mentions = self._groups(view, mentions)
        triggers = {s for s, _, k in doc.predicates if k in self.lexicon.verbs}
        for bare in self._names.bare_names(view, mentions, predicates, triggers):
            mentions.append(bare)
            aliases.setdefault(bare.name or "", bare)
        for named in self._names.model_names(view, doc.tokens, mentions, predicates):
            if named.name in aliases:
                continue  # a name the document already introduced: its later mentions follow the first
            mentions.append(named)
            aliases.setdefault(named.name or "", named)
        taken = Covered(len(view), mentions)
        for match in COUNT_PEOPLE.finditer(view):  # 刑拘5人, 49000人罢工: a number of people are civilians
            if not taken.overlaps(match.start(), match.end()):
                mentions.append(Actor(match.start(), match.end(), None, None, "CVL", view[match.start():match.end()],
                                      "role"))
        for pseudonym in self._names.pseudonyms(view, mentions, predicates):
            mentions.append(pseudonym)
        mentions.sort(key=lambda m: m.start)
        mentions = self._follow_aliases(view, mentions, aliases)
        doc.actors = mentions
        doc.places = places
        return doc

    # ------------------------------------------------------------------ pieces
    def _unglue(self, view: str, tokens: list[LexiconMatch], verb_ends: set[int]) -> list[LexiconMatch]:
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
                        out.append(LexiconMatch(tok.start + 1, tok.end, rest, self.lexicon.entities[rest]))
                    continue
            out.append(tok)
        return out

    def _abbreviation_groups(self, view: str, tokens: list[LexiconMatch], verb_ends: set[int]) -> list[LexiconMatch]:
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
            groups.append(LexiconMatch(m.start(), m.end(), chars, [Entity("group"), *entities]))
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
                members = [Actor(m.start, m.end, m.code if role is None else actor_code(m.country, role),
                                 m.country, role or m.role, m.name, m.kind) for m in run]
                out.append(Actor(run[0].start, end, None, None, role, None, "group", members=members))
                i = j
                continue
            out.append(mentions[i])
            i += 1
        return out

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
        covered = Covered(len(view), mentions)
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


def _aliases(name: str) -> list[str]:
    parts = [p for p in name.split("·") if len(p) >= 2]
    out = [name]
    if len(parts) > 1:
        out.extend([parts[0], parts[-1]])
    return out
