"""Showing documents: HTML, terminal, pandas tables, and the spaCy component."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

import kavychki
from kavychki.display import print_document, to_html

SENTENCE = "«Мы готовы к проверкам», — сказала директор рынка Анна Петрова. В Москве идёт снег."


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.scripts += tag == "script"

    def handle_data(self, data):
        self.text.append(data)


def test_html_nests_a_quote_inside_a_quote(pipeline):
    doc = pipeline("Следователи утверждают, что соседи рассказали, что слышали ночью крики.")
    outer, inner = doc.quotes
    assert inner.inside == 0 and outer.start < inner.start and inner.end == outer.end
    body = re.search(r'<div class="kv-text">(.*?)</div>', doc._repr_html_(), re.S).group(1)
    # the inner quote's span opens inside the outer one and closes (with its speaker) before it
    marks = re.finditer(r'<span class="kv-quote[^"]*"|</span><span class="kv-speaker">([^<]*)</span>', body)
    assert [m.group(1) or "open" for m in marks] == ["open", "open", "соседи", "следователи"]
    assert body.count("<span") == body.count("</span>")


def test_html_shows_entities_quotes_and_speakers(pipeline):
    doc = pipeline(SENTENCE)
    html = doc._repr_html_()
    parser = _Collect()
    parser.feed(html)
    assert parser.scripts == 0, "the view needs no JavaScript"
    body = re.search(r'<div class="kv-text">(.*?)</div>', html, re.S).group(1)
    assert body.count("<mark ") == len(doc.entities)
    assert 'class="kv-quote kv-direct"' in html
    assert '<span class="kv-speaker">Анна Петрова</span>' in html
    assert "<table>" in html and "Анна Петрова" in html


def test_html_keeps_every_character_of_the_text(pipeline):
    text = "Министр <b>не</b> & «заявил»:\n«Всё будет хорошо», — сказал он."
    doc = pipeline(text)
    body = re.search(r'<div class="kv-text">(.*?)</div>', to_html(doc), re.S).group(1)
    shown = re.sub(r'<span class="kv-(speaker|type)[^"]*">[^<]*</span>', "", body)
    shown = re.sub(r"<br>\n", "\n", shown)
    shown = re.sub(r"<[^>]+>", "", shown)
    import html as html_module

    assert html_module.unescape(shown) == text


def test_full_page(pipeline, seed_text):
    page = pipeline(seed_text, id="seed").to_html()
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert '<meta charset="utf-8">' in page and "<title>seed</title>" in page


def test_terminal_view(pipeline):
    from rich.console import Console

    out = io.StringIO()
    print_document(pipeline(SENTENCE), Console(file=out, width=100, force_terminal=False))
    printed = out.getvalue()
    assert "[Анна Петрова]" in printed and "Speakers" in printed


def test_frames(pipeline, seed_text):
    pytest.importorskip("pandas")
    docs = list(pipeline.map([seed_text, SENTENCE], ids=["seed", "short"]))
    quotes, entities = kavychki.frames(docs)
    assert list(quotes.columns)[:6] == ["document", "start", "end", "type", "text", "speaker"]
    assert set(quotes["document"]) == {"seed", "short"}
    assert len(quotes) == sum(len(d.quotes) for d in docs)
    assert len(entities) == sum(len(d.entities) for d in docs)
    seed_quotes = docs[0].quotes_frame()
    assert (seed_quotes["speaker"] == "Бен МакКонаги").sum() == 2
    assert "cluster_name" in docs[0].entities_frame().columns


# ------------------------------------------------------------------------------------------ spaCy


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("ru")
    nlp.add_pipe("kavychki")  # found through the entry point, without importing kavychki.spacy
    return nlp


def test_spacy_component(nlp, seed_text):
    doc = nlp(seed_text)
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("Бен МакКонаги", "PER") in labels and ("МИОР", "ORG") in labels
    quotes = doc.spans["quotes"]
    assert [q._.speaker for q in quotes if q._.quote_type == "direct"] == ["Бен МакКонаги"]
    assert any(q._.cue == "подчеркнули" for q in quotes)
    assert any(s["name"] == "Бен МакКонаги" for s in doc._.speakers)


def test_spacy_pipe_docbin_and_displacy(nlp):
    from spacy import displacy
    from spacy.tokens import DocBin

    docs = list(nlp.pipe([SENTENCE, "Пусто.", ""], batch_size=2))
    assert [len(d.spans["quotes"]) for d in docs] == [1, 0, 0]
    bin_ = DocBin(store_user_data=True)
    bin_.add(docs[0])
    back = list(DocBin(store_user_data=True).from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))[0]
    assert [(s.text, s._.speaker) for s in back.spans["quotes"]] == [("Мы готовы к проверкам", "Анна Петрова")]
    assert "Анна Петрова" in displacy.render(back, style="ent")
    assert "direct" in displacy.render(back, style="span", options={"spans_key": "quotes"})


def test_spacy_errors_go_through_the_error_handler(nlp):
    component = nlp.get_pipe("kavychki")
    seen = []
    component.set_error_handler(lambda name, comp, docs, error: seen.append((name, type(error).__name__)))
    original = component.pipeline

    class Broken:
        def map(self, texts, ids=None):
            raise RuntimeError("boom")

    component.pipeline = Broken()
    try:
        docs = list(nlp.pipe(["«Да», — сказал он."]))
    finally:
        component.pipeline = original
        component.set_error_handler(__import__("spacy.util", fromlist=["raise_error"]).raise_error)
    assert len(docs) == 1 and seen == [("kavychki", "RuntimeError")]


def test_razdel_tokenizer_matches_razdel():
    spacy = pytest.importorskip("spacy")
    from razdel import tokenize

    from kavychki.spacy import RazdelTokenizer

    nlp = spacy.blank("ru")
    nlp.tokenizer = RazdelTokenizer(nlp.vocab)
    text = "Бен МакКонаги: «Во-первых, мы — нет».\n\n  Ещё т.е. 5,5 млн."
    doc = nlp(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space] == [t.text for t in tokenize(text)]
