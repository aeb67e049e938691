"""The DeepL implementation of the translate stage's Engine, over the official ``deepl`` client.

The client is imported on first use, so ``pipeline --help`` stays instant. The
key comes from ``DEEPL_AUTH_KEY`` only, and never appears in a message: every
foreign exception becomes a TranslateError whose text is scrubbed of it.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, quote_plus

from ..errors import TranslateError
from ..version import __version__
from . import deepl_languages, xml_codec
from .engine import SOURCE_LANG, GlossaryRef, Languages, Translated, Usage

if TYPE_CHECKING:
    import deepl

KEY_VARIABLE = "DEEPL_AUTH_KEY"
SERVER_VARIABLE = "DEEPL_SERVER_URL"
T = TypeVar("T")


class DeepLEngine:
    """DeepL through ``deepl.DeepLClient``: one client per thread (a requests session is not shared)."""

    name = "deepl"

    def __init__(self, auth_key: str, server_url: str | None = None) -> None:
        if not auth_key or any(c.isspace() or not c.isprintable() for c in auth_key):
            raise TranslateError(
                f"{KEY_VARIABLE} holds a space, a line break or another unprintable character: "
                "copy the key again from your DeepL account page (it is not shown here)"
            )
        self._key = auth_key
        self._server_url = server_url
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"DeepLEngine(server_url={self._server_url!r})"  # never the key

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> DeepLEngine:
        env = os.environ if environ is None else environ
        key = env.get(KEY_VARIABLE, "").strip()
        if not key:
            raise TranslateError(
                f"{KEY_VARIABLE} is not set: export {KEY_VARIABLE}=<your DeepL API key> "
                "(Free keys end in :fx; the key is on your DeepL account page under API Keys)"
            )
        return cls(key, env.get(SERVER_VARIABLE) or None)

    def _client(self) -> deepl.DeepLClient:
        client: deepl.DeepLClient | None = getattr(self._local, "client", None)
        if client is None:
            import deepl

            client = deepl.DeepLClient(self._key, server_url=self._server_url, send_platform_info=False)
            client.set_app_info("pipeline", __version__)
            self._local.client = client
        return client

    def _call(self, what: str, call: Callable[[deepl.DeepLClient], T]) -> T:
        """Run one client call; turn whatever it raises into a TranslateError that names the cause."""
        import deepl

        try:
            return call(self._client())
        except deepl.AuthorizationException as exc:
            raise TranslateError(
                f"DeepL rejected the key in {KEY_VARIABLE} (HTTP 403): check that it is the API key "
                "of an active DeepL API account"
            ) from exc
        except deepl.QuotaExceededException as exc:
            raise TranslateError(
                "the DeepL character quota of this billing period is used up (HTTP 456)"
            ) from exc
        except deepl.TooManyRequestsException as exc:
            raise TranslateError(
                f"DeepL is overloaded (HTTP 429) and still was after {self._retries()} retries ({what}); "
                "try again later"
            ) from exc
        except deepl.ConnectionException as exc:
            raise TranslateError(
                f"no answer from DeepL after {self._retries()} retries ({what}): {self._scrub(exc)}"
            ) from exc
        except deepl.DeepLException as exc:
            status = f" (HTTP {exc.http_status_code})" if exc.http_status_code else ""
            raise TranslateError(f"DeepL refused {what}{status}: {self._scrub(exc)}") from exc
        except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
            # The client trusts the answer's shape: a missing field surfaces as one of these.
            raise TranslateError(f"DeepL sent a malformed answer ({what}): {self._scrub(exc)}") from exc

    def _scrub(self, exc: BaseException) -> str:
        """The message without the key, in any form it can take there: raw, escaped, URL-encoded."""
        text = str(exc)
        forms = {
            self._key,
            repr(self._key)[1:-1],
            json.dumps(self._key)[1:-1],
            quote(self._key, safe=""),
            quote(self._key),
            quote_plus(self._key),
        }
        for form in sorted(forms, key=len, reverse=True):
            text = text.replace(form, f"<{KEY_VARIABLE}>")
        return text

    @staticmethod
    def _retries() -> int:
        import deepl

        return int(deepl.http_client.max_network_retries)

    # -- the Engine protocol -------------------------------------------------

    def translate(
        self,
        texts: Sequence[str],
        *,
        target: str,
        context: str,
        formality: str | None,
        glossary: str | None,
        tag_handling: bool = True,
        model_type: str = "quality_optimized",
    ) -> list[Translated]:
        what = f"translating {len(texts)} texts into {target}"
        # Tags only where the target has tag handling; elsewhere nothing of XML is sent.
        tags: dict[str, Any] = (
            {"tag_handling": "xml", "tag_handling_version": "v2", "ignore_tags": list(xml_codec.IGNORE_TAGS)}
            if tag_handling
            else {}
        )

        def call(client: deepl.DeepLClient) -> list[Translated]:
            results = client.translate_text(
                list(texts),
                source_lang=SOURCE_LANG,  # without it DeepL may pick a model that ignores split_sentences
                target_lang=target,
                context=context or None,
                formality=formality,
                glossary=glossary,
                split_sentences="nonewlines",
                preserve_formatting=True,
                model_type=model_type,
                **tags,
            )
            found = results if isinstance(results, list) else [results]
            return [
                Translated(str(r.text), int(r.billed_characters), str(r.model_type_used or "")) for r in found
            ]

        translated = self._call(what, call)
        # The client returns whatever the answer held: a short list would shift texts into the wrong entries.
        if len(translated) != len(texts):
            raise TranslateError(
                f"DeepL returned {len(translated)} translations for {len(texts)} texts ({what}): "
                "a malformed answer; nothing of this request was saved"
            )
        return translated

    def usage(self) -> Usage:
        usage = self._call("reading the account's usage", lambda client: client.get_usage())
        return Usage(usage.character.count, usage.character.limit)

    def languages(self) -> Languages:
        """Every target's features, from /v3/languages (the client has no method for it: one request
        through its own transport, with its auth header, server URL, proxy and retries). A key
        refused (403) stays fatal; anything else that fails gives the dated table, with a note."""
        import deepl

        try:
            status, content, payload = self._call(
                "listing languages", lambda client: client._api_call(deepl_languages.PATH, method="GET")
            )
        except TranslateError as exc:
            if isinstance(exc.__cause__, deepl.AuthorizationException):
                raise
            return deepl_languages.fallback(f"/v3/languages did not answer ({exc.message})")
        if status == 403:
            self._call("listing languages", lambda client: client._raise_for_status(status, content, payload))
        if status != 200:
            return deepl_languages.fallback(f"/v3/languages answered HTTP {status}")
        try:
            return deepl_languages.parse(payload)
        except ValueError as exc:
            return deepl_languages.fallback(f"/v3/languages sent a malformed answer ({exc})")

    def glossary(self, name: str, prefix: str, dictionaries: Mapping[str, Mapping[str, str]]) -> GlossaryRef:
        from deepl.api_data import MultilingualGlossaryDictionaryEntries

        existing = self._call("listing glossaries", lambda client: client.list_multilingual_glossaries())
        current = next((g for g in existing if g.name == name), None)
        created = current is None
        if current is None:
            tables = [
                MultilingualGlossaryDictionaryEntries(SOURCE_LANG, target, dict(entries))
                for target, entries in sorted(dictionaries.items())
            ]
            current = self._call(
                "creating the glossary", lambda client: client.create_multilingual_glossary(name, tables)
            )
        # The new one exists before the old ones go: a failure here leaves a usable glossary.
        stale = [g for g in existing if g.name.startswith(prefix) and g.glossary_id != current.glossary_id]

        def delete(client: deepl.DeepLClient) -> None:
            for old in stale:
                client.delete_multilingual_glossary(old.glossary_id)

        if stale:
            self._call("deleting the project's old glossaries", delete)
        return GlossaryRef(current.glossary_id, name, created, len(stale))
