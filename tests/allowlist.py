"""What a published web page may contain, checked with an HTML5 parser (html5lib, as browsers parse).

The body holds only the elements and attributes the msgid form's renderer and the
templates produce. The head holds one stylesheet and at most the project's own
scripts, each allowed by its hash in the page's Content-Security-Policy.
"""

from __future__ import annotations

import base64
import hashlib
import re
import xml.etree.ElementTree as ET

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"
BODY_ELEMENTS = {
    "a", "blockquote", "br", "code", "div", "em", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "img", "li", "main", "nav", "ol", "p", "pre", "section", "span", "strong", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul", "header", "details", "summary",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "lang", "dir"},
    "a": {"href", "title", "aria-label", "hreflang", "rel", "type", "aria-current"},
    "img": {"src", "alt", "title"},
    "li": {"value"},
    "ol": {"start"},
    "p": {"role"},
    "nav": {"aria-label"},
    "section": {"aria-label"},
    "div": {"role"},
}
_SAFE_HREF = re.compile(
    r"(https?:|mailto:|#)|[A-Za-z0-9._/-]+\.(html|pdf)(#[\w-]*)?$|SHA256SUMS$|index\.html$"
)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def violations(page: str) -> list[str]:
    """Everything the page holds that the allowlist does not; empty: the page is clean."""
    doc = html5lib.parse(page, namespaceHTMLElements=True)
    found: list[str] = []
    head, body = doc.find(f"{NS}head"), doc.find(f"{NS}body")
    assert head is not None and body is not None
    found += _head(head)
    for element in body.iter():
        found += _element(element)
    return found


def _head(head: ET.Element) -> list[str]:
    found = []
    csp = [
        m.get("content", "")
        for m in head.iter(f"{NS}meta")
        if m.get("http-equiv") == "Content-Security-Policy"
    ]
    if len(csp) != 1:
        return ["no Content-Security-Policy <meta>"]
    policy = dict(
        (part.split()[0], part.split()[1:]) for part in (p.strip() for p in csp[0].split(";")) if part
    )
    if policy.get("default-src") != ["'none'"]:
        found.append(f"default-src is {policy.get('default-src')}")
    styles = [s.text or "" for s in head.iter(f"{NS}style")]
    if len(styles) != 1 or policy.get("style-src") != [_sha256(styles[0])]:
        found.append("the page's style is not the one its policy allows by hash")
    scripts = [s for s in head.iter(f"{NS}script")]
    allowed = set(policy.get("script-src", []))
    for script in scripts:
        if script.get("src") or _sha256(script.text or "") not in allowed:
            found.append("a script the policy does not allow by its hash")
    for tag in ("base", "iframe", "object", "embed"):
        if head.find(f"{NS}{tag}") is not None:
            found.append(f"<{tag}> in the head")
    for link in head.iter(f"{NS}link"):  # only the other languages' pages, relative
        attrs = dict(link.attrib)
        if set(attrs) != {"rel", "hreflang", "href"} or attrs["rel"] != "alternate":
            found.append("a <link> in the head that is not a language alternate")
        elif not re.fullmatch(r"\.\./[a-z]{2}/[a-z0-9-]+\.html", attrs["href"]):
            found.append(f"<link href={attrs['href'][:40]!r}> is not allowed")
    return found


def _element(element: ET.Element) -> list[str]:
    tag = element.tag.removeprefix(NS) if isinstance(element.tag, str) else "#comment"
    if tag == "body":
        return []
    if tag not in BODY_ELEMENTS:
        return [f"<{tag}> in the body"]
    found = []
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
    for name, value in element.attrib.items():
        if name not in allowed:
            found.append(f"<{tag} {name}=…> is not allowed")
        elif name == "href" and not _SAFE_HREF.match(value):
            found.append(f"<a href={value[:40]!r}> is not allowed")
        elif name == "src" and not value.startswith("data:image/"):
            found.append(f"<img src={value[:40]!r}> is not allowed")
        elif name == "id" and not re.fullmatch(r"[\w-]+", value):
            found.append(f"id {value[:40]!r} is not a plain id")
    return found
