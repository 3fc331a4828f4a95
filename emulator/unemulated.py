"""Fields of the recorded real responses that the emulator does not reproduce, with the reason.

The conformance tests compare the emulator's answers with the recordings in
``../shared/fixtures`` key by key and type by type; a path listed here is skipped there.
Paths use dots for object keys and ``[]`` for "every item of a list", e.g.
``"data.results[].metadata[].dictionaryLink"``. A key of ``"*"`` applies to every fixture.
"""

from __future__ import annotations

_FILTER_CONFIG = {
    "data[].fieldConfig.options": "varies with the filter type in the real answers themselves (Text: object, "
                                  "Range: list); items are compared with the first recorded one, a Text filter",
    "data[].fieldConfig.numElements": "varies with the filter type in the real answers themselves (Text: \"5\", "
                                      "Range and Select: 1)",
    "data[].legacyFieldId": "null for filters without a legacy id (Satellite, Collection Category...), as in the "
                            "real Landsat C2 answers (kapadia dataset-fields has null for its Select filters)",
}
_REMAINING_LIMITS = ("the list mixes a user entry (username) and an ip entry (ipAddress) and every item is "
                     "compared with the first (user) one; the emulator sends both entries like the sample")

# fixture file (relative to fixtures/m2m) -> {path: reason}; "" means the whole fixture
M2M_UNEMULATED: dict[str, dict[str, str]] = {
    "*": {
        "errorMessage": "success envelopes carry null, as recorded from the live service (kapadia, castuofa); "
                        "the USGS documentation samples show an empty string",
    },
    "castuofa_usgs_m2m_api/dataset.json": {
        "data.acquisitionEnd": "null for Landsat 8-9, still acquiring (as in the seed's real dataset-search); the "
                               "recorded corona2 dataset has ended",
    },
    "kapadia_usgs/dataset-fields.json": _FILTER_CONFIG,
    "usgs_docs_samples/dataset-filters_FIXED.json": _FILTER_CONFIG,
    "usgs_docs_samples/download-options_TRIMMED.json": {
        "data[].downloadName": "null for bundle products (ls_zip, dds_ms) as in the seed's real download-options; "
                               "only folder products and band files carry a name",
    },
    "usgs_docs_samples/download-request.json": {"data.remainingLimits[].username": _REMAINING_LIMITS},
    "usgs_docs_samples/rate-limit-summary.json": {
        "data.remainingLimits[].username": _REMAINING_LIMITS,
        "data.recentDownloadCounts[].username": _REMAINING_LIMITS,
    },
    "usgs_docs_samples/scene-list-add_development.json": {
        "": "answer of the 'development' API version ({failed, sceneCount}); the emulator serves 'stable', whose "
            "answer is the count (scene-list-add_stable.json)",
    },
}

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
