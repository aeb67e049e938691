"""pipeline: texts in the 24 official languages of the EU, through gettext catalogs, kept right.

The public API is what ``__all__`` names: the stage functions and their result
types, each a plain function over plain data; ``pipeline.cli`` is a thin shell
around them. Everything else (the subpackages ``source``, ``catalogs``, ``mt``,
``checks``, ``memory``, ``typeset`` and ``publish``) is the implementation, private by its
place. Importing this package stays cheap: a stage loads on first use, so
``pipeline --help`` imports neither WeasyPrint nor the DeepL client.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

# name -> the module that defines it
_EXPORTS = {
    "Config": "config",
    "load_config": "config",
    "load_documents": "config",
    "PipelineError": "errors",
    "extract": "catalogs.extract",
    "ExtractResult": "catalogs.extract",
    "update": "catalogs.update",
    "UpdateResult": "catalogs.update",
    "translate": "mt.run",
    "TranslateResult": "mt.run",
    "check": "checks.catalog",
    "Finding": "checks.findings",
    "render": "publish.parallel",
    "PublishResult": "publish.parallel",
    "render_language": "publish.language",
    "RenderResult": "publish.language",
    "status": "publish.status",
    "LanguageStatus": "publish.status",
    "recall": "memory.recall",
    "Recalled": "memory.recall",
}
_RENAMED = {"load_config": "load"}

__all__ = [
    "Config",
    "ExtractResult",
    "Finding",
    "LanguageStatus",
    "PipelineError",
    "PublishResult",
    "Recalled",
    "RenderResult",
    "TranslateResult",
    "UpdateResult",
    "__version__",
    "check",
    "extract",
    "load_config",
    "load_documents",
    "recall",
    "render",
    "render_language",
    "status",
    "translate",
    "update",
]

if TYPE_CHECKING:
    from .catalogs.extract import ExtractResult, extract
    from .catalogs.update import UpdateResult, update
    from .checks.catalog import check
    from .checks.findings import Finding
    from .config import Config, load_documents
    from .config import load as load_config
    from .errors import PipelineError
    from .memory.recall import Recalled, recall
    from .mt.run import TranslateResult, translate
    from .publish.language import RenderResult, render_language
    from .publish.parallel import PublishResult, render
    from .publish.status import LanguageStatus, status


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), _RENAMED.get(name, name))
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
