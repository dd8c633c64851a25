"""HTML input: recognise a web page given as text, and read the text out of it on request.

kavychki reads plain text. A saved web page given as text is processed as it is (its tags are read
as words, and offsets index the page), so :func:`looks_like_html` lets the command line warn about
it, and ``kavychki extract --html`` runs :func:`html_to_text` first: offsets then index the text
that comes out (the record carries it, see ``docs/input.md``).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["looks_like_html", "html_to_text"]

_HEAD = 65_536  # characters looked at by looks_like_html
_DOCUMENT = re.compile(r"\A\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])",
                       re.IGNORECASE | re.DOTALL)
_TAG = re.compile(
    r"</?(p|div|span|a|br|hr|img|ul|ol|li|table|tr|td|th|h[1-6]|script|style|meta|link|head|body|html|article|"
    r"section|header|footer|nav|iframe|strong|em|b|i|figure|figcaption|blockquote|noscript|form|input|button)"
    r"(\s[^<>]*)?/?>",
    re.IGNORECASE,
)
_TAGS_FOR_A_PAGE = 6  # distinct tags of _TAG in the head of a text that make it a page

# elements whose content is not text
_SKIP = {"script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object", "canvas", "select"}
# elements that start and end a line
_BLOCK = {
    "address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul", "caption", "body", "html", "title",
    "td", "th",
}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page or fragment rather than plain text.

    True for a text that opens with a doctype or ``<html>``, or holds HTML tags of
    :data:`_TAGS_FOR_A_PAGE` kinds or more in its first 64 KB ("<p>", "<div class=…>", "</a>"…).
    Angle brackets in prose ("x < y", "<<Известия>>") are not tags.
    """
    head = text[:_HEAD]
    if "<" not in head:
        return False
    if _DOCUMENT.match(head):
        return True
    kinds = {m.group(1).lower() for m in _TAG.finditer(head)}
    return len(kinds) >= _TAGS_FOR_A_PAGE


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0  # depth inside elements whose content is not text
        self.pre = 0
        self.title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title":
            self.title = True  # the page's title is its first line, even inside <head>
        if tag in _SKIP and tag not in _VOID:
            self.skip += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in _BLOCK:
            self.out.append("\n\n")
        if tag == "pre":
            self.pre += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br":
            self.out.append("\n")
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.title = False
            self.out.append("\n\n")
        if tag in _SKIP and self.skip:
            self.skip -= 1
        elif tag in _BLOCK:
            self.out.append("\n\n")
        if tag == "pre" and self.pre:
            self.pre -= 1

    def handle_data(self, data: str) -> None:
        if self.skip and not self.title:
            return
        self.out.append(data if self.pre else _SPACES.sub(" ", data))


def html_to_text(html: str) -> str:
    """The text of an HTML page: tags removed, scripts and styles dropped, each block element
    (paragraph, heading, list item, table cell…) on a line of its own with a blank line between
    blocks, ``<br>`` a line break, entities (``&laquo;``, ``&nbsp;``, ``&#171;``) as their characters.

    Example:
        >>> html_to_text("<p>&laquo;Да&raquo;, &mdash; сказал он.</p><script>x()</script><p>Ещё</p>")
        '«Да», — сказал он.\\n\\nЕщё'
    """
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip(" ") for line in "".join(parser.out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")
