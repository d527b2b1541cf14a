"""Date expressions: found in the view, resolved against the publication date.

When a document has no publication date, one is inferred from the text (a dateline, the latest
report date, the latest full date, a photo caption) and ``Document.published_inferred`` is set.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass

from ..document import DateMention, Document
from ..normalise import simplified_view

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_Y = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

DATE_RE = re.compile(
    r"(?=[\d〇零一二三四五六七八九十两昨前今明后上本这下去周星礼])"  # fail fast where no date can start
    rf"(?:(?P<ymd>(?P<y1>{_Y})年(?P<m1>{_N})月(?P<d1>{_N})[日号])"
    rf"|(?P<ym>(?P<y2>{_Y})年(?P<m2>{_N})月(?!{_N}))"
    rf"|(?P<md>(?<!\d)(?<!\d年)(?P<m3>{_N})月(?P<d3>{_N})日)"  # (今年6月12日: the year is a word of its own)
    rf"|(?P<dd>(?<![\d月年])(?P<d4>\d{{1,2}}|[一二三四五六七八九十]{{2,3}})日(?![本元]))"
    rf"|(?P<yy>(?P<y5>{_Y})年(?!\d|代|[一二三四五六七八九十]+月))"
    r"|(?P<rel>昨天|昨日|昨晚|昨夜|昨早|前天|前日|前晚|今天|今晨|今早|今晚|明天|明日|明晚|后天)"
    r"|(?P<week>(?P<wrel>上周|上星期|本周|这周|下周|下星期|上个星期|周|星期|礼拜)(?P<wd>[一二三四五六日天]))"
    r"|(?P<relmon>上月|上个月|本月|下月|下个月)"
    r"|(?P<relyear>去年|今年|明年|前年))"
)
REPORT_AFTER = re.compile(r"^\s*(报道|报导|电|讯|消息|发布|援引|刊文|撰文|刊登|发表文章|发表社论|播出)")
RANGE_BEFORE = re.compile(r"(至|到|－|-|—|~|～)\s*$")
RELATIVE_DAYS = {"昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1, "昨早": -1, "前天": -2, "前日": -2, "前晚": -2,
                 "今天": 0, "今晨": 0, "今早": 0, "今晚": 0, "明天": 1, "明日": 1, "明晚": 1, "后天": 2}


@dataclass(frozen=True)
class _Raw:
    start: int
    end: int
    y: int | None
    m: int | None
    d: int | None
    rel_days: int | None = None
    rel_week: tuple[int | None, int] | None = None  # (weeks offset or None for "the latest", weekday)
    rel_month: int | None = None
    rel_year: int | None = None
    report: bool = False
    range_end: bool = False


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 4 and all(c in _CN_DIGITS for c in text):  # 二〇一七
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total, current = 0, 0
    for c in text:
        if c == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS.get(c, 0)
    return total + current


def _scan(view: str) -> list[_Raw]:
    out = []
    for m in DATE_RE.finditer(view):
        g = m.groupdict()
        after = view[m.end() : m.end() + 6]
        report = bool(REPORT_AFTER.match(after))
        range_end = bool(RANGE_BEFORE.search(view[max(0, m.start() - 2) : m.start()]))
        common = {"start": m.start(), "end": m.end(), "report": report, "range_end": range_end}
        if g["ymd"]:
            raw = _Raw(y=_number(g["y1"]), m=_number(g["m1"]), d=_number(g["d1"]), **common)
        elif g["ym"]:
            raw = _Raw(y=_number(g["y2"]), m=_number(g["m2"]), d=None, **common)
        elif g["md"]:
            raw = _Raw(y=None, m=_number(g["m3"]), d=_number(g["d3"]), **common)
        elif g["dd"]:
            raw = _Raw(y=None, m=None, d=_number(g["d4"]), **common)
        elif g["yy"]:
            year = _number(g["y5"])
            if not 1900 <= year <= 2100:
                continue
            raw = _Raw(y=year, m=None, d=None, **common)
        elif g["rel"]:
            raw = _Raw(y=None, m=None, d=None, rel_days=RELATIVE_DAYS[g["rel"]], **common)
        elif g["week"]:
            rel = g["wrel"]
            offset = -1 if rel.startswith("上") else (1 if rel.startswith("下") else (0 if rel[0] in "本这" else None))
            raw = _Raw(y=None, m=None, d=None, rel_week=(offset, _WEEKDAY[g["wd"]]), **common)
        elif g["relmon"]:
            offset = -1 if g["relmon"].startswith("上") else (1 if g["relmon"].startswith("下") else 0)
            raw = _Raw(y=None, m=None, d=None, rel_month=offset, **common)
        else:
            offset = {"去年": -1, "今年": 0, "明年": 1, "前年": -2}[g["relyear"]]
            raw = _Raw(y=None, m=None, d=None, rel_year=offset, **common)
        if (raw.m is not None and not 1 <= raw.m <= 12) or (raw.d is not None and not 1 <= raw.d <= 31):
            continue
        out.append(raw)
    return out


def infer_published(doc: Document, raws: list[_Raw]) -> str | None:
    """A publication date from the text: latest report date or full date, year from full dates."""
    extra: list[_Raw] = []
    for removed in doc.removed:  # captions carry dates too ("资料图片：2017年11月9日 …")
        extra.extend(_scan(simplified_view(doc.text[removed.start : removed.end])))
    candidates = raws + extra
    years = [r.y for r in candidates if r.y and r.m]
    if not years:
        years = [r.y for r in candidates if r.y and r.y <= dt.date.today().year]
    if not years:
        return None
    year = max(years)
    full = [_safe_date(r.y, r.m, r.d) for r in candidates if r.y and r.m and r.d]
    reported = [_safe_date(r.y or year, r.m, r.d) for r in candidates if r.report and r.m and r.d]
    pool = [d for d in reported if d] or [d for d in full if d]
    if pool:
        return max(pool).isoformat()
    month_only = [(r.y, r.m) for r in candidates if r.y and r.m]
    if month_only:
        y, m = max(month_only)
        return f"{y:04d}-{m:02d}"
    return f"{year:04d}"


def _safe_date(y: int | None, m: int | None, d: int | None) -> dt.date | None:
    try:
        return dt.date(y, m, d) if y and m and d else None
    except ValueError:
        return None


def _shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def resolve(raw: _Raw, published: str | None, future: bool = False) -> tuple[str | None, bool]:
    """(value, relative): the date as YYYY-MM-DD / YYYY-MM / YYYY, or None if it cannot be resolved."""
    if raw.y and raw.m and raw.d:
        return (_fmt(_safe_date(raw.y, raw.m, raw.d)), False)
    if raw.y and raw.m:
        return (f"{raw.y:04d}-{raw.m:02d}", False)
    if raw.y:
        return (f"{raw.y:04d}", False)
    if not published:
        return (None, True)
    pub_parts = [int(p) for p in published.split("-")]
    pub_year = pub_parts[0]
    if raw.rel_year is not None:
        return (f"{pub_year + raw.rel_year:04d}", True)
    if len(pub_parts) < 2:
        return (None, True)
    pub_month = pub_parts[1]
    if raw.rel_month is not None:
        y, m = _shift_month(pub_year, pub_month, raw.rel_month)
        return (f"{y:04d}-{m:02d}", True)
    if len(pub_parts) < 3:
        if raw.m and raw.d:
            return (_fmt(_safe_date(pub_year, raw.m, raw.d)), True)
        return (None, True)
    pub = dt.date(pub_year, pub_month, pub_parts[2])
    if raw.rel_days is not None:
        return ((pub + dt.timedelta(days=raw.rel_days)).isoformat(), True)
    if raw.rel_week is not None:
        weeks, weekday = raw.rel_week
        if weeks is None:  # 周二 alone: the latest Tuesday on or before publication (the next one if future)
            back = (pub.weekday() - weekday) % 7
            ahead = (weekday - pub.weekday()) % 7
            day = pub + dt.timedelta(days=ahead) if future else pub - dt.timedelta(days=back)
            return (day.isoformat(), True)
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=weeks)
        return ((monday + dt.timedelta(days=weekday)).isoformat(), True)
    if raw.m and raw.d:
        date = _safe_date(pub_year, raw.m, raw.d)
        if date and (date - pub).days > 60 and not future:
            date = _safe_date(pub_year - 1, raw.m, raw.d)
        elif date and (pub - date).days > 300:
            date = _safe_date(pub_year + 1, raw.m, raw.d)
        return (_fmt(date), True)
    if raw.d:
        date = _safe_date(pub_year, pub_month, raw.d)
        if (date is None or (date - pub).days > 1) and not future:
            y, m = _shift_month(pub_year, pub_month, -1)
            date = _safe_date(y, m, raw.d)
        return (_fmt(date), True)
    return (None, True)


def _fmt(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


class Dates:
    """Find date expressions; infer the publication date when the document has none."""

    name = "dates"

    def __init__(self, future_cues: tuple[str, ...] = ()) -> None:
        self.future_cues = future_cues

    def __call__(self, doc: Document) -> Document:
        raws = _scan(doc.view)
        if not doc.published:
            inferred = infer_published(doc, raws)
            if inferred:
                doc.published = inferred
                doc.published_inferred = True
        mentions = []
        ends = [sentence.end for sentence in doc.sentences]
        year_at: tuple[int, int] | None = None  # (sentence, year) of the latest year named in its sentence
        for raw in raws:
            sentence = bisect_right(ends, raw.start)
            if raw.m and raw.d and raw.y is None and raw.rel_days is None and year_at and year_at[0] == sentence:
                # 前年…，民阵发起8月18日的集会: a month and day take the year the sentence has just named
                raw = dataclasses.replace(raw, y=year_at[1])
            context = doc.view[max(0, raw.start - 8) : raw.start]
            future = any(cue in context for cue in self.future_cues)
            value, relative = resolve(raw, doc.published, future)
            if value is None:
                continue
            kind = "report" if raw.report else ("range_end" if raw.range_end else "event")
            mentions.append(DateMention(raw.start, raw.end, value, kind, relative))
            if len(value) == 4 and kind == "event":
                year_at = (sentence, int(value))
        doc.dates = mentions
        return doc
