"""The ``kavychki extract`` command: inputs, ids, failures on stderr, exit codes, output options."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kavychki import Document
from kavychki.cli import main

MIOR = (
    "1 ноября МИОР опубликовало на своём сайте совместное заявление с Facebook. "
    "В МИОР подчеркнули, что Казахстан является первой страной в Центральной Азии, получившей доступ к системе.\n"
)
VISIT = "Министр Бен МакКонаги прибыл в Астану. МакКонаги встретился с представителями МИОР.\n"
SNOW = "В Алматы выпал первый снег. Синоптики Казгидромета сообщили, что похолодание продлится до пятницы.\n"
COURT = "Татьяна Ким отсудила долю в компании. Суд встал на сторону Татьяны Ким.\n"

# path inside the directory -> (bytes, expected id or None for a file that must fail, what stderr must say)
FILES: dict[str, tuple[bytes, str | None, str]] = {
    "top.txt": (VISIT.encode("utf-8"), "top", ""),
    "kz/astana/miop.txt": (MIOR.encode("utf-8"), "kz/astana/miop", ""),
    "kz/almaty/snow.txt": (SNOW.encode("utf-8"), "kz/almaty/snow", ""),
    "court/2024/ki.m.txt": (COURT.encode("utf-8"), "court/2024/ki.m", ""),  # only the last .txt goes
    "bom.txt": (b"\xef\xbb\xbf" + VISIT.encode("utf-8"), "bom", ""),
    "empty.txt": (b"", "empty", ""),  # an empty text is a document with nothing in it, not an error
    "windows/cp1251.txt": (VISIT.encode("cp1251"), None, "not UTF-8"),
    "binary.txt": (b"\x00\x01\x02\x03PK\x00\x00" + bytes(range(32)) + b"\x00" * 16, None, "binary data"),
}
IGNORED = {"notes.md": b"# not a text", "kz/README": b"no extension", "data.txt.bak": b"old"}
GOOD = {name: doc_id for name, (_, doc_id, _) in FILES.items() if doc_id is not None}
BAD = {name: message for name, (_, doc_id, message) in FILES.items() if doc_id is None}
RECORD_KEYS = {"id", "path", "entities", "clusters", "quotes", "speakers"}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name, data in {**{n: b for n, (b, _, _) in FILES.items()}, **IGNORED}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _records(out: str) -> list[dict]:
    lines = [line for line in out.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def _text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8").removeprefix("\ufeff")


def _check_directory_run(root: Path, code: int, out: str, err: str) -> None:
    assert code == 1
    records = _records(out)
    by_id = {r["id"]: r for r in records}
    assert set(by_id) == set(GOOD.values()), f"ids {sorted(by_id)}"
    assert len(records) == len(GOOD)
    # stable order: by path
    assert [r["id"] for r in records] == [GOOD[n] for n in sorted(GOOD, key=lambda n: (root / n).as_posix())]
    for name, doc_id in GOOD.items():
        record = by_id[doc_id]
        assert RECORD_KEYS <= set(record)
        assert "text" not in record and "sentences" not in record
        assert record["path"] == str(root / name)
        text = _text_of(root / name)
        for e in record["entities"]:
            assert text[e["start"] : e["end"]] == e["text"]
        for q in record["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]
    assert by_id["empty"]["entities"] == [] and by_id["empty"]["quotes"] == []
    assert {e["text"] for e in by_id["kz/astana/miop"]["entities"]} >= {"МИОР", "Казахстан"}
    assert by_id["bom"]["entities"] == by_id["top"]["entities"]  # the BOM does not shift offsets
    err_lines = err.splitlines()
    for name, message in BAD.items():
        named = [line for line in err_lines if str(root / name) in line]
        assert named, f"{name} not named on stderr:\n{err}"
        assert any(message in line for line in named), named
    assert "try --encoding cp1251" in err  # tells how to read the cp1251 file
    assert f"{len(BAD)} of {len(FILES)} documents could not be read" in err
    for name in (*GOOD, *IGNORED):
        assert str(root / name) + ":" not in err


def test_extract_directory(corpus_dir: Path, capsys) -> None:
    code = main(["extract", str(corpus_dir), "--no-progress"])
    out, err = capsys.readouterr()
    _check_directory_run(corpus_dir, code, out, err)


def test_extract_directory_subprocess(corpus_dir: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "kavychki", "extract", str(corpus_dir), "--no-progress"],
        capture_output=True, encoding="utf-8", timeout=120,
    )
    _check_directory_run(corpus_dir, run.returncode, run.stdout, run.stderr)


@pytest.mark.parametrize(
    "names, expected_ids, expected_code",
    [
        pytest.param(["kz/astana/miop.txt"], ["miop"], 0, id="one-file"),
        pytest.param(["top.txt", "kz/almaty/snow.txt"], ["top", "snow"], 0, id="two-files-in-order"),
        pytest.param(["court/2024/ki.m.txt"], ["ki.m"], 0, id="dots-in-name"),
        pytest.param(["notes.md"], ["notes.md"], 0, id="other-extension-kept"),
        pytest.param(["kz"], ["almaty/snow", "astana/miop"], 0, id="subdirectory-is-root"),
        pytest.param(["binary.txt", "top.txt"], ["top"], 1, id="bad-file-given-directly"),
    ],
)
def test_extract_files(corpus_dir: Path, capsys, names, expected_ids, expected_code) -> None:
    code = main(["extract", *(str(corpus_dir / n) for n in names), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == expected_code, err
    records = _records(out)
    assert [r["id"] for r in records] == expected_ids
    for r in records:
        assert RECORD_KEYS <= set(r)
        assert Path(r["path"]).is_file()


def test_extract_stdin(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(VISIT))
    code = main(["extract", "-", "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, err
    (record,) = _records(out)
    assert record["id"] == "stdin" and record["path"] == "-"
    names = {(e["type"], e["normal"]) for e in record["entities"]}
    assert ("PER", "Бен МакКонаги") in names
    assert {c["name"] for c in record["clusters"]} >= {"Бен МакКонаги", "МИОР"}


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["no-such-dir"], id="missing-dir"),
        pytest.param(["no-such-file.txt"], id="missing-file"),
        pytest.param(["top.txt", "no-such-file.txt"], id="one-good-one-missing"),
    ],
)
def test_extract_missing_path(corpus_dir: Path, capsys, args) -> None:
    code = main(["extract", *(str(corpus_dir / a) for a in args), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert str(corpus_dir / args[-1]) in err and "no such file or directory" in err


def test_extract_needs_a_path(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["extract"])
    assert info.value.code == 2
    assert "PATH" in capsys.readouterr().err


def test_extract_with_text(corpus_dir: Path, capsys) -> None:
    code = main(["extract", str(corpus_dir / "bom.txt"), str(corpus_dir / "kz" / "astana" / "miop.txt"),
                 "--with-text", "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, err
    records = _records(out)
    assert [r["id"] for r in records] == ["bom", "miop"]
    for record, name in zip(records, ["bom.txt", "kz/astana/miop.txt"], strict=True):
        text = _text_of(corpus_dir / name)
        assert record["text"] == text and not record["text"].startswith("\ufeff")
        assert record["sentences"]
        for s in record["sentences"]:
            assert text[s["start"] : s["end"]] == s["text"]
        # a record with its text is a full Document again
        doc = Document.from_dict(record)
        assert doc.id == record["id"] and doc.text == text


def test_extract_output_file(corpus_dir: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "out" / "result.jsonl"
    target.parent.mkdir()
    code = main(["extract", str(corpus_dir / "kz"), "-o", str(target), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == ""
    records = _records(target.read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ["almaty/snow", "astana/miop"]
    assert all(RECORD_KEYS <= set(r) for r in records)


def test_extract_no_quotes(corpus_dir: Path, capsys) -> None:
    code = main(["extract", str(corpus_dir / "kz" / "astana" / "miop.txt"), "--no-quotes", "--no-progress"])
    out, _ = capsys.readouterr()
    assert code == 0
    (record,) = _records(out)
    assert record["quotes"] == [] and record["speakers"] == []
    assert record["entities"]


def test_extract_debug_prints_the_trace(tmp_path, capsys):
    from kavychki.cli import main

    article = tmp_path / "a.txt"
    article.write_text("«Мы готовы», — сказала директор рынка Анна Петрова.", encoding="utf-8")
    assert main(["extract", str(article), "--debug", "--no-progress", "-o", str(tmp_path / "out.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "== a" in err and "quote-dash-verb-speaker" in err and "Анна Петрова" in err


def test_show_prints_the_article_and_writes_html(tmp_path, capsys):
    from kavychki.cli import main

    article = tmp_path / "a.txt"
    article.write_text("«Мы готовы», — сказала директор рынка Анна Петрова.", encoding="utf-8")
    assert main(["show", str(article)]) == 0
    out = capsys.readouterr().out
    assert "[Анна Петрова]" in out and "Speakers" in out
    page = tmp_path / "a.html"
    assert main(["show", str(article), "--html", str(page)]) == 0
    assert '<span class="kv-speaker">Анна Петрова</span>' in page.read_text(encoding="utf-8")
    assert main(["show", str(tmp_path / "missing.txt")]) == 2


# ---------------------------------------------------------------------------------------------
# encodings, HTML, related links, and the messages of every error a user can cause

ARTICLE = "Министр Бен МакКонаги прибыл в Астану. «Мы готовы», — заявил МакКонаги.\n"
PLAIN = 'Министр Бен МакКонаги прибыл в Астану. "Мы готовы", - заявил МакКонаги.\n'  # for KOI8-R and cp866


def _run(*args: str) -> tuple[int, list[dict], list[dict]]:
    """Run ``kavychki extract ARGS -o out.jsonl`` (the last arg is the output); records and errors."""
    out = Path(args[-1])
    code = main(["extract", *args[:-1], "-o", str(out), "--no-progress"])
    errors_file = out.with_name(f"{out.stem}.errors.jsonl")
    errors = [json.loads(line) for line in errors_file.read_text(encoding="utf-8").splitlines()]
    return code, _records(out.read_text(encoding="utf-8")), errors


# (file bytes, what the message says beside the path)
ENCODINGS = [
    (ARTICLE.encode("cp1251"), ["not UTF-8", "byte 0xcc at offset 0, line 1", "try --encoding cp1251"]),
    (PLAIN.encode("koi8_r"), ["not UTF-8", "offset 0", "try --encoding koi8-r"]),
    (PLAIN.encode("cp866"), ["not UTF-8", "try --encoding cp866"]),
    (("Первая строка.\n" + ARTICLE).encode("utf-8") + "Ещё".encode("cp1251"),
     ["byte 0xc5 at offset 158, line 3", "try --encoding cp1251"]),
    (b"\x00\x01\x02PK\x03\x04", ["binary data (NUL bytes at offset 0)"]),
]


@pytest.mark.parametrize("data, says", ENCODINGS)
def test_a_file_that_is_not_utf8_is_named_with_the_byte_and_the_encoding_to_try(tmp_path: Path, capsys, data: bytes,
                                                                                 says: list[str]) -> None:
    (tmp_path / "a.txt").write_bytes(data)
    code, records, errors = _run(str(tmp_path / "a.txt"), str(tmp_path / "out.jsonl"))
    assert code == 1 and records == []
    (error,) = errors
    assert error["stage"] == "decode" and error["message"].startswith(str(tmp_path / "a.txt") + ":")
    for part in says:
        assert part in error["message"], error["message"]
    assert error["message"] in capsys.readouterr().err


@pytest.mark.parametrize("encoding, text", [("cp1251", ARTICLE), ("koi8-r", PLAIN), ("cp866", PLAIN)])
def test_encoding_decodes_the_files(tmp_path: Path, capsys, encoding: str, text: str) -> None:
    (tmp_path / "a.txt").write_bytes(text.encode(encoding))
    code, (record,), errors = _run(str(tmp_path / "a.txt"), "--encoding", encoding, str(tmp_path / "out.jsonl"))
    assert code == 0 and errors == []
    assert [(e["text"], e["start"]) for e in record["entities"] if e["type"] == "PER"][0] == ("Бен МакКонаги", 8)
    assert record["quotes"][0]["text"] == "Мы готовы" and text[record["quotes"][0]["start"]:].startswith("Мы")


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_bytes(ARTICLE.encode("utf-16"))
    code, (record,), _ = _run(str(tmp_path / "a.txt"), str(tmp_path / "out.jsonl"))
    assert code == 0 and record["quotes"][0]["text"] == "Мы готовы"


def test_an_unknown_encoding_stops_before_anything_runs(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(tmp_path / "a.txt"), "--encoding", "cp1521", "--no-progress"]) == 2
    assert "unknown encoding 'cp1521'" in capsys.readouterr().err


PAGE = """<!DOCTYPE html><html><head><title>МакКонаги в Астане</title>
<style>p { color: red }</style><script>var s = "«Не цитата», — сказал скрипт";</script></head>
<body><nav><a href="/">Главная</a></nav><article><h1>Визит</h1>
<p>Министр Бен&nbsp;МакКонаги прибыл в Астану.</p><p>&laquo;Мы готовы&raquo;, &mdash; заявил МакКонаги.</p>
</article></body></html>"""


def test_an_html_page_is_named_with_the_option_that_reads_it(tmp_path: Path, capsys) -> None:
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    code, (record,), _ = _run(str(tmp_path / "page.txt"), str(tmp_path / "out.jsonl"))
    err = capsys.readouterr().err
    assert code == 0 and f"{tmp_path / 'page.txt'}: looks like an HTML page" in err and "--html" in err
    assert "text" not in record  # read as given: offsets index the page itself
    assert all(PAGE[e["start"] : e["end"]] == e["text"] for e in record["entities"])


def test_html_strips_the_page_and_the_record_holds_the_text_its_offsets_index(tmp_path: Path, capsys) -> None:
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "visit.html").write_text(PAGE, encoding="utf-8")
    code, (record,), _ = _run(str(tmp_path / "pages"), "--html", str(tmp_path / "out.jsonl"))
    assert code == 0 and "looks like an HTML page" not in capsys.readouterr().err
    text = record["text"]
    assert text.startswith("МакКонаги в Астане\n\nГлавная\n\nВизит\n\nМинистр Бен\u00a0МакКонаги прибыл в Астану.")
    assert "<" not in text and "скрипт" not in text and "color" not in text
    for e in record["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
    assert [(q["text"], q["speaker"]["name"]) for q in record["quotes"]] == [("Мы готовы", "Бен МакКонаги")]
    assert Document.from_dict(record).text == text


@pytest.mark.parametrize("text, is_html", [
    (PAGE, True),
    ("<p>Первый абзац.</p><p>Второй <a href='x'>ссылка</a> <b>жирный</b> <i>курсив</i><br><span>.</span></p>", True),
    ("Курс 1 < 2 > 0, а «<<Известия>>» пишут <так>.", False),
    ("Министр заявил: «Мы <не> уйдём».", False),
    ("", False),
])
def test_looks_like_html(text: str, is_html: bool) -> None:
    from kavychki.htmltext import looks_like_html

    assert looks_like_html(text) is is_html


SCRAPED = (
    "«Мы не делали совместного заявления с правительством», — сообщил директор Meta Platforms Бен МакКонаги.\n"
    "Глава МИОР Аскар Жумагалиев заявил, что доступ к системе получен.\n"
    "Читайте также:\n"
    "«Цены на бензин вырастут к лету», — заявил министр энергетики Алмасадам Саткалиев\n"
    "Токаев: «Мы не допустим роста тарифов»\n"
)


@pytest.mark.parametrize("flag, speakers", [
    ((), ["Бен МакКонаги", "Аскар Жумагалиев"]),
    (("--include-related",), ["Бен МакКонаги", "Аскар Жумагалиев", "Алмасадам Саткалиев", "Токаев"]),
])
def test_include_related_keeps_the_related_links_in_the_speaker_summary(tmp_path: Path, capsys, flag, speakers) -> None:
    (tmp_path / "a.txt").write_text(SCRAPED, encoding="utf-8")
    code, (record,), _ = _run(str(tmp_path / "a.txt"), *flag, str(tmp_path / "out.jsonl"))
    assert code == 0
    assert [s["name"] for s in record["speakers"]] == speakers
    related = SCRAPED.index("Читайте также")
    # entities there are always in the output, flagged; nothing is cut from the text
    assert [e["text"] for e in record["entities"] if e["zone"] == "related"] == ["Алмасадам Саткалиев", "Токаев"]
    assert all((e["start"] >= related) == (e["zone"] == "related") for e in record["entities"])
    assert all((q["start"] >= related) == (q["zone"] == "related") for q in record["quotes"])
    assert len(record["quotes"]) == len(speakers)


def test_include_related_in_python(pipeline) -> None:
    import kavychki

    default = pipeline(SCRAPED)
    keeping = kavychki.Pipeline(include_related=True)(SCRAPED)
    assert [s.name for s in default.speakers] == ["Бен МакКонаги", "Аскар Жумагалиев"]
    assert [q.zone for q in keeping.quotes] == ["body", "body", "related", "related"]
    assert len(keeping.speakers) == 4 and keeping.entities == default.entities


# (file name, bytes, the message of the failure beside the path)
RECORDS = [
    ("news.jsonl", b'{"text": "\xd0\x9c\xd0\xb8\xd1\x80"}\n{"text": oops}\n',
     "news.jsonl line 2: not JSON (Expecting value at column 10); fix or remove the line"),
    ("news.jsonl", b'{"text": "a"}\n[1, 2]\n', "news.jsonl line 2: an array, not a JSON object"),
    ("news.jsonl", b'\n\n{"body": "x", "title": "y"}\n',
     "news.jsonl line 3: no text field 'text' (fields: body, title); choose the field with --text-field"),
    ("news.jsonl", b'{"text": 7}\n', "news.jsonl line 1: a int, not text, in the field 'text'"),
    ("news.jsonl", b'{"text": "a"}\n' + '{"text": "Мир"}\n'.encode("cp1251"),
     "news.jsonl line 2: not UTF-8 (byte 0xcc at offset 24 of the file); try --encoding cp1251"),
    ("news.csv", "id,text\n1,Министр прибыл.\n".encode() + "2,Министр\n".encode("cp1251") + b"3,ok\n",
     "news.csv row 2 (line 3): not UTF-8 (byte 0xcc); try --encoding cp1251"),
    ("news.csv", b"id,text\n1,a\n2\n3,b\n", "news.csv row 2 (line 3): no 'text' column in this row"),
]


@pytest.mark.parametrize("name, data, message", RECORDS)
def test_a_bad_record_is_named_with_its_line_and_what_to_do(tmp_path: Path, capsys, name: str, data: bytes,
                                                            message: str) -> None:
    (tmp_path / name).write_bytes(data)
    code, records, errors = _run(str(tmp_path / name), str(tmp_path / "out.jsonl"))
    assert code == 1
    (error,) = errors
    assert error["message"] == f"{tmp_path}/{message}" or error["message"].startswith(f"{tmp_path}/{message}"), \
        error["message"]
    assert len(records) == len([line for line in data.splitlines()[1 if name.endswith(".csv") else 0:]
                                if line.strip()]) - 1  # the other records are still processed


# (what the directory holds, what the message says)
DIRECTORIES = [
    ({}, "an empty directory (no .txt files in it or below); check the path"),
    ({"a.jsonl": b"{}", "b.jsonl": b"{}"}, "no .txt files in this directory or below (it holds 2 .jsonl files); "
                                          "read them with --input-format jsonl"),
    ({"p.html": b"<p>x</p>", "d.csv": b"text\nx"}, "read them with --html or --input-format csv"),
    ({"README": b"x"}, "(it holds 1 (no ending) files); name the files to read them as text"),
]


@pytest.mark.parametrize("files, says", DIRECTORIES)
def test_a_directory_without_texts_is_named_with_what_it_holds(tmp_path: Path, capsys, files: dict,
                                                               says: str) -> None:
    root = tmp_path / "in"
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    assert main(["extract", str(root), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"kavychki: {root}: " in err and says in err, err
