"""Corpus runs in this process: errors files, failures inside stages, resuming, journals, chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kavychki.batch import (
    Journal,
    LocalEngine,
    Options,
    Result,
    Run,
    Task,
    _chunks,
    _Done,
    _ranges,
    plan_workers,
    stage_of,
)
from kavychki.cli import main
from kavychki.readers import open_inputs
from kavychki.writers import ErrorsWriter, JsonLinesWriter

VISIT = "Министр Бен МакКонаги прибыл в Астану. «Мы готовы», — заявил МакКонаги.\n"
SNOW = "В Алматы выпал первый снег. Синоптики Казгидромета сообщили, что похолодание продлится до пятницы.\n"
COURT = "Татьяна Ким отсудила долю в компании. Суд встал на сторону Татьяны Ким.\n"
BOOM = "ВЗРЫВ"  # documents holding this word make a patched stage raise

# name -> bytes; None in BAD means a document that must fail, with what its message says
GOOD = {
    "a.txt": VISIT.encode(),
    "b/snow.txt": SNOW.encode(),
    "c.txt": COURT.encode(),
    "empty.txt": b"",
    "long.txt": ((VISIT + SNOW + COURT) * 120).encode(),  # 30 KB
}
BAD = {
    "cp1251.txt": (VISIT.encode("cp1251"), "decode", "not UTF-8"),
    "binary.txt": (b"\x00\x01PK\x03\x04" + bytes(range(64)), "decode", "binary data"),
    "blob.txt": (bytes(range(256)) * 4, "decode", "binary data"),  # no UTF-8 either: binary is said first
}


def _write(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    return _write(tmp_path / "corpus", {**GOOD, **{n: b for n, (b, _, _) in BAD.items()}})


def test_bad_documents_go_to_the_errors_file(corpus: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.jsonl"
    code = main(["extract", str(corpus), "-o", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    records = _lines(out)
    assert [r["id"] for r in records] == ["a", "b/snow", "c", "empty", "long"]  # every good one, in order
    assert records[3]["entities"] == [] and len(records[4]["entities"]) > 300
    errors = _lines(tmp_path / "out.errors.jsonl")
    assert [(e["id"], e["stage"]) for e in errors] == [("binary", "decode"), ("blob", "decode"), ("cp1251", "decode")]
    for error in errors:
        name = f"{error['id']}.txt"
        assert error["path"] == str(corpus / name)
        assert error["message"].startswith(str(corpus / name)) and BAD[name][2] in error["message"]
    assert "3 of 8 documents could not be read" in err
    assert f"5 of 8 documents written to {out}" in err and "failures are listed in" in err
    assert not (tmp_path / "out.jsonl.journal").exists()  # a finished run leaves no journal


def test_a_clean_run_exits_0_with_an_empty_errors_file(tmp_path: Path, capsys) -> None:
    root = _write(tmp_path / "ok", {"a.txt": VISIT.encode()})
    out = tmp_path / "res" / "out.jsonl"
    out.parent.mkdir()
    assert main(["extract", str(root), "-o", str(out), "--no-progress"]) == 0
    assert (tmp_path / "res" / "out.errors.jsonl").read_bytes() == b""
    assert "1 of 1 documents written" in capsys.readouterr().err


def test_an_exception_inside_the_quote_stage_fails_one_document(tmp_path: Path, monkeypatch, capsys) -> None:
    import kavychki.quotes

    original = kavychki.quotes.find_direct

    def find_direct(ctx):
        if BOOM in ctx.text:
            raise RuntimeError("the patched stage refuses this text")
        return original(ctx)

    monkeypatch.setattr(kavychki.quotes, "find_direct", find_direct)
    root = _write(tmp_path / "c", {"1.txt": VISIT.encode(), "2.txt": f"{BOOM}. {SNOW}".encode(),
                                   "3.txt": COURT.encode()})
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(root), "-o", str(out), "--no-progress"]) == 1
    assert [r["id"] for r in _lines(out)] == ["1", "3"]
    (error,) = _lines(tmp_path / "out.errors.jsonl")
    assert error["id"] == "2" and error["stage"] == "quotes"
    assert "RuntimeError: the patched stage refuses this text" in error["message"]
    assert "1 of 3 documents failed while being processed" in capsys.readouterr().err


def test_an_exception_inside_a_batched_stage_fails_only_its_document(tmp_path: Path, monkeypatch) -> None:
    """The NER model reads 16 documents at once: when the batch raises, each is run alone."""
    from kavychki.entities import NerTagger

    original = NerTagger._tag_words

    def tag_words(self, items):
        if any(BOOM in word for words in items for word in words):
            raise ValueError("the patched model refuses this batch")
        return original(self, items)

    monkeypatch.setattr(NerTagger, "_tag_words", tag_words)
    files = {f"{i:02d}.txt": (VISIT if i != 4 else f"{BOOM} {VISIT}").encode() for i in range(8)}
    root = _write(tmp_path / "c", files)
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(root), "-o", str(out), "--no-progress"]) == 1
    assert [r["id"] for r in _lines(out)] == [f"{i:02d}" for i in range(8) if i != 4]
    (error,) = _lines(tmp_path / "out.errors.jsonl")
    assert (error["id"], error["stage"]) == ("04", "entities")


def test_a_vanished_file_is_a_read_failure(tmp_path: Path) -> None:
    root = _write(tmp_path / "c", {"a.txt": VISIT.encode(), "gone.txt": SNOW.encode()})
    inputs = open_inputs([str(root)])
    (root / "gone.txt").unlink()  # listed, then deleted before it is read
    writer, errors = JsonLinesWriter(str(tmp_path / "o.jsonl")), ErrorsWriter(str(tmp_path / "e.jsonl"))
    run = Run(inputs, writer, errors=errors)
    run.open()
    results = list(run)
    assert [r.ok for r in results] == [True, False]
    assert results[1].failure.stage == "read" and "cannot read" in results[1].failure.message
    assert run.summary.ok == 1 and run.summary.failed == {"read": 1}


# ---------------------------------------------------------------------------------------------
# resuming


def _run(root: Path, out: Path, stop_after: int | None = None, **kwargs) -> Run:
    run = Run(open_inputs([str(root)]), JsonLinesWriter(str(out)), errors=ErrorsWriter(f"{out}.err"),
              chunk_size=2, **kwargs)
    run.open()
    for n, _ in enumerate(run, 1):
        if n == stop_after:
            break  # the run stops here, as after Ctrl-C: its journal stays
    return run


@pytest.fixture()
def many(tmp_path: Path) -> Path:
    texts = [VISIT, SNOW, COURT]
    files = {f"{i:02d}.txt": texts[i % 3].encode() for i in range(9)}
    files["05.txt"] = b"\xff\xfe broken"
    return _write(tmp_path / "many", files)


@pytest.mark.parametrize("stop_after", [1, 4, 5, 8])
@pytest.mark.parametrize("tear", [b"", b'{"id": "07", "path": "torn', b"\n"])
def test_an_interrupted_run_resumes_to_the_same_bytes(many: Path, tmp_path: Path, stop_after: int,
                                                      tear: bytes) -> None:
    clean = tmp_path / "clean.jsonl"
    _run(many, clean)
    out = tmp_path / "out.jsonl"
    _run(many, out, stop_after=stop_after)
    assert Path(f"{out}.journal").exists()
    with open(out, "ab") as file:
        file.write(tear)  # a crash in the middle of a line, or after a line the journal never counted
    run = _run(many, out)
    assert run.summary.resumed == (stop_after - 1) // 2 * 2  # chunks of 2, committed once written whole
    assert out.read_bytes() == clean.read_bytes()
    assert Path(f"{out}.err").read_bytes() == Path(f"{clean}.err").read_bytes()
    assert run.summary.ok == 8 and run.summary.failed == {"decode": 1}
    assert not Path(f"{out}.journal").exists()


def test_the_same_command_resumes_and_says_so(many: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.jsonl"
    _run(many, out, stop_after=6)
    code = main(["extract", str(many), "-o", str(out), "--errors", f"{out}.err", "--chunk-size", "2",
                 "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1  # the broken file, failed before the interruption, still counts
    assert "resuming" in err and "4 of 9 documents already done" in err
    assert "1 of 9 documents could not be read" in err and "8 of 9 documents written" in err
    assert [r["id"] for r in _lines(out)] == [f"{i:02d}" for i in range(9) if i != 5]


def test_a_journal_of_another_job_is_not_resumed(many: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out.jsonl"
    _run(many, out, stop_after=2)
    code = main(["extract", str(many), "-o", str(out), "--errors", f"{out}.err", "--no-quotes", "--no-progress"])
    assert code == 2 and "--restart" in capsys.readouterr().err
    assert Path(f"{out}.journal").exists()
    code = main(["extract", str(many), "-o", str(out), "--errors", f"{out}.err", "--no-quotes", "--restart",
                 "--no-progress"])
    assert code == 1 and len(_lines(out)) == 8
    assert all(r["quotes"] == [] for r in _lines(out))


def test_resume_needs_something_to_resume(tmp_path: Path, capsys) -> None:
    root = _write(tmp_path / "c", {"a.txt": VISIT.encode()})
    assert main(["extract", str(root), "-o", str(tmp_path / "o.jsonl"), "--resume"]) == 2
    assert "nothing to resume" in capsys.readouterr().err
    assert main(["extract", str(root), "--resume"]) == 2
    assert "standard output cannot be resumed" in capsys.readouterr().err


def test_a_shortened_output_is_not_resumed(many: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    _run(many, out, stop_after=4)
    out.write_bytes(out.read_bytes()[:10])
    with pytest.raises(Exception, match="fewer than"):
        _run(many, out)


def test_an_unordered_run_has_the_same_records(many: Path, tmp_path: Path) -> None:
    _run(many, tmp_path / "ordered.jsonl")
    _run(many, tmp_path / "unordered.jsonl", ordered=False)
    key = lambda r: r["id"]  # noqa: E731
    assert sorted(_lines(tmp_path / "unordered.jsonl"), key=key) == sorted(_lines(tmp_path / "ordered.jsonl"), key=key)


def test_stdout_gets_the_records_and_stderr_the_failures(corpus: Path, capsys) -> None:
    code = main(["extract", str(corpus), "-o", "-", "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 1
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b/snow", "c", "empty", "long"]
    assert "binary data" in err and "not UTF-8" in err and "written to" not in err


def test_debug_traces_come_with_each_document(tmp_path: Path, capsys) -> None:
    root = _write(tmp_path / "c", {"a.txt": VISIT.encode(), "b.txt": SNOW.encode()})
    assert main(["extract", str(root), "--debug", "--no-progress", "-o", str(tmp_path / "o.jsonl")]) == 0
    err = capsys.readouterr().err
    assert err.index("== a\n") < err.index("== b\n") and "quote-dash-verb-speaker" in err


# ---------------------------------------------------------------------------------------------
# the parts


def test_journal_ignores_a_torn_last_line(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j")
    journal.start("job1", {})
    journal.commit([0, 1, 2], {"bytes": 30}, 0, {"ok": 3})
    journal.commit([3, 5], {"bytes": 50}, 10, {"ok": 4, "failed:decode": 1})
    journal.close()
    with open(tmp_path / "j", "ab") as file:
        file.write(b'{"done": [[6, 7]], "output": {"by')
    state = journal.load()
    assert state.job == "job1" and state.output == {"bytes": 50} and state.errors == 10
    assert [i in state.done for i in range(7)] == [True, True, True, True, False, True, False]
    assert len(state.done) == 5 and state.counts == {"ok": 4, "failed:decode": 1}


def test_ranges() -> None:
    assert _ranges([5, 0, 1, 2, 6]) == [[0, 3], [5, 7]]
    assert _ranges([]) == []
    done = _Done([[5, 7], [0, 3], [2, 4]])
    assert [i for i in range(9) if i in done] == [0, 1, 2, 3, 5, 6]


def test_chunks_hold_a_few_documents_and_a_bounded_amount_of_text() -> None:
    tasks = [Task(i, str(i), "p", "x" * size) for i, size in enumerate([10, 10, 10, 500, 10, 10])]
    sizes = [[t.index for t in chunk] for chunk in _chunks(iter(tasks), documents=2, chars=100)]
    assert sizes == [[0, 1], [2], [3], [4, 5]]
    failure = Result(9, "9", "p")
    assert [len(c) for c in _chunks(iter([failure] * 5), documents=2)] == [2, 2, 1]


def test_stage_of_names_the_innermost_kavychki_module() -> None:
    from kavychki.segment import segment

    try:
        segment(None)  # type: ignore[arg-type]
    except Exception as error:  # noqa: BLE001
        assert stage_of(error) == "segment"
    assert stage_of(ValueError("no traceback")) == "pipeline"


def test_plan_workers() -> None:
    assert plan_workers(4, total=10, chunk_size=16) == 1  # one chunk: no pool worth starting
    assert plan_workers(4, total=100, chunk_size=16) == 4
    assert plan_workers(3, total=None) == 3
    assert plan_workers(None, total=None) >= 1


def test_one_worker_runs_in_this_process() -> None:
    chunk = [Task(0, "a", "a.txt", VISIT), Result(1, "b", "b.txt")]
    (results,) = list(LocalEngine(1).map([chunk], Options(quotes=False)))
    assert [r.index for r in results] == [0, 1]
    assert results[0].record["quotes"] == [] and results[0].record["entities"]
    assert results[1] is chunk[1]
