"""Update: merge the template into each language's catalog without losing a translation."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polib
from babel import Locale
from rapidfuzz import fuzz

from .. import languages
from ..config import Config
from ..errors import CatalogError
from ..files import writes_project
from ..source import markup
from ..version import __version__
from . import marks, po
from .marks import State
from .po import Catalog

# Below this similarity (the share of characters two texts have in common, in order) an
# edited paragraph counts as a new one.
FUZZY_THRESHOLD = 0.6

Key = tuple[str | None, str]


@dataclass(frozen=True)
class UpdateResult:
    language: str
    path: Path
    written: bool
    kept: int
    fuzzy: int  # carried over from an edited source, now stale
    retargeted: int  # only link targets changed: carried over in the same state
    new: int
    obsoleted: int
    revived: int


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def read_template(config: Config) -> polib.POFile:
    return _template(config).po


def _template(config: Config) -> Catalog:
    path = config.template_path
    if not path.exists():
        raise CatalogError("template not found: run `pipeline extract` first", path)
    return po.read(path, None)


# What msgmerge takes from the template; every other field of a catalog's header is its editors'.
FROM_TEMPLATE = ("POT-Creation-Date", "Report-Msgid-Bugs-To")


def headers(
    config: Config, lang: languages.Language, template: polib.POFile, old: dict[str, str] | None
) -> dict[str, str]:
    """A catalog's header. An existing one changes only where msgmerge would change it: the
    fields it takes from the template. PO-Revision-Date, Last-Translator, Language-Team,
    X-Generator and every X- field stay as the editor who saved the file left them."""
    if old is not None:
        return {**old, **{k: template.metadata.get(k, "") for k in FROM_TEMPLATE}}
    english = Locale.parse(lang.babel).get_language_name("en") or lang.code
    return {
        "Project-Id-Version": template.metadata.get("Project-Id-Version", config.domain),
        "Report-Msgid-Bugs-To": template.metadata.get("Report-Msgid-Bugs-To", config.bugs_address),
        "POT-Creation-Date": template.metadata.get("POT-Creation-Date", ""),
        "PO-Revision-Date": "",  # stamped when the new file is written
        "Last-Translator": config.translation_team,
        "Language-Team": english,
        "Language": lang.code,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": lang.plural_forms,
        "X-Generator": f"pipeline {__version__}",
    }


class _Merge:
    """One merge: the old catalog's entries matched to the template's, phase by phase."""

    def __init__(self, old: polib.POFile) -> None:
        self.active = {_key(e): e for e in old if not e.obsolete and e.msgid}
        self.obsolete = {_key(e): e for e in old if e.obsolete}
        self.result: dict[Key, polib.POEntry] = {}
        self.counts = dict(kept=0, fuzzy=0, retargeted=0, new=0, obsoleted=0, revived=0)

    def _put(self, tpl: polib.POEntry, entry: polib.POEntry, count: str) -> None:
        self.result[_key(tpl)] = entry
        self.counts[count] += 1

    def same(self, wanted: list[polib.POEntry]) -> list[polib.POEntry]:
        """Unchanged entries, and entries back from obsolete; returns the rest."""
        rest = []
        for tpl in wanted:
            key = _key(tpl)
            if key in self.active:
                self._put(tpl, _carry(tpl, self.active.pop(key)), "kept")
            elif key in self.obsolete:
                self._put(tpl, _carry(tpl, self.obsolete.pop(key)), "revived")
            else:
                rest.append(tpl)
        return rest

    def retargeted(
        self, unmatched: list[polib.POEntry], gone: dict[Key, polib.POEntry]
    ) -> list[polib.POEntry]:
        """Only link targets changed: same text, same state, new targets; returns the rest."""
        by_shape: dict[Key, list[polib.POEntry]] = {}
        for entry in [*gone.values(), *self.obsolete.values()]:
            if entry.msgid_plural:
                continue  # plural forms are carried by their own msgid only
            by_shape.setdefault((entry.msgctxt, markup.without_link_targets(entry.msgid)), []).append(entry)
        rest = []
        for tpl in unmatched:
            candidates = by_shape.get((tpl.msgctxt, markup.without_link_targets(tpl.msgid)), [])
            entry = candidates.pop(0) if candidates else None
            moved = _retarget(tpl, entry) if entry is not None else None
            if entry is None or moved is None:
                rest.append(tpl)
                continue
            gone.pop(_key(entry), None)
            self.obsolete.pop(_key(entry), None)
            # An ambiguous retarget comes back fuzzy with its old source: a person must look.
            self._put(tpl, moved, "fuzzy" if moved.previous_msgid == entry.msgid else "retargeted")
        return rest

    def edited(self, still: list[polib.POEntry], gone: list[polib.POEntry]) -> set[int]:
        """Pair each new msgid with the most similar one that left; returns the old ones taken."""
        pairs = sorted(
            (
                (similarity(tpl.msgid, old_entry.msgid), i, j)
                for i, tpl in enumerate(still)
                for j, old_entry in enumerate(gone)
                if tpl.msgctxt == old_entry.msgctxt and old_entry.msgstr and not old_entry.msgid_plural
            ),
            key=lambda pair: (-pair[0], pair[1], pair[2]),
        )
        taken_new: set[int] = set()
        taken_old: set[int] = set()
        for ratio, i, j in pairs:
            if ratio < FUZZY_THRESHOLD or i in taken_new or j in taken_old:
                continue
            taken_new.add(i)
            taken_old.add(j)
            entry = _carry(still[i], gone[j])
            entry.flags = marks.with_fuzzy(entry.flags)
            entry.previous_msgid = gone[j].previous_msgid or gone[j].msgid
            self._put(still[i], entry, "fuzzy")
        for i, tpl in enumerate(still):
            if i not in taken_new:
                self._put(tpl, _carry(tpl, None), "new")
        return taken_old


def similarity(a: str, b: str) -> float:
    """0 to 1: twice the characters ``a`` and ``b`` share in order, over their total length
    (below the threshold, 0: not computed further)."""
    return fuzz.ratio(a, b, score_cutoff=FUZZY_THRESHOLD * 100) / 100


def merge(template: polib.POFile, old: polib.POFile) -> tuple[list[polib.POEntry], dict[str, int]]:
    """The entries of the merged catalog (active in template order, then obsolete)."""
    run = _Merge(old)
    wanted = [e for e in template if e.msgid]
    wanted_keys = {_key(e) for e in wanted}
    unmatched = run.same(wanted)
    # What is left of the old active entries has gone from the source.
    gone = {k: e for k, e in run.active.items() if k not in wanted_keys}
    still = run.retargeted(unmatched, gone)
    gone_list = list(gone.values())
    taken = run.edited(still, gone_list)
    # Everything else that had a translation is kept, obsolete, at the end.
    newly_obsolete = [e for j, e in enumerate(gone_list) if j not in taken and marks.translated(e)]
    for entry in newly_obsolete:
        entry.obsolete = True
    run.counts["obsoleted"] = len(newly_obsolete)
    entries = [run.result[_key(tpl)] for tpl in wanted]
    for entry in entries:
        _tidy(entry)
    return entries + list(run.obsolete.values()) + newly_obsolete, run.counts


def _carry(tpl: polib.POEntry, old: polib.POEntry | None) -> polib.POEntry:
    """The template entry with ``old``'s translation, state and translator comments."""
    entry = polib.POEntry(
        msgid=tpl.msgid,
        msgctxt=tpl.msgctxt,
        msgstr="",
        comment=tpl.comment,
        occurrences=list(tpl.occurrences),
        flags=[f for f in tpl.flags if f != "fuzzy"],
    )
    if tpl.msgid_plural:
        entry.msgid_plural = tpl.msgid_plural
        entry.msgstr_plural = dict(old.msgstr_plural) if old is not None else {}
    if old is not None:
        entry.msgstr = old.msgstr
        entry.tcomment = old.tcomment
        entry.previous_msgid = old.previous_msgid
        if "fuzzy" in old.flags:
            entry.flags = marks.with_fuzzy(entry.flags)
    return entry


