"""A local stand-in for the DeepL API: the endpoints the client uses, its rules, and faults on request.

Runs on 127.0.0.1 (random port) in a thread; point the client at it with
``DEEPL_SERVER_URL``. Translations are fake but deterministic: every text
node that holds a word gets the target code as a prefix (``[DE] ``), glossary
terms are replaced by the glossary's. It behaves per language as DeepL's
language table says (``GET /v3/languages``): for a target with tag handling,
tags come back as sent and only text outside them is billed; for a target
without (Irish, Croatian, Maltese) the whole text is text: translated, billed
in full, and damaged as ``tests/mt_damage.py`` writes down (with a fixed seed;
``damage_seed=None`` keeps it intact), tags sent anyway included. A glossary or
a formality the target lacks is refused; a beta language is not billed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .mt_damage import damage

KEY = "0f1e2d3c-test-key:fx"
MAX_TEXTS = 50
MAX_BODY = 128 * 1024
# DeepL's language table (developer documentation, June 2026; shared/reference/deepl-api.md):
# every EU language except English is a target; these take a formality; Irish, Croatian and
# Maltese have text translation only, no tag handling and no glossary.
FORMALITY = {"DE", "FR", "IT", "ES", "NL", "PL", "PT-PT", "PT-BR"}
_EU = "BG ES CS DA DE ET EL EN-GB FR GA HR IT LV LT HU MT NL PL PT-PT RO SK SL FI SV"
TARGETS: tuple[str, ...] = (*_EU.split(), "EN-US", "PT-BR")
NO_GLOSSARY = {"GA", "HR", "MT"}
NO_TAG_HANDLING = {"GA", "HR", "MT"}
MODEL_TYPES = {"quality_optimized", "latency_optimized", "prefer_quality_optimized"}
_WORD = re.compile(r"\w")


def language_table(targets: tuple[str, ...], beta: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """``GET /v3/languages?resource=translate_text`` as DeepL answers it (codes BCP 47)."""

    def bcp47(code: str) -> str:
        base, _, region = code.partition("-")
        return base.lower() + (f"-{region}" if region else "")

    table = [
        {
            "lang": "en",
            "name": "English",
            "usable_as_source": True,
            "usable_as_target": False,
            "status": "stable",
            "features": {"tag_handling": {"status": "stable"}, "glossary": {"status": "stable"}},
        }
    ]
    for code in targets:
        features: dict[str, Any] = {}
        if code in FORMALITY:
            features["formality"] = {"status": "stable"}
        if code not in NO_TAG_HANDLING:
            features["tag_handling"] = {"status": "stable"}
        if code not in NO_GLOSSARY:
            features["glossary"] = {"status": "stable"}
        table.append(
            {
                "lang": bcp47(code),
                "name": code,
                "usable_as_source": "-" not in code,
                "usable_as_target": True,
                "status": "beta" if code in beta else "stable",
                "features": features,
            }
        )
    return table


@dataclass
class Fault:
    kind: str  # "status", "close", "hang", "short", "malformed", "no-billed"
    times: int
    status: int = 500
    path: str = "/v2/translate"


@dataclass
class State:
    """What the server saw and what it holds; read it from tests."""

    requests: Counter[str] = field(default_factory=Counter)  # path -> count
    translate_bodies: list[dict[str, Any]] = field(default_factory=list)
    body_sizes: list[int] = field(default_factory=list)
    billed: int = 0
    billed_by_target: Counter[str] = field(default_factory=Counter)
    glossaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    glossaries_created: int = 0
    glossaries_deleted: int = 0
    max_concurrent: int = 0  # translate requests in progress at once


class FakeDeepL:
    """The server; use as a context manager. Configure faults before the client calls."""

    def __init__(
        self,
        key: str = KEY,
        *,
        character_limit: int = 500_000,
        targets: tuple[str, ...] = TARGETS,
        model: str | None = None,
        beta: tuple[str, ...] = (),
        damage_seed: int | None = 0,
    ) -> None:
        self.key = key
        self.character_limit = character_limit
        self.character_count = 0
        self.targets = targets
        self.model = model  # None: the model_type asked for (DeepL's default: latency_optimized)
        self.beta = frozenset(beta)
        self.damage_seed = damage_seed  # None: a plain-text engine that keeps tokens intact
        self.quota_after: int | None = None  # 456 once this many characters were billed
        self.faults: list[Fault] = []
        self.state = State()
        self.lock = threading.Lock()
        self.closing = threading.Event()
        self.hang_seconds = 2.0
        # Hooks for tests: rewrite each translated text (to break markup), slow each request down.
        self.mangle: Callable[[str, str], str] | None = None
        self.delay = 0.0
        self.active = 0
        server = self

        class Handler(_Handler):
            fake = server

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeDeepL:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- faults ---------------------------------------------------------------

    def fail(self, kind: str, times: int = 1, *, status: int = 500, path: str = "/v2/translate") -> None:
        """The next ``times`` requests to ``path`` fail: an HTTP ``status``, a closed
        connection ("close"), no answer ("hang"), one result too few ("short"),
        invalid JSON ("malformed") or results without billed_characters ("no-billed")."""
        self.faults.append(Fault(kind, times, status, path))

    def _take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path == path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None

    # -- the API --------------------------------------------------------------

    def translate(self, body: dict[str, Any]) -> tuple[int, Any]:
        texts = body.get("text")
        target = str(body.get("target_lang", "")).upper()
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            return 400, {"message": "Parameter 'text' not specified."}
        if len(texts) > MAX_TEXTS:
            return 413, {"message": f"Too many texts: at most {MAX_TEXTS}."}
        if target not in self.targets:
            return 400, {"message": "Value for 'target_lang' not supported."}
        source = body.get("source_lang")
        if source is not None and str(source).upper() != "EN":
            return 400, {"message": "Value for 'source_lang' not supported."}
        formality = body.get("formality")
        if formality not in (None, "default", "more", "less", "prefer_more", "prefer_less"):
            return 400, {"message": "Invalid formality."}
        if formality in ("more", "less") and target not in FORMALITY:
            return 400, {"message": "'formality' is not supported for given 'target_lang'."}
        model_type = body.get("model_type")
        if model_type is not None and model_type not in MODEL_TYPES:
            return 400, {"message": "Invalid model_type."}
        used = self.model or str(model_type or "latency_optimized").replace("prefer_", "")
        terms: dict[str, str] = {}
        if "glossary_id" in body:
            if source is None:
                return 400, {
                    "message": "Use of a glossary requires the 'source_lang' parameter to be specified."
                }
            if target in NO_GLOSSARY:
                return 400, {"message": "Glossaries are not supported for the target language."}
            glossary = self.state.glossaries.get(str(body["glossary_id"]))
            if glossary is None:
                return 404, {"message": "Glossary not found."}
            base = target.split("-")[0]
            table = next((d for d in glossary["dictionaries"] if d["target_lang"].upper() == base), None)
            if table is None:
                return 400, {"message": "The glossary has no dictionary for this language pair."}
            terms = table["entries_dict"]
        # Without tag handling the target gets text as text, whatever the request says.
        xml = body.get("tag_handling") == "xml" and target not in NO_TAG_HANDLING
        if xml and body.get("tag_handling_version") not in (None, "v1", "v2"):
            return 400, {"message": "Invalid tag_handling_version."}
        ignore = set(body.get("ignore_tags") or [])
        results = []
        for text in texts:
            if xml:
                try:
                    translated, billed = translate_xml(text, target, terms, ignore)
                except ET.ParseError:
                    return 400, {"message": "Tag handling parsing failed, please check input."}
            else:
                translated, billed = _prefix(text, target, terms), len(text)
                if target in NO_TAG_HANDLING and self.damage_seed is not None:
                    translated = damage(translated, target, self.damage_seed)
            results.append(
                {
                    "text": translated,
                    "detected_source_language": "EN",
                    "billed_characters": 0 if target in self.beta else billed,
                    "model_type_used": used,
                }
            )
        total = sum(r["billed_characters"] for r in results)
        with self.lock:
            if self.mangle is not None:
                for result in results:
                    result["text"] = self.mangle(result["text"], target)
            if self.quota_after is not None and self.state.billed + total > self.quota_after:
                return 456, {"message": "Quota exceeded"}
            self.state.billed += total
            self.state.billed_by_target[target] += total
            self.character_count += total
            self.state.translate_bodies.append(body)
        return 200, {"translations": results}

    def usage(self) -> tuple[int, Any]:
        return 200, {"character_count": self.character_count, "character_limit": self.character_limit}

    def languages(self, kind: str) -> tuple[int, Any]:
        if kind == "target":
            return 200, [
                {"language": code, "name": code, "supports_formality": code in FORMALITY}
                for code in self.targets
            ]
        sources = sorted({code.split("-")[0] for code in self.targets} | {"EN"})
        return 200, [{"language": code, "name": code} for code in sources]

    def v3_languages(self, query: str) -> tuple[int, Any]:
        form = parse_qs(query)
        if form.get("resource") != ["translate_text"]:
            return 400, {"message": "Value for 'resource' not supported."}
        beta = "beta" in form.get("include", [])
        return 200, [
            lang for lang in language_table(self.targets, self.beta) if beta or lang["status"] == "stable"
        ]

    def glossary_pairs(self) -> tuple[int, Any]:
        bases = sorted({c.split("-")[0].lower() for c in self.targets} - {c.lower() for c in NO_GLOSSARY})
        pairs = [{"source_lang": "en", "target_lang": b} for b in bases if b != "en"]
        return 200, {"supported_languages": pairs}

    def create_glossary(self, body: dict[str, Any]) -> tuple[int, Any]:
        name = body.get("name")
        dictionaries = body.get("dictionaries")
        if not isinstance(name, str) or not name:
            return 400, {"message": "Missing or invalid argument: name"}
        if not isinstance(dictionaries, list) or not dictionaries:
            return 400, {"message": "Missing or invalid argument: dictionaries"}
        stored = []
        for table in dictionaries:
            problem, entries = _check_dictionary(table)
            if problem:
                return 400, {"message": problem}
            stored.append(
                {
                    "source_lang": table["source_lang"].lower(),
                    "target_lang": table["target_lang"].lower(),
                    "entry_count": len(entries),
                    "entries_dict": entries,
                }
            )
        ident = str(uuid.uuid4())
        with self.lock:
            self.state.glossaries[ident] = {
                "glossary_id": ident,
                "name": name,
                # The client fails to parse a time without fractional seconds.
                "creation_time": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                "dictionaries": stored,
            }
            self.state.glossaries_created += 1
        return 201, _public(self.state.glossaries[ident])


def _public(glossary: dict[str, Any]) -> dict[str, Any]:
    return {
        **glossary,
        "dictionaries": [
            {k: v for k, v in d.items() if k != "entries_dict"} for d in glossary["dictionaries"]
        ],
    }


def _check_dictionary(table: Any) -> tuple[str, dict[str, str]]:
    if not isinstance(table, dict) or table.get("entries_format") != "tsv":
        return "Invalid dictionary (entries_format must be tsv)", {}
    source = str(table.get("source_lang", "")).upper()
    target = str(table.get("target_lang", "")).upper()
    if source != "EN" or not target or target in NO_GLOSSARY or "-" in target:
        return f"Unsupported glossary language pair {source}->{target}", {}
    entries: dict[str, str] = {}
    for line in str(table.get("entries", "")).split("\n"):
        parts = line.split("\t")
        if len(parts) != 2:
            return "Invalid glossary entries: one source and one target term per line", {}
        for term in parts:
            if not term or term != term.strip() or len(term.encode()) > 1024:
                return f"Invalid glossary term {term!r}", {}
        if parts[0] in entries:
            return f"Duplicate source term {parts[0]!r}", {}
        entries[parts[0]] = parts[1]
    if not entries:
        return "Glossary dictionary without entries", {}
    return "", entries


def _prefix(text: str, target: str, terms: dict[str, str]) -> str:
    for source, translated in sorted(terms.items(), key=lambda kv: -len(kv[0])):
        text = text.replace(source, translated)
    if not _WORD.search(text):
        return text
    lead = text[: len(text) - len(text.lstrip())]
    return f"{lead}[{target.split('-')[0]}] {text[len(lead) :]}"


def translate_xml(text: str, target: str, terms: dict[str, str], ignore: set[str]) -> tuple[str, int]:
    """Translate the text nodes of an XML fragment, tags untouched; and what it bills."""
    root = ET.fromstring(f"<root>{text}</root>")
    billed = 0

    def visit(node: ET.Element, ignored: bool) -> None:
        nonlocal billed
        for child in node:
            inner = ignored or child.tag in ignore
            visit(child, inner)
            if child.tail:
                billed += len(child.tail)
                child.tail = _prefix(child.tail, target, terms) if not ignored else child.tail
        if node.text:
            billed += len(node.text)
            if not ignored:
                node.text = _prefix(node.text, target, terms)

    visit(root, False)
    out = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    inner = out[len("<root>") : -len("</root>")] if out != "<root />" else ""
    # ElementTree writes <x id="1" />; DeepL writes <x id="1"/>.
    return re.sub(r" />", "/>", inner), billed


class _Handler(BaseHTTPRequestHandler):
    fake: FakeDeepL

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read the state instead

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, payload: Any, raw: bytes | None = None) -> None:
        data = raw if raw is not None else (json.dumps(payload).encode() if payload is not None else b"")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        fake = self.fake
        url = urlsplit(self.path)
        path = url.path
        body = self._body()
        with fake.lock:
            fake.state.requests[path] += 1
        if self.headers.get("Authorization") != f"DeepL-Auth-Key {fake.key}":
            self._send(403, {"message": "Wrong endpoint or invalid auth key."})
            return
        fault = fake._take_fault(path)
        if fault is not None and fault.kind == "status":
            self._send(fault.status, {"message": f"Injected HTTP {fault.status}"})
            return
        if fault is not None and fault.kind == "close":
            self.close_connection = True
            return
        if fault is not None and fault.kind == "hang":
            fake.closing.wait(fake.hang_seconds)
            self.close_connection = True
            return
        if fault is not None and fault.kind == "malformed":
            self._send(200, None, raw=b'{"translations": [{"text": "Hal')
            return
        status, payload = self._route(method, path, url.query, body)
        if status == 200 and fault is not None and fault.kind == "short":
            payload = {"translations": payload["translations"][:-1]}
        if status == 200 and fault is not None and fault.kind == "no-billed":
            for item in payload["translations"]:
                del item["billed_characters"]
        self._send(status, payload)

    def _route(self, method: str, path: str, query: str, body: bytes) -> tuple[int, Any]:
        fake = self.fake
        if path == "/v2/translate" and method == "POST":
            if len(body) > MAX_BODY:
                return 413, {"message": "Request Entity Too Large"}
            with fake.lock:
                fake.state.body_sizes.append(len(body))
            try:
                data = json.loads(body)
            except json.JSONDecodeError:
                return 400, {"message": "Invalid JSON"}
            with fake.lock:
                fake.active += 1
                fake.state.max_concurrent = max(fake.state.max_concurrent, fake.active)
            try:
                fake.closing.wait(fake.delay)
                return fake.translate(data)
            finally:
                with fake.lock:
                    fake.active -= 1
        if path == "/v2/usage" and method == "GET":
            return fake.usage()
        if path == "/v2/languages" and method == "GET":
            # The client sends type=target as a form body on a GET.
            form = parse_qs(body.decode()) | parse_qs(query)
            return fake.languages((form.get("type") or ["source"])[0])
        if path == "/v3/languages" and method == "GET":
            return fake.v3_languages(query)
        if path == "/v2/glossary-language-pairs" and method == "GET":
            return fake.glossary_pairs()
        if path == "/v3/glossaries" and method == "POST":
            return fake.create_glossary(json.loads(body or b"{}"))
        if path == "/v3/glossaries" and method == "GET":
            return 200, {"glossaries": [_public(g) for g in fake.state.glossaries.values()]}
        match = re.fullmatch(r"/v3/glossaries/([\w-]+)", path)
        if match:
            glossary = fake.state.glossaries.get(match.group(1))
            if glossary is None:
                return 404, {"message": "Glossary not found"}
            if method == "GET":
                return 200, _public(glossary)
            if method == "DELETE":
                with fake.lock:
                    del fake.state.glossaries[match.group(1)]
                    fake.state.glossaries_deleted += 1
                return 204, None
        return 404, {"message": f"Not found: {method} {path}"}

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")
