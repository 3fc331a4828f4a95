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
CARBONMAPPER_UNEMULATED: dict[str, dict[str, str]] = {
    "*": {
        "_note": "annotation written when the sample was collected, not part of the service's response",
    },
    "source_plume_name__mhacks_2026-09_trimmed.json": {
        "plumes[].emission_auto": "nullable: the recording itself has null here for plumes without an estimate "
                                  "(plumes[1]); the emulator sends null for those too",
        "plumes[].emission_uncertainty_auto": "nullable, as emission_auto",
    },
}
