#!/usr/bin/env python3
"""Build src/magpie/lexicon/data/places.tsv (the gazetteer) from the reference name tables.

Dev tool, never imported by the package.  Inputs:

* /work/shared/reference/names/geonames_cities15000_han_names.tsv  (GeoNames, CC BY 4.0)
* /work/shared/reference/names/babel_cldr_exemplar_cities.tsv       (CLDR exemplar cities)
* /work/shared/reference/names/countries_zh_variants.tsv, pycountry_iso3166_zh.tsv,
  babel_cldr_territories.tsv (country names, which must never be place names; ISO2 -> ISO3)
* /usr/share/zoneinfo/zone.tab and tzdata.zi (tz id -> country, fallback coordinates)
* tools/places_extra.tsv: hand-curated rows (provinces, Taiwan, political places, landmarks)
* the CAPITALS and CN_PREFECTURES tables below (hand-written)

Needs: opencc, pypinyin (pip install opencc pypinyin).  Optional: jieba, for `--audit`, which
lists generated names that jieba's dictionary knows as ordinary (non place-name) words.

Priority when two rows claim one name: places_extra.tsv > capitals > prefecture-level cities >
everything else by population.  Usage: python tools/build_places.py [--ref DIR] [--out FILE] [--audit]
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

import opencc
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
REF = Path("/work/shared/reference/names")
OUT = ROOT / "src/magpie/lexicon/data/places.tsv"
EXTRA = ROOT / "tools/places_extra.tsv"

T2S = opencc.OpenCC("t2s")
JP2T = opencc.OpenCC("jp2t")

# ---------------------------------------------------------------------------------------------
# Hand-written table 1: every national capital.  ISO3, English name as spelled in GeoNames (used
# to find the coordinates), Chinese names (mainland first, then Taiwan/HK forms that are different
# words).  City-states whose capital is the country name (SGP, MCO, VAT, SMR, LUX, KWT, DJI) are
# left out: the country name belongs to countries.tsv.  Coordinates missing from GeoNames: CAPITAL_COORDS.
# ---------------------------------------------------------------------------------------------
CAPITALS = """
AFG	Kabul	喀布尔
ALB	Tirana	地拉那
DZA	Algiers	阿尔及尔
AND	Andorra la Vella	安道尔城
AGO	Luanda	罗安达|盧安達
ATG	Saint John’s	圣约翰|聖約翰
ARG	Buenos Aires	布宜诺斯艾利斯
ARM	Yerevan	埃里温|葉里溫
AUS	Canberra	堪培拉|坎培拉
AUT	Vienna	维也纳
AZE	Baku	巴库
BHS	Nassau	拿骚|拿索
BHR	Manama	麦纳麦|麥納瑪
BGD	Dhaka	达卡
BRB	Bridgetown	布里奇敦|橋鎮
BLR	Minsk	明斯克
BEL	Brussels	布鲁塞尔
BLZ	Belmopan	贝尔莫潘|貝爾墨邦
BEN	Porto-Novo	波多诺伏|波多諾佛
BTN	Thimphu	廷布|辛布
BOL	Sucre	苏克雷|蘇克雷
BIH	Sarajevo	萨拉热窝|塞拉耶佛
BWA	Gaborone	哈博罗内|嘉柏隆里
BRA	Brasília	巴西利亚
BRN	Bandar Seri Begawan	斯里巴加湾|斯里巴卡旺|斯里巴加湾市
BGR	Sofia	索非亚|索菲亞
BFA	Ouagadougou	瓦加杜古
BDI	Gitega	基特加
KHM	Phnom Penh	金边
CMR	Yaoundé	雅温得|雅恩德
CAN	Ottawa	渥太华
CPV	Praia	普拉亚|培亞
CAF	Bangui	班吉
TCD	N'Djamena	恩贾梅纳|恩將納
CHL	Santiago	圣地亚哥|聖地牙哥
CHN	Beijing	北京|北平
COL	Bogotá	波哥大
COM	Moroni	莫罗尼|莫羅尼
COG	Brazzaville	布拉柴维尔
COD	Kinshasa	金沙萨|金夏沙
CRI	San José	圣何塞|聖荷西
CIV	Yamoussoukro	亚穆苏克罗|雅穆索戈|雅穆蘇克羅
HRV	Zagreb	萨格勒布|札格瑞布
CUB	Havana	哈瓦那|夏灣拿
CYP	Nicosia	尼科西亚|尼古西亞
CZE	Prague	布拉格
DNK	Copenhagen	哥本哈根
DMA	Roseau	罗索|羅梭
DOM	Santo Domingo	圣多明各|聖多明哥
ECU	Quito	基多
EGY	Cairo	开罗
SLV	San Salvador	圣萨尔瓦多|聖薩爾瓦多
GNQ	Malabo	马拉博
ERI	Asmara	阿斯马拉
EST	Tallinn	塔林
SWZ	Mbabane	姆巴巴纳|墨巴本
ETH	Addis Ababa	亚的斯亚贝巴|阿迪斯阿貝巴
FJI	Suva	苏瓦|蘇瓦
FIN	Helsinki	赫尔辛基
FRA	Paris	巴黎
GAB	Libreville	利伯维尔|自由市
GMB	Banjul	班珠尔|班竹
GEO	Tbilisi	第比利斯
DEU	Berlin	柏林
GHA	Accra	阿克拉
GRC	Athens	雅典
GRD	Saint George's	圣乔治|聖喬治
GTM	Guatemala City	危地马拉城|瓜地馬拉市
GIN	Conakry	科纳克里|柯那克里
GNB	Bissau	比绍
GUY	Georgetown	乔治敦|喬治城
HTI	Port-au-Prince	太子港
HND	Tegucigalpa	特古西加尔巴|德古斯加巴
HUN	Budapest	布达佩斯
ISL	Reykjavík	雷克雅未克|雷克雅維克
IND	New Delhi	新德里
IDN	Jakarta	雅加达
IRN	Tehran	德黑兰
IRQ	Baghdad	巴格达
IRL	Dublin	都柏林
ISR	Jerusalem	耶路撒冷
ITA	Rome	罗马
JAM	Kingston	金斯敦|京斯敦
JPN	Tokyo	东京
JOR	Amman	安曼
KAZ	Astana	阿斯塔纳|阿斯坦纳|阿斯塔納|阿斯坦納|努尔苏丹|努爾蘇丹
KEN	Nairobi	内罗毕|奈洛比|內羅畢
KIR	Tarawa	塔拉瓦|南塔拉瓦
KGZ	Bishkek	比什凯克|比斯凱克
LAO	Vientiane	万象|永珍
LVA	Riga	里加
LBN	Beirut	贝鲁特
LSO	Maseru	马塞卢|馬賽魯
LBR	Monrovia	蒙罗维亚
LBY	Tripoli	的黎波里
LIE	Vaduz	瓦杜兹|瓦都茲|華杜茲
LTU	Vilnius	维尔纽斯
MDG	Antananarivo	塔那那利佛|安塔那那利佛|安塔那那利弗
MWI	Lilongwe	利隆圭|里朗威
MYS	Kuala Lumpur	吉隆坡
MDV	Malé	马累|馬列
MLI	Bamako	巴马科
MLT	Valletta	瓦莱塔|瓦勒他|法勒他
MHL	Majuro	马朱罗|馬久羅
MRT	Nouakchott	努瓦克肖特|諾克少
MUS	Port Louis	路易港
MEX	Mexico City	墨西哥城|墨西哥市
FSM	Palikir	帕利基尔|帕利克爾
MDA	Chişinău	基希讷乌|基西紐
MNG	Ulan Bator	乌兰巴托
MNE	Podgorica	波德戈里察|波多里察
MAR	Rabat	拉巴特
MOZ	Maputo	马普托
MMR	Nay Pyi Taw	内比都|奈比多
NAM	Windhoek	温得和克
NRU	Yaren	雅连
NPL	Kathmandu	加德满都
NLD	Amsterdam	阿姆斯特丹
NZL	Wellington	惠灵顿|威靈頓
NIC	Managua	马那瓜|馬拿瓜
NER	Niamey	尼亚美
NGA	Abuja	阿布贾
PRK	Pyongyang	平壤
MKD	Skopje	斯科普里|史高比耶
NOR	Oslo	奥斯陆
OMN	Muscat	马斯喀特|馬斯開特
PAK	Islamabad	伊斯兰堡|伊斯蘭馬巴德
PLW	Ngerulmud	恩吉鲁穆德|梅莱凯奥克
PSE	Ramallah	拉姆安拉|拉馬拉
PAN	Panamá	巴拿马城|巴拿馬市
PNG	Port Moresby	莫尔兹比港|摩斯比港
PRY	Asunción	亚松森
PER	Lima	利马
PHL	Manila	马尼拉
POL	Warsaw	华沙
PRT	Lisbon	里斯本
QAT	Doha	多哈
ROU	Bucharest	布加勒斯特
RUS	Moscow	莫斯科
RWA	Kigali	基加利
KNA	Basseterre	巴斯特尔|巴士地
LCA	Castries	卡斯特里|卡斯翠
VCT	Kingstown	金石城
WSM	Apia	阿皮亚
STP	São Tomé	圣多美
SAU	Riyadh	利雅得|利雅德
SEN	Dakar	达喀尔
SRB	Belgrade	贝尔格莱德|貝爾格勒
SLE	Freetown	弗里敦|自由城
SVK	Bratislava	布拉迪斯拉发|布拉提斯拉瓦
SVN	Ljubljana	卢布尔雅那|盧比安納
SLB	Honiara	霍尼亚拉|荷尼阿拉
SOM	Mogadishu	摩加迪沙|摩加迪休|摩加迪殊
ZAF	Pretoria	比勒陀利亚|普利托利亞|茨瓦内
KOR	Seoul	首尔|汉城|漢城|首爾
SSD	Juba	朱巴
ESP	Madrid	马德里
LKA	Sri Jayewardenepura Kotte	斯里贾亚瓦德纳普拉科特
SDN	Khartoum	喀土穆
SUR	Paramaribo	帕拉马里博|巴拉馬利波
SWE	Stockholm	斯德哥尔摩
CHE	Bern	伯尔尼
SYR	Damascus	大马士革
TWN	Taipei	台北|臺北|台北市|臺北市
TJK	Dushanbe	杜尚别|杜桑貝
TZA	Dodoma	多多马|杜篤瑪
THA	Bangkok	曼谷
TLS	Dili	帝力
TGO	Lomé	洛美
TON	Nuku‘alofa	努库阿洛法|努瓜婁發
TTO	Port of Spain	西班牙港
TUN	Tunis	突尼斯城|突尼斯市
TUR	Ankara	安卡拉
TKM	Ashgabat	阿什哈巴德|阿什哈巴特
TUV	Funafuti	富纳富提|富那富提
UGA	Kampala	坎帕拉
UKR	Kyiv	基辅|基輔
ARE	Abu Dhabi	阿布扎比|阿布達比
GBR	London	伦敦
USA	Washington	华盛顿|華盛頓|华府|華府
URY	Montevideo	蒙得维的亚|蒙特維多
UZB	Tashkent	塔什干
VUT	Port Vila	维拉港|維拉港
VEN	Caracas	加拉加斯|卡拉卡斯
VNM	Hanoi	河内
YEM	Sanaa	萨那|沙那
ZMB	Lusaka	卢萨卡|路沙卡
ZWE	Harare	哈拉雷
"""

# Capitals whose coordinates GeoNames (the Han-named subset) or zone.tab does not give.
CAPITAL_COORDS = {
    "Ngerulmud": (7.500, 134.624), "Yaren": (-0.547, 166.920), "Palikir": (6.917, 158.150),
    "Belmopan": (17.251, -88.759), "Gitega": (-3.427, 29.925), "Sucre": (-19.043, -65.259),
    "Yamoussoukro": (6.821, -5.277), "Sri Jayewardenepura Kotte": (6.890, 79.902),
    "Dodoma": (-6.173, 35.739), "Nay Pyi Taw": (19.745, 96.129), "Abuja": (9.058, 7.489),
    "Tarawa": (1.329, 172.979), "Funafuti": (-8.520, 179.198), "Majuro": (7.090, 171.380),
    "Ramallah": (31.899, 35.204), "Washington": (38.895, -77.036), "Bern": (46.948, 7.447),
    "Canberra": (-35.282, 149.129), "Ottawa": (45.411, -75.698), "Brasília": (-15.780, -47.929),
    "Pretoria": (-25.745, 28.188), "Islamabad": (33.721, 73.043), "New Delhi": (28.614, 77.209),
    "Astana": (51.169, 71.449), "Wellington": (-41.287, 174.776), "Rabat": (34.013, -6.832),
    "Ankara": (39.920, 32.854), "Jerusalem": (31.769, 35.216),
    "Saint George's": (12.056, -61.749), "Juba": (4.859, 31.571),
}

# ---------------------------------------------------------------------------------------------
# Hand-written table 2: China's prefecture-level divisions (plus XPCC cities), by province.
# A name given with 市/州/地区 is listed only in that form, because the bare form is an ordinary
# word or ambiguous (大同, 大庆, 日照, 来宾, 中山, 北海, 德州 = Texas ...); see also STOPWORDS.
# Coordinates come from GeoNames (matched by name); PREF_COORDS fills the gaps.
# ---------------------------------------------------------------------------------------------
CN_PREFECTURES = """
河北	石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水
山西	太原 大同市 阳泉 长治市 晋城 朔州 晋中 运城 忻州 临汾 吕梁
内蒙古	呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布
辽宁	沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳市 葫芦岛
吉林	长春 吉林市 四平 辽源 通化 白山市 松原 白城
黑龙江	哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆市 伊春 佳木斯 七台河 牡丹江 黑河 绥化
江苏	南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁
浙江	杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水
安徽	合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城
福建	福州 厦门 莆田 三明市 泉州 漳州 南平 龙岩 宁德
江西	南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶
山东	济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照市 临沂 德州市 聊城 滨州 菏泽
河南	郑州 开封市 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源
湖北	武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施 仙桃市 潜江 天门市
湖南	长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西
广东	广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源市 阳江 清远 东莞 中山市 潮州 揭阳 云浮
广西	南宁 柳州 桂林 梧州 北海市 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾市 崇左
海南	海口 三亚 三沙 儋州
四川	成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山
贵州	贵阳 六盘水 遵义 安顺 毕节 铜仁 黔东南 黔南 黔西南
云南	昆明 曲靖 玉溪 保山 昭通 丽江 普洱市 临沧 楚雄 红河州 文山州 西双版纳 大理 德宏 怒江州 迪庆
西藏	拉萨 日喀则 昌都 林芝 山南市 那曲 阿里地区
陕西	西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康市 商洛
甘肃	兰州 嘉峪关 金昌 白银市 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南
青海	西宁 海东市 海北州 黄南州 海南州 果洛 玉树 海西州
宁夏	银川 石嘴山 吴忠 固原 中卫市
新疆	乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰 石河子 阿拉尔 图木舒克 五家渠 北屯 铁门关 可克达拉 昆玉市 胡杨河
"""
PROVINCIAL_CAPITALS = set(["石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南", "郑州", "武汉", "长沙", "广州", "南宁", "海口", "成都", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐"])
PREF_COORDS: dict[str, tuple[float, float]] = {  # seat of the prefecture, approximate
    "仙桃市": (30.36, 113.45), "潜江": (30.40, 112.90), "天门市": (30.66, 113.17), "湘西": (28.31, 109.74),
    "三沙": (16.83, 112.34), "阿坝": (31.90, 102.22), "甘孜": (30.05, 101.96), "凉山": (27.89, 102.26),
    "黔东南": (26.58, 107.98), "黔南": (26.26, 107.52), "黔西南": (25.09, 104.90), "红河州": (23.36, 103.38),
    "西双版纳": (22.01, 100.80), "德宏": (24.43, 98.59), "怒江州": (25.85, 98.86), "迪庆": (27.83, 99.71),
    "海北州": (36.96, 100.90), "黄南州": (35.52, 102.02), "海南州": (36.28, 100.62), "果洛": (34.47, 100.24),
    "海西州": (37.37, 97.37), "博尔塔拉": (44.90, 82.07), "巴音郭楞": (41.76, 86.15), "克孜勒苏": (39.71, 76.17),
    "伊犁": (43.91, 81.28), "铁门关": (41.83, 85.67), "可克达拉": (43.95, 81.05), "昆玉市": (37.21, 79.29),
}

# Chinese municipalities (not in the prefecture table): GeoNames has them.
CN_MUNICIPALITIES = ["上海", "天津", "重庆"]

# ---------------------------------------------------------------------------------------------
# Names never to list: ordinary Chinese words, people's names, bare forms replaced above,
# ambiguous names.  Extended by reviewing `--audit`.
# ---------------------------------------------------------------------------------------------
STOPWORDS = set(["大同", "长治", "朝阳", "白山", "北海", "中山", "大庆", "三明", "开封", "天门", "仙桃", "来宾", "日照", "安康", "白银", "中卫", "普洱", "山南", "阿里", "海东", "海北", "黄南", "海西", "红河", "文山", "怒江", "河源", "德州", "新星", "白杨", "双河", "马鞍山市", "南海", "维多利亚", "亚伦", "伯恩", "科特", "吉林", "海南", "台湾", "臺灣", "联合", "青年", "城中", "奋斗", "园林", "光明", "淡水", "三合", "长征", "梁山", "树林", "牌楼", "关口", "青衣", "金山", "天安", "石龙", "荔枝", "太白", "大兴", "同仁", "丰田", "桥头", "龙凤", "四日", "安达", "甲子", "水寨", "大数", "列斯", "白沙", "阳春", "君士坦丁", "多米尼加", "海伦", "天福", "阿巴", "凯里", "香格里拉", "南头", "奥斯汀", "贝拉", "七宝", "普雷斯顿", "佩斯", "碣石", "哈密尔顿", "瓦里", "斯坦利", "史丹利", "八所", "瓦利斯", "希拉", "腾越", "古龙", "碱水", "大分", "秀英", "夏洛特", "双城", "尚志", "林德曼", "圣安娜", "威克", "乌达", "查塔姆", "艾因", "科塔", "诺姆", "半线", "图勒", "铁力", "沙井", "市川", "朱诺", "胜利路", "大场", "明石", "月浦", "船桥", "旺市", "足立", "龙水", "新城", "河东", "中和", "安宁", "平山", "新桥", "东海", "大沙", "南村", "金峰", "永安", "龙井", "巴山", "龙江", "夏阳", "马街", "福集", "圣安多尼堂", "花地玛堂", "阿哇", "塔那", "本町", "相原", "北区", "中野", "江东", "湖东", "松山", "大津", "一宫", "布达", "毛阿", "皮金", "素里", "花城", "美里", "巴里", "比莱", "图莱", "太特", "港观", "索罗", "罗利", "道森", "杜里", "巴东", "乔斯", "梅萨", "福山", "高知"])

STOP_S = {T2S.convert(w) for w in STOPWORDS}
KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
HAN = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·\-－]+$")
NO_STRIP = {"四日市", "胡志明市", "墨西哥市", "巴拿马市", "突尼斯市", "危地马拉市", "科威特市"}
SUFFIXES = ["特别市", "特別市", "广域市", "廣域市", "広域市", "街道", "市", "巿", "区", "區", "县", "縣", "镇", "鎮"]


def jp_only(name: str) -> bool:
    """True when a name uses a Japanese shinjitai form (広, 仏, 済, 縄) not used in Chinese."""
    for c in name:
        t = JP2T.convert(c)
        if t != c and T2S.convert(t) != T2S.convert(c):
            return True
    return False


def s(name: str) -> str:
    return T2S.convert(name)


def norm_en(x: str) -> str:
    x = unicodedata.normalize("NFKD", x)
    x = "".join(c for c in x if not unicodedata.combining(c))
    return re.sub(r"[^a-z]", "", x.lower())


def pinyin_key(name: str) -> str:
    return "".join(lazy_pinyin(name)).replace("v", "u").replace("ü", "u")


def strip_suffix(name: str) -> str:
    if name in NO_STRIP:
        return name
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return name


def read_tsv(path: Path):
    with path.open(encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    head, body = rows[0], rows[1:]
    return [dict(zip(head, r)) for r in body]


class Gazetteer:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.owner: dict[str, int] = {}  # simplified name -> row index
        self.dropped: list[tuple[str, str, str]] = []

    def add(self, names, country, lat, lon, kind, en, src="") -> None:
        keep: list[str] = []
        seen: set[str] = set()
        for n in names:
            n = n.strip()
            k = s(n)
            if not n or k in seen:
                continue
            if len(k) < 2 or k in STOP_S or k in COUNTRY_NAMES:
                self.dropped.append((n, en, "stop/country/short"))
                continue
            if k in self.owner:
                other = self.rows[self.owner[k]]
                self.dropped.append((n, en, "taken by " + other["en"]))
                near = abs(other["lat"] - float(lat)) < 0.5 and abs(other["lon"] - float(lon)) < 0.5
                if src not in ("extra", "capital") and other["country"] == country and near:
                    return  # the same place already listed under a curated row: skip the whole row
                continue
            seen.add(k)
            keep.append(n)
        if not keep:
            return
        lat, lon = float(lat), float(lon)
        assert -90 <= lat <= 90 and -180 <= lon <= 180, (names, lat, lon)
        assert country in ISO3, (names, country)
        idx = len(self.rows)
        self.rows.append(dict(names=keep, country=country, lat=lat, lon=lon, kind=kind, en=en, src=src))
        for n in keep:
            self.owner[s(n)] = idx


def load_countries(ref: Path):
    iso2to3, iso3, names = {}, set(), set()
    for r in read_tsv(ref / "pycountry_iso3166_zh.tsv"):
        iso2to3[r["alpha2"]] = r["alpha3"]
        iso3.add(r["alpha3"])
        for k in ("zh_CN", "zh_TW", "zh_HK"):
            if r.get(k):
                names.add(s(r[k]))
    for r in read_tsv(ref / "countries_zh_variants.tsv"):
        for k in ("zh_CN", "zh_TW", "zh_HK", "zh_SG", "zh_MO"):
            if r.get(k):
                names.add(s(r[k]))
    for r in read_tsv(ref / "babel_cldr_territories.tsv"):
        for k in ("zh_Hans_CN", "zh_Hant_TW", "zh_Hant_HK"):
            if r.get(k):
                names.add(s(r[k]))
    iso2to3["XK"] = None
    # extra common short forms of country names
    names |= {s(x) for x in ["美国", "英国", "法国", "德国", "俄国", "日本", "韩国", "朝鲜", "中国", "台湾", "香港", "澳门", "新加坡", "科威特", "巴林", "卡塔尔", "吉布提", "卢森堡", "摩纳哥", "梵蒂冈", "圣马力诺", "危地马拉", "巴拿马", "墨西哥", "巴西", "阿尔及利亚", "突尼斯", "吉隆坡x"]}
    names.discard("吉隆坡x")
    # places that share a name with their territory but we keep (Hong Kong, Macao are cities here)
    names -= {"香港", "澳门"}
    return iso2to3, iso3, names


def load_zone_tab():
    tz = {}
    p = Path("/usr/share/zoneinfo/zone.tab")
    if p.exists():
        for line in p.read_text().splitlines():
            if line.startswith("#"):
                continue
            cc, coord, tzid = line.split("\t")[:3]
            m = re.match(r"([+-])(\d{2})(\d{2})(\d{2})?([+-])(\d{3})(\d{2})(\d{2})?", coord)
            lat = int(m[2]) + int(m[3]) / 60 + int(m[4] or 0) / 3600
            lon = int(m[6]) + int(m[7]) / 60 + int(m[8] or 0) / 3600
            tz[tzid] = (cc, round(lat if m[1] == "+" else -lat, 4), round(lon if m[5] == "+" else -lon, 4))
    zi = Path("/usr/share/zoneinfo/tzdata.zi")
    if zi.exists():
        for line in zi.read_text().splitlines():
            if line.startswith("L "):
                _, target, alias = line.split()
                if target in tz and alias not in tz:
                    tz[alias] = tz[target]
                if alias in tz and target not in tz:
                    tz[target] = tz[alias]
    return tz


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", type=Path, default=REF)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--audit", action="store_true")
    args = ap.parse_args()
    if not args.ref.exists():
        sys.exit(f"reference folder {args.ref} not found")

    global ISO3, COUNTRY_NAMES
    iso2to3, ISO3, COUNTRY_NAMES = load_countries(args.ref)
    tz = load_zone_tab()

    # --- GeoNames ---------------------------------------------------------------------------
    geo = []
    for r in read_tsv(args.ref / "geonames_cities15000_han_names.tsv"):
        names = [n for n in r["han_alternatenames"].split("|") if n]
        if not names:
            continue
        geo.append(dict(id=r["geonameid"], en=r["name"], cc=r["countrycode"], pop=int(r["population"] or 0),
                        lat=float(r["latitude"]), lon=float(r["longitude"]), names=names))
    by_en: dict[tuple[str, str], dict] = {}
    for g in sorted(geo, key=lambda g: -g["pop"]):
        by_en.setdefault((g["cc"], norm_en(g["en"])), g)
    by_name: dict[tuple[str, str], dict] = {}
    for g in sorted(geo, key=lambda g: -g["pop"]):
        for n in g["names"]:
            by_name.setdefault((g["cc"], s(JP2T.convert(n))), g)
            by_name.setdefault((g["cc"], strip_suffix(s(JP2T.convert(n)))), g)

    G = Gazetteer()
    used_geo: set[str] = set()

    # 1. hand-curated extras
    for r in read_tsv(EXTRA):
        G.add(r["names"].split("|"), r["country"], r["lat"], r["lon"], r["kind"], r["en"], "extra")

    # 2. capitals
    iso3to2 = {v: k for k, v in iso2to3.items() if v}
    for line in CAPITALS.strip().splitlines():
        c3, en, names = line.split("\t")
        cc = iso3to2[c3]
        g = by_en.get((cc, norm_en(en)))
        if g is None:
            for n in names.split("|"):
                g = by_name.get((cc, s(n)))
                if g:
                    break
        if en in CAPITAL_COORDS:
            lat, lon = CAPITAL_COORDS[en]
        elif g:
            lat, lon = g["lat"], g["lon"]
        else:
            print(f"capital without coordinates: {c3} {en}", file=sys.stderr)
            continue
        if g:
            used_geo.add(g["id"])
        G.add(names.split("|"), c3, lat, lon, "capital", en, "capital")

    # 3. Chinese prefectures, provincial capitals and municipalities
    pref_list = []
    for line in CN_PREFECTURES.strip().splitlines():
        _, names = line.split("\t")
        pref_list += names.split()
    for name in CN_MUNICIPALITIES + pref_list:
        base = strip_suffix(name)
        for suf in ("地区", "州"):
            if name.endswith(suf):
                base = name[: -len(suf)]
        g = by_name.get(("CN", name)) or by_name.get(("CN", base)) or by_name.get(("CN", base + "市"))
        if name in PREF_COORDS:
            lat, lon = PREF_COORDS[name]
            en = pinyin_key(base).capitalize()
        elif g:
            lat, lon, en = g["lat"], g["lon"], g["en"]
            if norm_en(en) != pinyin_key(base):  # GeoNames names the seat town (Bayi for 林芝)
                en = pinyin_key(base).capitalize()
            used_geo.add(g["id"])
        else:
            print(f"prefecture without coordinates: {name}", file=sys.stderr)
            continue
        extra = []
        if g and name == base:  # add the GeoNames forms that are the same name (not old names)
            extra = [n for n in g["names"] if strip_suffix(s(n)) == base and s(n) != base + "市"]
        G.add([name] + extra, "CHN", lat, lon, "city", en, "prefecture")

    # 4. CLDR exemplar cities (curated) + GeoNames by population
    cldr = {}
    for r in read_tsv(args.ref / "babel_cldr_exemplar_cities.tsv"):
        tzid = r["tzid"]
        if tzid.split("/")[0] in ("Antarctica", "Etc") or (tzid.count("/") > 1 and "Argentina" not in tzid):
            continue
        if tzid not in tz:
            continue
        cc, lat, lon = tz[tzid]
        en = tzid.split("/")[-1].replace("_", " ")
        names = [r["zh_Hans_CN"], r["zh_Hant_TW"], r["zh_Hant_HK"]]
        g = by_en.get((cc, norm_en(en)))
        if g is None:
            for n in names:
                g = by_name.get((cc, s(n)))
                if g:
                    break
        if g:
            g["cldr"] = names
        else:
            cldr[tzid] = dict(cc=cc, lat=lat, lon=lon, en=en, names=names)

    cands = []
    for g in geo:
        cc = g["cc"]
        big = g["pop"] >= (100_000 if cc in ("CN", "TW", "HK", "MO") else 300_000)
        if not big and "cldr" not in g:
            continue
        cands.append(g)
    cands.sort(key=lambda g: -g["pop"])
    for g in cands:
        if g["id"] in used_geo:
            continue
        cc = g["cc"]
        c3 = iso2to3.get(cc)
        if not c3:
            continue
        names = list(g.get("cldr", []))
        raw = []
        for n in g["names"]:
            if KANA.search(n) or HANGUL.search(n) or not HAN.match(n):
                continue
            if cc == "JP":
                n = JP2T.convert(n)
            if jp_only(n):
                continue
            raw.append(n)
        keys = {s(n) for n in raw}
        clean = []
        for n in raw:
            b = strip_suffix(n)
            if b != n and (s(b) in keys or cc in ("CN", "TW", "HK", "MO", "JP", "KR", "KP")):
                n = b
            clean.append(n)
        if cc == "CN":  # keep only names that read as the English (pinyin) name: drops old names
            want = norm_en(re.sub(r"\b(Shi|City|Zhen|Xian)\b", "", g["en"]))
            py = [n for n in clean if pinyin_key(s(n)) == want]
            clean = py or clean[:1]
        names += clean
        kind = "city"
        G.add(names, c3, g["lat"], g["lon"], kind, g["en"], f"geonames:{g['pop']}")

    for tzid, c in cldr.items():
        c3 = iso2to3.get(c["cc"])
        kind = "region" if any(s(n).endswith(("岛", "群岛")) for n in c["names"]) else "city"
        G.add(c["names"], c3, c["lat"], c["lon"], kind, c["en"], "cldr")

    # --- write ---------------------------------------------------------------------------------
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as f:
        f.write("# Magpie gazetteer: generated by tools/build_places.py from GeoNames (CC BY 4.0), CLDR\n")
        f.write("# exemplar cities (Unicode licence) and hand-curated tables; edit tools/places_extra.tsv\n")
        f.write("# or the tables in the script, then rerun it.\n")
        f.write("names\tcountry\tlat\tlon\tkind\ten\n")
        for r in G.rows:
            f.write(f"{'|'.join(r['names'])}\t{r['country']}\t{r['lat']:.4f}\t{r['lon']:.4f}\t{r['kind']}\t{r['en']}\n")
    kinds = {}
    for r in G.rows:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    print(f"wrote {len(G.rows)} rows to {args.out}: {kinds}", file=sys.stderr)

    if args.audit:
        import jieba
        import jieba.posseg
        jieba.initialize()
        dictfile = Path(jieba.__file__).parent / "dict.txt"
        words = {}
        for line in dictfile.read_text(encoding="utf-8").splitlines():
            w, freq, tag = line.split(" ")
            words[w] = (int(freq), tag)
        for r in G.rows:
            for n in r["names"]:
                k = s(n)
                if k in words and not words[k][1].startswith("ns") and r["src"] != "extra":
                    print(f"AUDIT\t{k}\t{words[k][0]}\t{words[k][1]}\t{r['en']}\t{r['country']}\t{r['src']}")
        for n, en, why in G.dropped:
            print(f"DROP\t{n}\t{en}\t{why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
