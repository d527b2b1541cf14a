#!/usr/bin/env python3
"""Build src/magpie/lexicon/data/countries.tsv from the CLDR/ISO reference tables plus curated news forms.

Usage: python3 tools/build_countries.py [REFERENCE_NAMES_DIR]   (default /work/shared/reference/names)

The committed TSV is the product; the curated additions below (EXTRA, SHORT, DROP) are part of this
script so that regenerating keeps them. Names are deduplicated after OpenCC t2s conversion when OpenCC is
installed: a Traditional spelling that only converts character by character to a listed one is dropped
(Magpie converts text to Simplified before matching), as are names containing spaces (CLDR qualifiers
such as "福克兰群岛 (马尔维纳斯)").
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/magpie/lexicon/data/countries.tsv"

# Forms used by news that CLDR/ISO miss (first name listed = preferred display form when given).
EXTRA: dict[str, list[str]] = {
    "CHN": ["中国", "中國", "中华人民共和国", "我国", "内地", "大陆", "中国大陆", "中国内地", "大陸"],
    "HKG": ["香港", "香港特区", "香港特别行政区", "中国香港", "香港特區"],
    "MAC": ["澳门", "澳門", "澳门特区", "澳门特别行政区", "中国澳门"],
    "TWN": ["台湾", "臺灣", "台灣", "台湾地区", "中华民国", "中国台湾"],
    "USA": ["美国", "美國", "美利坚合众国", "美利堅合眾國"],
    "RUS": ["俄罗斯", "俄羅斯", "俄国", "俄联邦", "俄罗斯联邦", "俄羅斯聯邦"],
    "SAU": ["沙特", "沙特阿拉伯", "沙烏地阿拉伯", "沙烏地", "沙地阿拉伯", "沙國"],
    "PRK": ["朝鲜", "北韩", "北韓", "朝鲜民主主义人民共和国", "朝鮮民主主義人民共和國"],
    "KOR": ["韩国", "南韩", "南韓", "大韩民国", "大韓民國"],
    "GBR": ["英国", "英國", "联合王国", "大不列颠及北爱尔兰联合王国"],
    "AUS": ["澳大利亚", "澳洲"],
    "NZL": ["新西兰", "紐西蘭", "纽西兰", "新西蘭"],
    "SGP": ["新加坡", "星加坡"],
    "ISR": ["以色列"],
    "SYR": ["叙利亚", "敘利亞", "阿拉伯叙利亚共和国"],
    "IRN": ["伊朗", "伊朗伊斯兰共和国"],
    "IRQ": ["伊拉克"],
    "TUR": ["土耳其", "土耳其共和国"],
    "EGY": ["埃及", "阿拉伯埃及共和国"],
    "IDN": ["印度尼西亚", "印尼", "印度尼西亞"],
    "PSE": ["巴勒斯坦", "巴勒斯坦国", "巴勒斯坦國"],
    "MYS": ["马来西亚", "大马", "大馬"],
    "PHL": ["菲律宾"],
    "VNM": ["越南"],
    "KHM": ["柬埔寨"],
    "THA": ["泰国"],
    "MNG": ["蒙古国", "蒙古"],
    "KAZ": ["哈萨克斯坦", "哈薩克"],
    "ARE": ["阿联酋", "阿聯酋", "阿拉伯联合酋长国", "阿拉伯聯合大公國"],
    "COD": ["刚果(金)", "刚果（金）", "刚果民主共和国", "民主刚果", "剛果民主共和國"],
    "COG": ["刚果(布)", "刚果（布）", "刚果共和国", "剛果共和國"],
    "DEU": ["德国", "德意志联邦共和国"],
    "FRA": ["法国", "法兰西共和国", "法蘭西"],
    "JPN": ["日本", "日本国"],
    "IND": ["印度", "印度共和国"],
    "PAK": ["巴基斯坦", "巴基斯坦伊斯兰共和国"],
    "YEM": ["也门", "葉門"],
    "LBY": ["利比亚", "利比亞"],
    "UKR": ["乌克兰", "烏克蘭"],
    "BLR": ["白俄罗斯", "白俄", "白羅斯"],
    "ITA": ["意大利", "義大利"],
    "NLD": ["荷兰", "尼德兰"],
    "CZE": ["捷克", "捷克共和国"],
    "MMR": ["缅甸", "緬甸"],
    "LAO": ["老挝", "寮國"],
    "MKD": ["北马其顿", "马其顿", "北馬其頓"],
    "CIV": ["科特迪瓦", "象牙海岸"],
    "SWZ": ["斯威士兰", "史瓦帝尼", "埃斯瓦蒂尼", "史瓦濟蘭"],
    "TLS": ["东帝汶", "東帝汶"],
    "VAT": ["梵蒂冈", "梵蒂岡", "教廷"],
    "KGZ": ["吉尔吉斯斯坦", "吉尔吉斯", "吉爾吉斯"],
    "TKM": ["土库曼斯坦", "土库曼", "土庫曼"],
    "TJK": ["塔吉克斯坦", "塔吉克"],
    "UZB": ["乌兹别克斯坦", "乌兹别克", "烏茲別克"],
    "GEO": ["格鲁吉亚", "喬治亞"],
    "BIH": ["波黑", "波斯尼亚和黑塞哥维那"],
    "QAT": ["卡塔尔", "卡達"],
    "BGD": ["孟加拉国", "孟加拉"],
    "VEN": ["委内瑞拉", "委內瑞拉"],
    "ZAF": ["南非", "南非共和国"],
    "SSD": ["南苏丹", "南蘇丹"],
    "CAF": ["中非共和国", "中非"],
    "SLE": ["塞拉利昂", "獅子山共和國"],
    "DOM": ["多米尼加共和国", "多米尼加"],
}

# Names from the reference tables that are ordinary words, regions or misleading in news text.
DROP: set[str] = {
    "中非",  # also "China-Africa" (中非合作论坛); only 中非共和国 kept
    "刚果",  # bare 刚果 is ambiguous between COD and COG
    "獅子山",  # Taiwan's name for Sierra Leone, but in Hong Kong news Lion Rock (獅子山精神)
    "狮子山",
}

# One-character abbreviations used in compounds (俄美两国, 中方, 叙政府军). Each character once.
SHORT: dict[str, str] = {
    "TWN": "台", "HKG": "港",
    "CHN": "中",
    "USA": "美",
    "RUS": "俄",
    "GBR": "英",
    "FRA": "法",
    "DEU": "德",
    "JPN": "日",
    "KOR": "韩",
    "PRK": "朝",
    "SYR": "叙",
    "ISR": "以",
    "IRN": "伊",
    "TUR": "土",
    "EGY": "埃",
    "SAU": "沙",
    "IND": "印",
    "PAK": "巴",
    "AFG": "阿",
    "VNM": "越",
    "PHL": "菲",
    "THA": "泰",
    "KHM": "柬",
    "LAO": "老",
    "MMR": "缅",
    "MNG": "蒙",
    "KAZ": "哈",
    "UKR": "乌",
    "AUS": "澳",
    "CAN": "加",
    "ITA": "意",
    "ESP": "西",
    "PRT": "葡",
    "NLD": "荷",
    "BEL": "比",
    "LBN": "黎",
    "POL": "波",
    "HUN": "匈",
    "CZE": "捷",
    "GRC": "希",
    "MEX": "墨",
    "BGD": "孟",
    "KGZ": "吉",
    "TJK": "塔",
    "AUT": "奥",
    "NOR": "挪",
    "FIN": "芬",
    "DNK": "丹",
    "CUB": "古",
    "VEN": "委",
}


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def main() -> None:
    names_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/reference/names")
    py = read_tsv(names_dir / "pycountry_iso3166_zh.tsv")
    a2to3 = {r["alpha2"]: r["alpha3"] for r in py}
    english = {r["alpha3"]: r["name_en"] for r in py}
    names: dict[str, list[str]] = {r["alpha3"]: [] for r in py}
    for code, extra in EXTRA.items():
        if code in names:
            names[code].extend(extra)
    for r in read_tsv(names_dir / "countries_zh_variants.tsv"):
        code = a2to3[r["iso2"]]
        english[code] = r["en"]
        names[code].extend(r[k] for k in ("zh_CN", "zh_TW", "zh_HK", "zh_SG", "zh_MO"))
    for r in py:
        names[r["alpha3"]].extend(r[k] for k in ("zh_CN", "zh_TW", "zh_HK"))
    for r in read_tsv(names_dir / "babel_cldr_territories.tsv"):
        if r["code"] in a2to3:
            names[a2to3[r["code"]]].extend(r[k] for k in ("zh_Hans_CN", "zh_Hant_TW", "zh_Hant_HK"))
    try:
        import opencc

        t2s = opencc.OpenCC("t2s").convert
    except ImportError:  # pragma: no cover

        def t2s(text: str) -> str:
            return text

    lines = [
        "# Countries and territories: ISO 3166 alpha-3, every common Chinese name,",
        "# one-character abbreviation. Generated by tools/build_countries.py from CLDR/ISO tables",
        "# (umpirsky country-list, pycountry, babel) plus curated news forms; edit that script.",
        "code\tnames\tshort\ten",
    ]
    for code in sorted(names):
        seen: set[str] = set()
        kept: list[str] = []
        for name in names[code]:
            name = name.strip()
            if not name or name in DROP or t2s(name) in DROP or " " in name:
                continue
            key = t2s(name)
            if key in seen:
                continue
            seen.add(key)
            kept.append(name)
        lines.append(f"{code}\t{'|'.join(kept)}\t{SHORT.get(code, '')}\t{english[code]}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines) - 4} countries to {OUT}")


if __name__ == "__main__":
    main()
