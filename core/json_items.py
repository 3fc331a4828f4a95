"""Decode a JSON answer whose one big list is made into records item by item, as it is decoded.

A scene-search page of 10,000 scenes is 17 MB of JSON. ``json.loads`` decodes it in one call that
holds Python's lock the whole time (QGIS's main thread cannot run a line of Python meanwhile: tens
of milliseconds on a 2,000-scene page), builds every dictionary of every scene at once (tens of MB
that the caches cannot hold), and only then can they be made into scenes, each read back from
memory. :func:`decode_with_items` walks the answer's objects down to the list at ``path`` and
decodes that list one item at a time (``JSONDecoder.raw_decode``), handing each item to ``make``
while it is fresh and letting it go: less memory, a faster whole than decoding then converting,
and a pause for other threads between items.

The walk reads keys with the decoder's own string scanner and every other value with the decoder
itself, so the result is what ``json.loads`` gives, with the items made; duplicate keys keep the
last value, as there. Anything else than well-formed JSON raises ``ValueError``, and so does an
error of ``make``: the caller then decodes the usual way, so that a broken answer is reported as
it would have been (see :meth:`..m2m.client.M2MClient.call`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")  # JSON's whitespace, as json.decoder skips it
_DECODER = json.JSONDecoder()
_scan_string = json.decoder.scanstring


class ItemError(ValueError):
    """``make`` refused an item (the answer is decoded again the usual way, and reported so)."""


def decode_with_items(body: bytes | str, path: tuple[str, ...], make: Callable[[Any], Any]) -> Any:
    """``json.loads(body)``, with each item of the list found by following ``path`` (object keys from
    the top) replaced by ``make(item)``. A value on the path that is no object, or a list that is no
    list, is decoded as it is (nothing to make)."""
    text = body if isinstance(body, str) else body.decode(json.detect_encoding(body), "surrogatepass")
    start = _WHITESPACE.match(text, 0).end()
    if path and text.startswith("{", start):
        value, end = _object(text, start, path, make)
    else:
        value, end = _DECODER.raw_decode(text, start)
    if _WHITESPACE.match(text, end).end() != len(text):
        raise ValueError(f"extra data after the JSON value at {end}")
    return value


def _value(text: str, index: int, path: tuple[str, ...], make: Callable[[Any], Any]) -> tuple[Any, int]:
    if not path:
        if text.startswith("[", index):
            return _items(text, index, make)
        return _DECODER.raw_decode(text, index)
    if text.startswith("{", index):
        return _object(text, index, path, make)
    return _DECODER.raw_decode(text, index)


def _object(text: str, index: int, path: tuple[str, ...], make: Callable[[Any], Any]) -> tuple[dict, int]:
    """The object at ``text[index] == "{"``; the member named ``path[0]`` follows the rest of the path."""
    found: dict[str, Any] = {}
    skip = _WHITESPACE.match
    index = skip(text, index + 1).end()
    if text.startswith("}", index):
        return found, index + 1
    while True:
        if not text.startswith('"', index):
            raise ValueError(f"expected a key at {index}")
        key, index = _scan_string(text, index + 1, True)
        index = skip(text, index).end()
        if not text.startswith(":", index):
            raise ValueError(f"expected ':' at {index}")
        index = skip(text, index + 1).end()
        if key == path[0]:
            found[key], index = _value(text, index, path[1:], make)
        else:
            found[key], index = _DECODER.raw_decode(text, index)
        index = skip(text, index).end()
        if text.startswith(",", index):
            index = skip(text, index + 1).end()
        elif text.startswith("}", index):
            return found, index + 1
        else:
            raise ValueError(f"expected ',' or '}}' at {index}")


def _items(text: str, index: int, make: Callable[[Any], Any]) -> tuple[list, int]:
    """The list at ``text[index] == "["``, each item made as soon as it is decoded."""
    made: list[Any] = []
    skip = _WHITESPACE.match
    decode = _DECODER.raw_decode
    index = skip(text, index + 1).end()
    if text.startswith("]", index):
        return made, index + 1
    while True:
        item, index = decode(text, index)
        try:
            made.append(make(item))
        except Exception as error:
            raise ItemError(f"item {len(made)}: {error}") from error
        del item  # let it go before the next one is decoded
        index = skip(text, index).end()
        if text.startswith(",", index):
            index = skip(text, index + 1).end()
        elif text.startswith("]", index):
            return made, index + 1
        else:
            raise ValueError(f"expected ',' or ']' at {index}")
