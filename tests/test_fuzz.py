"""Fuzzing: random bytes and broken records through the readers and ``kavychki extract``, and a
held-out set of hostile texts through the pipeline.

Readers never raise on what a file holds: every document is an Item or a Failure whose message
starts with the file's path; ``kavychki extract`` exits 0 or 1, writes a JSON line per good
document and an errors line per bad one. The long run is ``benchmarks/fuzz_long.py``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from strategies import check_invariants, news_like

import kavychki
from kavychki.cli import main
from kavychki.corpus import Failure, Item
from kavychki.readers import open_inputs

# bytes a file may hold: random, or text in an encoding, with NUL bytes and BOMs now and then
file_bytes = st.one_of(
    st.binary(max_size=300),
    news_like(max_pieces=20).map(lambda t: t.encode("utf-8", "surrogatepass")),
    news_like(max_pieces=20).map(lambda t: t.encode("cp1251", "replace")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"", b"\x00"]), st.binary(max_size=60),
              news_like(max_pieces=8).map(lambda t: t.encode("utf-8", "replace"))).map(b"".join),
)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                      max_size=3), max_leaves=8)
jsonl_line = st.one_of(
    st.fixed_dictionaries({"text": news_like(max_pieces=10)}, optional={"id": st.integers() | st.text(max_size=5)})
    .map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=40).filter(lambda b: b"\n" not in b),
    st.just(b'{"text": "\\ud800 \\udfff"}'),  # lone surrogates in JSON escapes
    st.just(b"[" * 5000),  # deeply nested
)
csv_field = st.one_of(news_like(max_pieces=5), st.text(alphabet=',"\n\r;\t', max_size=5))
csv_file = st.lists(st.lists(csv_field, min_size=1, max_size=3), max_size=5).map(
    lambda rows: ("id,text\n" + "\n".join(",".join(f'"{v}"' if i % 2 else v for i, v in enumerate(r)) for r in rows))
    .encode("utf-8", "surrogatepass"))

# half and a sixth of the profile's examples (ci: 60 and 20; HYPOTHESIS_PROFILE=long: 2500 and 833)
FUZZ = settings(max_examples=settings().max_examples // 2, deadline=None, suppress_health_check=list(HealthCheck))
FUZZ_CLI = settings(max_examples=settings().max_examples // 6, deadline=None, suppress_health_check=list(HealthCheck))


def _read_all(path: Path, **options) -> list[Item | Failure]:
    inputs = open_inputs([str(path)], **options)
    docs = list(inputs)
    assert len(docs) == inputs.count(), "the count before a run differs from the documents read"
    for doc in docs:
        assert isinstance(doc, (Item, Failure))
        if isinstance(doc, Failure):
            assert doc.message.startswith(str(path)), doc.message
            assert doc.stage in ("read", "decode", "parse")
        else:
            assert isinstance(doc.text, str)
            doc.text.encode("utf-8")  # valid Unicode: the output can be written
    return docs


@FUZZ
@given(data=file_bytes)
def test_random_bytes_as_a_text_file(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "a.txt"
    path.write_bytes(data)
    (doc,) = _read_all(path)
    if isinstance(doc, Failure):
        assert "offset" in doc.message and ("--encoding" in doc.message or "binary" in doc.message), doc.message


@FUZZ
@given(lines=st.lists(jsonl_line, max_size=6), ending=st.sampled_from([b"\n", b"\r\n"]))
def test_random_json_lines(tmp_path_factory, lines: list[bytes], ending: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "a.jsonl"
    path.write_bytes(ending.join(lines))
    docs = _read_all(path)
    assert len(docs) == sum(1 for line in ending.join(lines).split(b"\n") if line.strip())
    for doc in docs:
        if isinstance(doc, Failure):
            assert " line " in doc.message and ("--" in doc.message or "fix or remove" in doc.message), doc.message


@FUZZ
@given(data=st.one_of(csv_file, st.binary(max_size=200).map(lambda b: b"id,text\n" + b)))
def test_random_csv(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "a.csv"
    path.write_bytes(data)
    _read_all(path)


@FUZZ
@given(data=file_bytes)
def test_random_bytes_in_other_encodings_and_as_html(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "a.txt"
    path.write_bytes(data)
    from kavychki.readers import Reading

    _read_all(path, reading=Reading("koi8-r", html=True))
    _read_all(path, reading=Reading("cp1251"))


@FUZZ_CLI
@given(txt=file_bytes, jsonl=st.lists(jsonl_line, max_size=4), csv=csv_file)
# found by this test: ids with undecodable bytes or lone surrogates could not be written
@example(txt=b"\xff", jsonl=[b'{"id": "\\udc80", "text": "x"}'], csv=b"id,text\n\xed\xa0\x80 ")
def test_kavychki_extract_on_random_files(tmp_path_factory, capsys, txt: bytes, jsonl: list[bytes],
                                          csv: bytes) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "a.txt").write_bytes(txt)
    (root / "b.jsonl").write_bytes(b"\n".join(jsonl))
    (root / "c.csv").write_bytes(csv)
    out = root / "out.jsonl"
    expected = len(list(open_inputs([str(root / n) for n in ("a.txt", "b.jsonl", "c.csv")])))
    code = main(["extract", str(root / "a.txt"), str(root / "b.jsonl"), str(root / "c.csv"), "-o", str(out),
                 "--no-progress"])
    capsys.readouterr()
    # JSON Lines are split at "\n" only: a text may hold U+0085 or U+2028, which str.splitlines splits at
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    errors = [json.loads(line) for line in (root / "out.errors.jsonl").read_text(encoding="utf-8").split("\n")
              if line]
    assert code == (1 if errors else 0)
    assert len(records) + len(errors) == expected  # every document is written or listed as failed
    for error in errors:
        assert error["message"].startswith(error["path"]), error


# ---------------------------------------------------------------------------------------------
# the held-out hostile set: (name, text); none may raise, hang or break an offset invariant

# the demo corpus on one line, repeated to 1 MB of UTF-8
_PROSE = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(CORPUS.glob("*.txt")))
LINE_1MB = (_PROSE * (1_000_000 // len(_PROSE.encode()) + 1)).encode()[:1_000_000].decode(errors="ignore")
HOSTILE = [
    ("10,000 « in a row", "«" * 10_000),
    ("10,000 » in a row", "»" * 10_000),
    ("10,000 straight quotes", '"' * 10_000),
    ("marks and dashes", "«»—–-\"„“”‹›'" * 2_000),
    ("a quote that never closes", "«Мы не делали совместного заявления, — сообщил директор Бен МакКонаги. " * 50),
    ("mismatched „ »", "„Мы не делали заявления», — сообщил он. «Да“ — «нет» „или“ » „" * 20),
    ("dialogue dashes only", "— \n— —\n— — —\n" * 500),
    ("only punctuation", ".,;:!?…()[]{}—–-«»„“" * 500),
    ("50,000 ! in a row", "!" * 50_000),  # razdel joins such a run by adding strings: cut into pieces first
    ("only Latin", "Reuters reported that the CEO said \"we are ready\", - the company added. " * 100),
    ("mixed scripts", "Мinistr Иванoв (Latin о and М) сказал: «Ready», — and Ελλάδα, 中国, עברית." * 50),
    ("emoji", "😀 «Мы готовы 👍🏽», — заявил 👨\u200d👩\u200d👧 министр 🇷🇺 Иванов." * 50),
    ("control characters", "".join(chr(c) for c in range(32)) * 100 + "\x7f\x85\x9f" * 100),
    ("invisible characters", "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u202e" * 500),
    ("letters without a Unicode name", "Министр 𘔾 Иванов𘔾 заявил, что 𗼻𘏅 цены снизятся. " * 20),
    ("lone surrogates", "Министр \ud800 заявил, что \udfff цены «\udc80» снизятся." * 20),
    ("empty", ""),
    ("whitespace only", " \t\n\r\u00a0\u2028\u3000" * 1000),
    ("line breaks of every kind", "а\nб\rв\r\nг\x0bд\x0cе\x1cж\x85з\u2028и\u2029" * 200),
    ("a 1 MB single line", LINE_1MB),
    ("one 20,000-letter word", "а" * 20_000),
    ("a sentence of 20,000 words", "слово " * 20_000),
    ("only the related-links heading", "Читайте также:\nЧитайте также:\n" * 100),
]


@pytest.mark.parametrize("name, text", HOSTILE, ids=[name for name, _ in HOSTILE])
def test_hostile_texts(pipeline: kavychki.Pipeline, name: str, text: str) -> None:
    start = time.perf_counter()
    doc = pipeline(text)
    seconds = time.perf_counter() - start
    check_invariants(doc, text)
    # no hang: a few seconds at most even for the 1 MB line on a slow machine (news runs ~6 s/MB on one core)
    assert seconds < 60 * max(1, len(text) / 1_000_000), f"{name}: {seconds:.1f} s"


def test_hostile_texts_in_one_batch(pipeline: kavychki.Pipeline) -> None:
    texts = [text for name, text in HOSTILE if len(text) < 30_000]
    for text, doc in zip(texts, pipeline.map(texts)):
        check_invariants(doc, text)
