"""After WeasyPrint: the running header and footer marked as artifacts (PDF/UA 01-005).

WeasyPrint 70 tags the page-margin boxes' text (the draft mark, the page label, the
revision) as ``/Span`` structure elements, so a screen reader reads "Page 2 of 4" in the
middle of a sentence (Kozea/WeasyPrint#1836). The pages' margins hold nothing else: their
marked content becomes ``/Artifact`` (pagination), and the elements that pointed at it leave
the structure tree. pikepdf (qpdf) rewrites the file; the ``/ID`` is computed from the
content, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf

# The @page margins of letter.css, in CSS px (WeasyPrint's content streams work in px).
TOP_PX = 22 / 25.4 * 96
BOTTOM_PX = 24 / 25.4 * 96
_PX = 0.75  # pt per px


_TEXT_SHOWING = frozenset({"TJ", "Tj", "'", '"'})


def _margin_mcids(page: pikepdf.Page) -> tuple[list[Any], dict[int, list[int]], set[int]]:
    """The page's content operators, where each marked-content id opens (its ``BDC``s), and the
    ids whose text lies in a margin."""
    ops: list[Any] = pikepdf.parse_content_stream(page)
    height = float(page.mediabox[3]) / _PX
    stack: list[int | None] = []
    opened: dict[int, list[int]] = {}
    found: set[int] = set()
    y: float | None = None
    for index, instruction in enumerate(ops):
        # By attribute: unpacking an instruction as a pair costs pikepdf six times as much.
        name = str(instruction.operator)
        if name == "BDC":
            props = instruction.operands[1]
            mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
            stack.append(int(mcid) if mcid is not None else None)
            if mcid is not None:
                opened.setdefault(int(mcid), []).append(index)
        elif name == "BMC":
            stack.append(None)
        elif name == "EMC":
            if stack:
                stack.pop()
        elif name == "Tm":
            y = float(instruction.operands[5])
        elif name in _TEXT_SHOWING and y is not None and (y < TOP_PX or y > height - BOTTOM_PX):
            found.update(m for m in stack if m is not None)
    return ops, opened, found


def _detach(element: pikepdf.Dictionary, mcid: int) -> None:
    """Take ``mcid`` out of ``element``'s kids, and the element out of the tree once it is empty."""
    kids = element.get("/K")
    if isinstance(kids, pikepdf.Array):
        kept = [k for k in kids if not (isinstance(k, int | pikepdf.Object) and _is_mcid(k, mcid))]
        element.K = pikepdf.Array(kept)
        if kept:
            return
    elif kids is not None and not _is_mcid(kids, mcid):
        return
    parent = element.get("/P")
    if isinstance(parent, pikepdf.Dictionary) and "/K" in parent:
        siblings = parent.K
        if isinstance(siblings, pikepdf.Array):
            parent.K = pikepdf.Array([s for s in siblings if not _same(s, element)])
        elif _same(siblings, element):
            del parent["/K"]


def _is_mcid(kid: object, mcid: int) -> bool:
    if isinstance(kid, pikepdf.Dictionary):
        return kid.get("/MCID") is not None and int(kid.MCID) == mcid
    try:
        return int(kid) == mcid  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _same(a: object, b: pikepdf.Dictionary) -> bool:
    return isinstance(a, pikepdf.Object) and a.is_indirect and b.is_indirect and a.objgen == b.objgen


def _parent_arrays(pdf: pikepdf.Pdf) -> dict[int, pikepdf.Array]:
    tree = pdf.Root.StructTreeRoot.get("/ParentTree")
    nums = tree.get("/Nums") if tree is not None else None
    if nums is None:
        return {}
    pairs = ((int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2))
    return {key: value for key, value in pairs if isinstance(value, pikepdf.Array)}


def _reachable(node: object, found: set[tuple[int, int]] | None = None) -> set[tuple[int, int]]:
    """The structure elements the tree holds, by object number."""
    found = set() if found is None else found
    if isinstance(node, pikepdf.Array):
        for child in node:
            _reachable(child, found)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if node.is_indirect:
            if node.objgen in found:
                return found
            found.add(node.objgen)
        _reachable(node.get("/K"), found)
    return found


def _held(entries: Any, mcid: int, in_tree: set[tuple[int, int]]) -> bool:
    element = entries[mcid] if entries is not None and mcid < len(entries) else None
    return isinstance(element, pikepdf.Dictionary) and element.is_indirect and element.objgen in in_tree


def margins_as_artifacts(data: bytes) -> bytes:
    """``data`` with its page-margin text as artifacts; unchanged where it is not tagged."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return data
        parents = _parent_arrays(pdf)
        in_tree = _reachable(pdf.Root.StructTreeRoot.get("/K"))
        for page in pdf.pages:
            ops, opened, margin = _margin_mcids(page)
            entries = parents.get(int(page.obj.get("/StructParents", -1)))
            # Only what WeasyPrint left outside the document's tree is running content: text
            # the tree holds is the document's, wherever it stands on the page.
            margin = {m for m in margin if not _held(entries, m, in_tree)}
            if not margin:
                continue
            for number in margin:
                for index in opened[number]:
                    ops[index] = ([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
            table: Any = entries
            for number in sorted(margin):
                element = table[number] if table is not None and number < len(table) else None
                if isinstance(element, pikepdf.Dictionary):
                    _detach(element, number)
                    table[number] = None  # null: no element points here any more
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
