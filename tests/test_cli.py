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
