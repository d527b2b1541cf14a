"""The CLI through its real entry point (the installed `magpie` command)."""

import json
import subprocess
import sys

from magpie.cli import main

from .conftest import SEED

MAGPIE = [sys.executable, "-m", "magpie.cli"]


def run(*args, stdin=None):
    return subprocess.run([*MAGPIE, *args], input=stdin, capture_output=True, timeout=120)


def test_bad_input_is_reported_and_the_rest_is_coded(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("俄罗斯总统普京21日与埃及总统塞西通了电话。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "latin.txt").write_bytes(b"\xff\xfe\xfa" * 3 + b"\x81")
    lines = tmp_path / "docs.jsonl"
    lines.write_text('{"id": "ok", "text": "中方对印尼的努力表示赞赏。", "published": "2011-02-22"}\n{broken\n',
                     encoding="utf-8")
    result = run("code", "--format", "jsonl", "--published", "2017-11-22", str(tmp_path))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "empty.txt: empty file" in err
    assert "binary.txt: binary data" in err
    assert "docs.jsonl:2: not valid JSON" in err
    events = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert {e["doc_id"] for e in events} == {"good", "ok"}


def test_all_good_input_exits_zero_and_stdin_jsonl():
    doc = {"id": "s1", "text": "俄罗斯总统普京21日与埃及总统塞西通了电话。", "published": "2017-11-22"}
    result = run("code", "-", stdin=json.dumps(doc, ensure_ascii=False).encode("utf-8"))
    assert result.returncode == 0, result.stderr
    (event,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert (event["source"]["code"], event["code"], event["target"]["code"]) == ("RUSGOV", "041", "EGYGOV")


def test_table_output_and_summary(capsys):
    assert main(["code", "--format", "table", str(SEED)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0].split()[:3] == ["DATE", "SOURCE", "CODE"]
    assert "俄羅斯總統普京" in captured.out
    assert "1 documents coded" in captured.err


def test_usage_errors_exit_two(tmp_path, capsys):
    assert main(["code", "--published", "22/11/2017", str(SEED)]) == 2
    assert "expected YYYY-MM-DD" in capsys.readouterr().err
    bad = tmp_path / "bad.tsv"
    bad.write_text("names\tcode\ten\tnote\n普京\tNOT A CODE\t\t\nX\n", encoding="utf-8")
    assert main(["code", "--lexicon", str(bad), str(SEED)]) == 2
    err = capsys.readouterr().err
    assert "bad.tsv" in err


def test_user_lexicon_adds_a_person(tmp_path, capsys):
    lexicon = tmp_path / "people.tsv"
    lexicon.write_text("names\tcode\tstart\tend\ten\tnote\n阿卜杜拉希·苏莱曼\tNGAGOV\t2015\t\tTest\t\n",
                       encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("阿卜杜拉希·苏莱曼21日与俄罗斯总统普京通了电话。", encoding="utf-8")
    assert main(["code", "--quiet", "--format", "jsonl", "--published", "2017-11-22", "--lexicon", str(lexicon),
                 str(doc)]) == 0
    (event,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert event["source"]["code"] == "NGAGOV" and event["code"] == "041"


def test_lexicon_check_command(capsys):
    assert main(["lexicon", "check"]) == 0
    assert "0 problem(s)" in capsys.readouterr().err


def test_documents_report_says_what_cleaning_removed(tmp_path, capsys):
    report = tmp_path / "docs.jsonl"
    assert main(["code", "-q", "--format", "jsonl", "--documents", str(report), str(SEED)]) == 0
    (doc,) = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert doc["published"] == "2017-11-22" and doc["published_inferred"] and doc["script"] == "hant"
    reasons = [r["reason"] for r in doc["removed"]]
    assert reasons.count("repeated") == 4 and reasons.count("caption") == 2 and doc["removed"][0]["text"] == "華文網"
    assert doc["events"] == len(capsys.readouterr().out.splitlines())


def _one_document(tmp_path, text):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "x", "published": "2019-03-22", "text": text}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


def test_actors_unknown_lists_discovered_people(tmp_path, capsys):
    doc = _one_document(tmp_path, "也门外长阿卜杜勒·瓦哈卜21日在萨那会见了伊朗外长。瓦哈卜表示，也门愿同伊朗加强合作。")
    assert main(["actors", "--unknown", "-q", str(doc)]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split("\t") == ["names", "code", "start", "end", "en", "note"]
    names, code, start, _, _, note = rows[0].split("\t")
    assert (names, code, start) == ("阿卜杜勒·瓦哈卜", "YEMGOV", "2019")
    assert "也门外长" in note and "1 event(s)" in note
    # the rows are a valid user lexicon: add them and the name is known
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert main(["actors", "--unknown", "-q", "--lexicon", str(lexicon), str(doc)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == []


def test_workers_give_the_same_output_in_the_same_order(tmp_path):
    examples = str(SEED.parent)
    one = run("code", "--format", "jsonl", "-q", str(SEED), examples)
    two = run("code", "--format", "jsonl", "-q", "--workers", "2", str(SEED), examples)
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout and one.stdout


def test_actors_unknown_leaves_out_anonymised_people(tmp_path, capsys):
    doc = _one_document(tmp_path, "目前，犯罪嫌疑人郭某已被警方抓获归案。市委书记张建明会见了台湾客人。")
    assert main(["actors", "--unknown", "-q", str(doc)]) == 0
    names = [row.split("\t")[0] for row in capsys.readouterr().out.splitlines()[1:]]
    assert "郭某" not in names and "张建明" in names
