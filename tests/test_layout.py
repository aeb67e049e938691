"""The package's shape: stages as subpackages, a public API, size limits, help for every command."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import pipeline

PACKAGE = Path(pipeline.__file__).resolve().parent
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    too_long = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(PACKAGE).as_posix()
        if text.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{rel}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno:
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{rel}:{node.lineno}: {node.name} has {length} lines")
    assert too_long == []


def test_every_module_says_what_it_owns() -> None:
    missing = [
        p.relative_to(PACKAGE).as_posix()
        for p in _modules()
        if not ast.get_docstring(ast.parse(p.read_text()))
    ]
    assert missing == []


def test_the_public_api_gives_the_stage_functions() -> None:
    from pipeline import check, extract, render, render_language, status, translate, update

    for stage in (extract, update, translate, check, render, render_language, status):
        assert inspect.isfunction(stage), stage
    assert set(pipeline.__all__) == {*pipeline._EXPORTS, "__version__"}
    for name in pipeline.__all__:
        assert getattr(pipeline, name) is not None
    # What the package does not export is private by its place (a subpackage) or its name.
    top = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    assert top == {"cli", "cli_memory", "config", "errors", "files", "languages", "report", "version"}


def test_importing_the_api_loads_nothing_heavy() -> None:
    code = (
        "import sys\nfrom pipeline import extract, update, check, render, status, translate\n"
        "print(extract)\n"
        "assert not {'weasyprint', 'deepl'} & set(sys.modules), 'heavy import'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("<function extract at ")