def _retarget(tpl: polib.POEntry, old: polib.POEntry) -> polib.POEntry | None:
    """Carry ``old`` over to ``tpl`` whose text differs only in link targets."""
    entry = _carry(tpl, old)
    if not old.msgstr:
        return entry
    old_targets = markup.link_targets(markup.parse_inline(old.msgid))
    new_targets = markup.link_targets(markup.parse_inline(tpl.msgid))
    theirs = markup.link_targets(markup.parse_inline(old.msgstr))
    auto = {e.value for e in markup.elements(markup.parse_inline(old.msgid)) if e.kind == "autolink"}
    plain_old = [t for t in old_targets if t not in auto]
    plain_new = [t for t in new_targets if t not in auto]
    plain_theirs = [t for t in theirs if t not in auto]
    if len(plain_theirs) != len(plain_old) or len(plain_old) != len(plain_new):
        return None
    mapping: dict[str, set[str]] = {}
    for src, new in zip(plain_old, plain_new, strict=True):
        mapping.setdefault(src, set()).add(new)
    # A target the translator chose (their own language's page) stays theirs. Where one old
    # target became several new ones (all were "#"), only the order tells which is which, and
    # a translation may order its links otherwise: then a person must look (fuzzy, with #|).
    ambiguous = any(len(news) > 1 for src, news in mapping.items() if src in plain_theirs)
    targets = (
        [
            new if mine == src else mine
            for mine, src, new in zip(plain_theirs, plain_old, plain_new, strict=True)
        ]
        if ambiguous
        else [next(iter(mapping[t])) if t in mapping else t for t in plain_theirs]
    )
    try:
        entry.msgstr = markup.with_link_targets(old.msgstr, targets)
    except ValueError:
        return None
    if ambiguous:
        entry.flags = marks.with_fuzzy(entry.flags)
        entry.previous_msgid = old.msgid
    else:
        marks.restamp_exact(entry, old.msgstr)
    return entry


