"""The damage model of the DeepL test server: what a plain-text engine does to bits it does not understand.

For a target without tag handling (Irish, Croatian, Maltese), DeepL translates text as
text: anything that looks like markup (the pipeline's placeholder tokens, or XML tags a
client sent anyway) may be changed. ``damage(text, target, seed)`` applies, with a
random generator seeded from SHA-256 of (seed, target, text), so the same request is
always damaged the same way:

per token (``ph3@x.invalid``, ``ph3x@x.invalid``, or a tag ``<em id="1">``):
  case      0.10  written in capitals ("PH3@X.INVALID", "<EM ID="1">")
  space     0.05  a space inside it ("ph3 @x.invalid")
  inflect   0.04  a case ending glued to it, as Irish, Croatian or Maltese do to a word
                  ("ph3@x.invalid-a", "ph3@x.invalidom")
  translate 0.25  a tag's name translated as a word (XML only: "<láidir id="1">")
  escape    0.05  a tag written out as text (XML only: "&lt;em id="1"&gt;")
per text:
  move      0.10  one token moves: to the start, the end, or one to three words away
  drop      0.03  one token disappears
  double    0.015 one token is written twice
  close     0.05  a closing tag is lost (XML only)
  punctuation 0.30  the spaces before , . ; : ! ? change (dropped, or one added)
  quotes    0.50  straight quotes become curly
  capital   0.10  the first letter changes case

The rates are the test team's assumptions about a plain-text engine, not DeepL's
figures: the benchmark reports how the pipeline fares against this model, no more.
"""

from __future__ import annotations

import hashlib
import random
import re

TOKEN = re.compile(r"ph\d{1,3}x?@x\.invalid|</?[a-z]+(?: id=\"\d+\")?/?>")
RATES = {
    "case": 0.10,
    "space": 0.05,
    "inflect": 0.04,
    "translate": 0.25,
    "escape": 0.05,
    "move": 0.10,
    "drop": 0.03,
    "double": 0.015,
    "close": 0.05,
    "punctuation": 0.30,
    "quotes": 0.50,
    "capital": 0.10,
}
_TAG_WORDS = {
    "GA": ("láidir", "béim", "nasc"),
    "HR": ("jako", "naglasak", "veza"),
    "MT": ("qawwi", "enfasi", "rabta"),
}
_ENDINGS = {"GA": ("-a", "-e"), "HR": ("-a", "om", "u"), "MT": ("-i", "a")}


def _rng(text: str, target: str, seed: int) -> random.Random:
    digest = hashlib.sha256(f"{seed}\0{target}\0{text}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def damage(text: str, target: str, seed: int = 0, rates: dict[str, float] | None = None) -> str:
    rate = {**RATES, **(rates or {})}
    rng = _rng(text, target, seed)
    text = _structure(text, rng, rate)
    text = TOKEN.sub(lambda m: _token(m.group(0), target, rng, rate), text)
    return _surface(text, rng, rate)


def _structure(text: str, rng: random.Random, rate: dict[str, float]) -> str:
    tokens = list(TOKEN.finditer(text))
    if tokens and rng.random() < rate["move"]:
        moved = rng.choice(tokens)
        rest = (text[: moved.start()] + text[moved.end() :]).replace("  ", " ")
        spots = [0, len(rest.rstrip(" .!?;:,"))] + [m.start() for m in re.finditer(r"(?<= )\w", rest)]
        at = rng.choice(spots)
        text = rest[:at] + moved.group(0) + " " + rest[at:]
    tokens = list(TOKEN.finditer(text))
    if tokens and rng.random() < rate["drop"]:
        gone = rng.choice(tokens)
        text = text[: gone.start()] + text[gone.end() :]
    tokens = list(TOKEN.finditer(text))
    if tokens and rng.random() < rate["double"]:
        twice = rng.choice(tokens)
        text = text[: twice.end()] + " " + twice.group(0) + text[twice.end() :]
    closers = [m for m in TOKEN.finditer(text) if m.group(0).startswith("</")]
    if closers and rng.random() < rate["close"]:
        lost = rng.choice(closers)
        text = text[: lost.start()] + text[lost.end() :]
    return text


def _token(found: str, target: str, rng: random.Random, rate: dict[str, float]) -> str:
    if found.startswith("<"):
        if rng.random() < rate["translate"]:
            word = rng.choice(_TAG_WORDS.get(target, ("x",)))
            found = re.sub(r"^(</?)(\w+)", lambda m: m.group(1) + word, found)
        if rng.random() < rate["escape"]:
            found = found.replace("<", "&lt;").replace(">", "&gt;")
    else:
        if rng.random() < rate["space"]:
            found = found.replace("@", " @", 1)
        if rng.random() < rate["inflect"]:
            found += rng.choice(_ENDINGS.get(target, ("s",)))
    return found.upper() if rng.random() < rate["case"] else found


def _surface(text: str, rng: random.Random, rate: dict[str, float]) -> str:
    if rng.random() < rate["punctuation"]:
        text = (
            re.sub(r" ([,.;:!?])", r"\1", text)
            if rng.random() < 0.5
            else re.sub(r"(?<=\w)([;:!?])", r" \1", text)
        )
    if rng.random() < rate["quotes"]:
        text = re.sub(r'"([^"<>]*)"', r"“\1”", text).replace("'", "’")
    if text[:1].isalpha() and rng.random() < rate["capital"]:
        text = text[:1].swapcase() + text[1:]
    return text
