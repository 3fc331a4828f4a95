"""Fields of the recorded real responses that the emulator does not reproduce, with the reason.

The conformance tests compare the emulator's answers with the recordings in
``../shared/fixtures`` key by key and type by type; a path listed here is skipped there.
Paths use dots for object keys and ``[]`` for "every item of a list", e.g.
``"data.results[].metadata[].dictionaryLink"``. A key of ``"*"`` applies to every fixture.
"""

from __future__ import annotations

# fixture file (relative to fixtures/m2m) -> {path: reason}
M2M_UNEMULATED: dict[str, dict[str, str]] = {}

# fixture file (relative to fixtures/carbonmapper) -> {path: reason}
CARBONMAPPER_UNEMULATED: dict[str, dict[str, str]] = {}
