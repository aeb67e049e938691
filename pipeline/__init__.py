"""pipeline: one open letter in the 24 official languages of the EU, kept right as it changes.

The stages are plain functions over plain data; ``pipeline.cli`` is a thin shell
around them. Importing this package stays cheap: the stages load on first use.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    "Config": "config",
    "load_config": ("config", "load"),
    "PipelineError": "errors",
    "extract": "extract",
    "update": "update",
    "status": "status",
    "render": "render",
    "check": "check",
    "translate": "translate",
    "publish": "publish",
}


def __getattr__(name: str) -> Any:
    import importlib

    target = _API.get(name)
    if target is None:
        raise AttributeError(name)
    module, attr = target if isinstance(target, tuple) else (target, name)
    return getattr(importlib.import_module(f".{module}", __name__), attr)