def _tidy(entry: polib.POEntry) -> None:
    """An empty entry keeps no state. Every other keeps its marks as they are: they are the
    evidence its review state is derived from (approved, edited, stale)."""
    if marks.state(entry) is State.UNTRANSLATED:
        entry.previous_msgid = None
        marks.set_markers(entry, [])
        entry.flags = [f for f in entry.flags if f != "fuzzy"]


def _merged(config: Config, template: polib.POFile, code: str, title: str) -> tuple[Catalog, dict[str, int]]:
    lang = languages.get(code)
    path = config.catalog_path(code)
    catalog = po.read(path, code) if path.exists() else Catalog(path, polib.POFile(wrapwidth=79), None)
    old_meta = dict(catalog.po.metadata) if catalog.original is not None else None
    entries, counts = merge(template, catalog.po)
    merged = polib.POFile(wrapwidth=79)
    merged.header = po.header_comment(title, code) if not catalog.po.header else catalog.po.header
    merged.metadata = headers(config, lang, template, old_meta)
    for entry in entries:
        merged.append(entry)
    catalog.po = merged
    return catalog, counts


@dataclass(frozen=True)
class _Prepared:
    """One language's merge, as a worker hands it back: what to write, and over what."""

    code: str
    path: Path
    original: bytes | None
    counts: dict[str, int]
    data: bytes | None  # None: nothing changed


_TEMPLATE: dict[str, polib.POFile] = {}  # a worker's parsed template, by its bytes' digest


def _prepare(config: Config, template: bytes, code: str, title: str) -> _Prepared:
    key = hashlib.sha256(template).hexdigest()
    if key not in _TEMPLATE:
        _TEMPLATE.clear()
        _TEMPLATE[key] = po.parse(config.template_path, template, None)
    catalog, counts = _merged(config, _TEMPLATE[key], code, title)
    # Like msgmerge: a merge is no revision of the translations; only a new file gets its date.
    data = po.prepare(catalog, "PO-Revision-Date" if catalog.original is None else None)
    return _Prepared(code, catalog.path, catalog.original, counts, data)


# Below this many catalogs, starting workers costs more than it saves.
_PARALLEL_FROM = 4


@writes_project
def update(config: Config, codes: list[str] | tuple[str, ...]) -> list[UpdateResult]:
    """Create or merge the catalogs of ``codes``; files with nothing new are not rewritten."""
    read = _template(config)
    template, raw = read.po, read.original or b""
    title = (template.header or "").splitlines()[0] if template.header else config.domain
    # Merge and serialise every catalog first: one that fails stops the command before any is
    # written. Languages are merged side by side, one process per core (Python's own work,
    # polib's parsing and writing, is most of a merge).
    jobs = [(config, raw, code, title) for code in codes]
    workers = min(os.cpu_count() or 1, len(codes))
    if len(codes) < _PARALLEL_FROM or workers < 2:
        prepared = [_prepare(*job) for job in jobs]
    else:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            prepared = list(pool.map(_prepare, *zip(*jobs, strict=True)))
    results = []
    for one in prepared:
        if one.data is not None:
            po.commit(Catalog(one.path, polib.POFile(), one.original), one.data)
        results.append(UpdateResult(one.code, one.path, one.data is not None, **one.counts))
    return results
