"""Corpus runs in other formats: JSON Lines, CSV and Parquet in; CSV and Parquet tables out."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kavychki.cli import main
from kavychki.readers import Fields, open_inputs
from kavychki.writers import COLUMNS, entity_rows, quote_rows

VISIT = "Министр Бен МакКонаги прибыл в Астану. «Мы готовы», — заявил МакКонаги.\n"
SNOW = "В Алматы выпал первый снег. Синоптики Казгидромета сообщили, что похолодание продлится до пятницы."
MULTILINE = "Татьяна Ким отсудила долю в компании.\n\n«Суд встал на мою сторону», — сказала Татьяна Ким."


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _extract(*args: str) -> int:
    return main(["extract", *args, "--no-progress"])


# ---------------------------------------------------------------------------------------------
# inputs


@pytest.fixture()
def news_jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps({"id": "v1", "body": VISIT, "text": "not this one"}, ensure_ascii=False),
        "",  # blank lines are skipped, but counted as lines
        json.dumps({"body": SNOW}, ensure_ascii=False),  # no id: news:3
        "{not json",
        json.dumps({"id": 7, "title": "no body"}),
        json.dumps({"id": "m", "body": MULTILINE}, ensure_ascii=False),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_input_with_fields(news_jsonl: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.jsonl"
    code = _extract(str(news_jsonl), "--text-field", "body", "-o", str(out))
    err = capsys.readouterr().err
    assert code == 1
    records = _lines(out)
    assert [r["id"] for r in records] == ["v1", "news:3", "m"]
    assert all(r["path"] == str(news_jsonl) for r in records)
    assert {e["normal"] for e in records[0]["entities"]} >= {"Бен МакКонаги"}
    errors = _lines(tmp_path / "out.errors.jsonl")
    assert [(e["id"], e["stage"]) for e in errors] == [("news:4", "parse"), ("7", "parse")]
    assert f"{news_jsonl} line 4: not JSON" in errors[0]["message"] and "fix or remove the line" in errors[0]["message"]
    assert "no text field 'body'" in errors[1]["message"] and "--text-field" in errors[1]["message"]
    assert "2 of 5 documents could not be read" in err


def test_jsonl_ids_from_another_field(news_jsonl: Path, tmp_path: Path) -> None:
    inputs = open_inputs([str(news_jsonl)], fields=Fields(text="body", id="title"))
    assert [d.id for d in inputs] == ["news:1", "news:3", "news:4", "no body", "news:6"]
    assert inputs.count() == 5


def test_csv_input(tmp_path: Path, capsys) -> None:
    path = tmp_path / "table.csv"
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerows([["id", "text", "source"], ["a", VISIT, "x"], ["", MULTILINE, "y"], ["c", SNOW, "z"]])
    out = tmp_path / "out.jsonl"
    assert _extract(str(path), "-o", str(out)) == 0
    records = _lines(out)
    assert [r["id"] for r in records] == ["a", "table:2", "c"]
    assert any(q["speaker"] and q["speaker"]["name"] == "Татьяна Ким" for q in records[1]["quotes"])
    assert open_inputs([str(path)]).count() == 3


def test_a_table_without_the_text_column_stops_before_anything_runs(tmp_path: Path, capsys) -> None:
    path = tmp_path / "table.csv"
    path.write_text("id,body\na,текст\n", encoding="utf-8")
    assert _extract(str(path), "-o", str(tmp_path / "o.jsonl")) == 2
    err = capsys.readouterr().err
    assert "no column 'text' (columns: id, body)" in err and "--text-field" in err
    assert not (tmp_path / "o.jsonl").exists()


def test_parquet_input(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "news.parquet"
    pq.write_table(pa.table({"doc": ["p1", None, "p3"], "content": [VISIT, SNOW, None]}), path)
    out = tmp_path / "out.jsonl"
    assert _extract(str(path), "--text-field", "content", "--id-field", "doc", "-o", str(out)) == 1
    assert [r["id"] for r in _lines(out)] == ["p1", "news:2"]
    (error,) = _lines(tmp_path / "out.errors.jsonl")
    assert error["id"] == "p3" and "row 3: no text" in error["message"]


def test_a_directory_of_tables_with_input_format(tmp_path: Path, news_jsonl: Path) -> None:
    inputs = open_inputs([str(tmp_path)], format="jsonl", fields=Fields(text="body"))
    assert [d.id for d in inputs][:2] == ["v1", "news:3"]


# ---------------------------------------------------------------------------------------------
# outputs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name, text in {"a.txt": VISIT, "b.txt": SNOW, "c.txt": MULTILINE, "d.txt": ""}.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "e.txt").write_bytes(b"\x00binary")
    return root


@pytest.fixture(scope="module")
def records(corpus: Path, tmp_path_factory) -> list[dict]:
    out = tmp_path_factory.mktemp("jsonl") / "out.jsonl"
    assert _extract(str(corpus), "-o", str(out)) == 1
    return _lines(out)


def _csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_csv_tables(corpus: Path, records: list[dict], tmp_path: Path) -> None:
    out = tmp_path / "tables.csv"
    assert _extract(str(corpus), "-o", str(out)) == 1
    assert sorted(p.name for p in out.iterdir()) == ["documents.csv", "entities.csv", "quotes.csv"]
    documents = _csv(out / "documents.csv")
    assert [d["doc_id"] for d in documents] == ["a", "b", "c", "d"]
    assert documents[0]["chars"] == str(len(VISIT)) and documents[3]["entities"] == "0"
    entities = _csv(out / "entities.csv")
    expected = [row for r in records for row in entity_rows(r)]
    assert len(entities) == len(expected) and list(entities[0]) == [n for n, _ in COLUMNS["entities"]]
    assert [e["normal"] for e in entities] == [e["normal"] for e in expected]
    quotes = _csv(out / "quotes.csv")
    assert [q["text"] for q in quotes] == [q["text"] for r in records for q in r["quotes"]]
    assert (tmp_path / "tables.errors.jsonl").exists()


def test_parquet_tables(corpus: Path, records: list[dict], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "tables.parquet"
    assert _extract(str(corpus), "-o", str(out), "--part-size", "2") == 1
    # five documents in parts of two: the binary file counts in the last part
    assert sorted(p.name for p in (out / "quotes").iterdir()) == ["part-00000.parquet", "part-00001.parquet",
                                                                  "part-00002.parquet"]
    documents = pq.read_table(out / "documents").to_pylist()
    assert [d["doc_id"] for d in documents] == ["a", "b", "c", "d"]
    entities = pq.read_table(out / "entities").to_pylist()
    assert entities == [row for r in records for row in entity_rows(r)]
    quotes = pq.read_table(out / "quotes").to_pylist()
    assert quotes == [row for r in records for row in quote_rows(r)]
    speaker = next(q for q in quotes if q["speaker"] == "Бен МакКонаги")
    assert speaker["speaker_type"] == "PER" and speaker["cue_text"] == "заявил" and speaker["speaker_gender"] == "masc"
    assert pq.read_schema(out / "quotes" / "part-00001.parquet").field("confidence").type == "double"


def test_parquet_parts_are_the_same_after_a_resume(corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from kavychki.batch import Run
    from kavychki.writers import ErrorsWriter, ParquetWriter

    def run(out: Path, stop_after: int | None = None) -> None:
        batch = Run(open_inputs([str(corpus)]), ParquetWriter(str(out), part_size=2),
                    errors=ErrorsWriter(f"{out}.errors"), chunk_size=3)
        batch.open()
        for n, _ in enumerate(batch, 1):
            if n == stop_after:
                break

    run(tmp_path / "clean")
    run(tmp_path / "resumed", stop_after=3)  # one part written, the third document's rows lost
    (tmp_path / "resumed" / "quotes" / "part-00007.parquet").write_bytes(b"left over")
    run(tmp_path / "resumed")
    for table in COLUMNS:
        clean = sorted((tmp_path / "clean" / table).iterdir())
        resumed = sorted((tmp_path / "resumed" / table).iterdir())
        assert [p.name for p in clean] == [p.name for p in resumed]
        assert [p.read_bytes() for p in clean] == [p.read_bytes() for p in resumed]


def test_tables_need_an_output_directory(corpus: Path, capsys) -> None:
    assert _extract(str(corpus), "--format", "csv") == 2
    assert "give one with -o" in capsys.readouterr().err
