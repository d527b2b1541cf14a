import codecs
import io
import json

from magpie.document import Document, Reject
from magpie.read import read_inputs, read_jsonl_lines
from magpie.read.encoding import decode

TEXT = "俄罗斯总统普京21日与埃及总统塞西通了电话。"
TRAD = "俄羅斯總統普京21日與埃及總統塞西通了電話。"


def test_encodings_are_detected():
    for data, expected in [
        (TEXT.encode("utf-8"), TEXT),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), TEXT),
        (TEXT.encode("utf-16"), TEXT),
        (TEXT.encode("utf-16-le"), TEXT),
        (TEXT.encode("gb18030"), TEXT),
        (TRAD.encode("big5"), TRAD),
    ]:
        text, problem = decode(data)
        assert problem is None and text == expected


def test_binary_and_undecodable_bytes_are_refused():
    assert decode(bytes(range(256)) * 4)[0] is None
    text, problem = decode(b"\x81\x30\xff\xfe\xfd\xfc" * 20)
    assert text is None and "undecodable" in problem


def test_txt_folder_and_errors(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    items = list(read_inputs([tmp_path, tmp_path / "missing.txt"], published="2017-11-22"))
    docs = [i for i in items if isinstance(i, Document)]
    rejects = {str(i).split("/")[-1] for i in items if isinstance(i, Reject)}
    assert [d.id for d in docs] == ["a"] and docs[0].published == "2017-11-22"
    assert any(r.startswith("empty.txt") and "empty" in r for r in rejects)
    assert any(r.startswith("bin.txt") and "binary" in r for r in rejects)
    assert any("missing.txt" in r and "no such file" in r for r in rejects)


def test_jsonl_lines_with_errors_name_the_line():
    lines = [
        json.dumps({"id": "x1", "text": TEXT, "published": "2017-11-22"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "x3"}),
        json.dumps({"id": "x4", "text": TEXT, "published": "yesterday"}, ensure_ascii=False),
        json.dumps(["a list"]),
        "",
        json.dumps({"text": TEXT}, ensure_ascii=False),
    ]
    stream = io.BytesIO("\n".join(lines).encode("utf-8"))
    items = list(read_jsonl_lines(stream, "in.jsonl"))
    docs = [i for i in items if isinstance(i, Document)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [d.id for d in docs] == ["x1", "in-7"]
    assert [r.line for r in rejects] == [2, 3, 4, 5]
    assert "not valid JSON" in str(rejects[0]) and str(rejects[0]).startswith("in.jsonl:2:")
    assert "'text'" in rejects[1].reason and "'published'" in rejects[2].reason


def test_html_main_text_title_and_date(tmp_path):
    html = (
        "<html><head><title>俄美总统通话</title><meta property='article:published_time' content='2017-11-22'>"
        "</head><body><nav>首页 新闻 国际</nav><article><h1>俄美总统通话</h1><p>" + TEXT * 3 + "</p><p>"
        "普京向特朗普介绍了他与叙利亚总统巴沙尔·阿萨德的会面，这两位领导人一致认为和平进程很重要。</p>"
        "</article><footer>版权所有</footer></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    (doc,) = list(read_inputs([path]))
    assert isinstance(doc, Document)
    assert doc.title == "俄美总统通话" and doc.metadata_published == "2017-11-22" and doc.published is None
    assert "塞西" in doc.text and "版权所有" not in doc.text
