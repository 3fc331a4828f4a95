"""Scene-search paging logic and error mapping, without a server."""

from __future__ import annotations

import json

import pytest
from support.conformance import FIXTURES

from scene_finder.core.errors import (
    AuthExpiredError,
    AuthInvalidError,
    AuthRevokedError,
    AuthUnauthorizedError,
    BadInputError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from scene_finder.core.m2m.errors import error_for_code, error_for_http
from scene_finder.core.m2m.search import build_scene_filter, iter_pages


class FakeService:
    """Answers scene-search pages the way the real service does, including its nextRecord quirk."""

    def __init__(self, total: int, accuracy: str = "exact", reported_total: int | None = None):
        self.total, self.accuracy = total, accuracy
        self.reported_total = total if reported_total is None else reported_total
        self.asked: list[tuple[int, int]] = []

    def __call__(self, starting: int, max_results: int) -> dict:
        self.asked.append((starting, max_results))
        count = max(0, min(max_results, self.total - starting + 1))
        results = [{"entityId": f"E{starting + i}"} for i in range(count)]
        return {"results": results, "recordsReturned": count, "totalHits": self.reported_total,
                "totalHitsAccuracy": self.accuracy, "startingNumber": starting,
                "nextRecord": starting if starting + count > self.total else starting + count}


def read_all(fetch, cap, page_size) -> list[str]:
    return [r["entityId"] for page in iter_pages(fetch, cap, page_size) for r in page["results"]]


def test_pages_until_total_hits_without_an_extra_empty_page():
    service = FakeService(25)
    assert read_all(service, 50_000, 10) == [f"E{i}" for i in range(1, 26)]
    assert service.asked == [(1, 10), (11, 10), (21, 10)]


def test_exact_multiple_stops_on_total_hits():
    service = FakeService(20)
    assert len(read_all(service, 50_000, 10)) == 20
    assert service.asked == [(1, 10), (11, 10)]


def test_limit_trims_the_last_page():
    service = FakeService(1000)
    assert len(read_all(service, 25, 10)) == 25
    assert service.asked == [(1, 10), (11, 10), (21, 5)]


def test_never_asks_beyond_the_service_cap():
    service = FakeService(120_000)
    ids = read_all(service, 50_000, 10_000)
    assert len(ids) == 50_000 and service.asked[-1] == (40_001, 10_000) and len(service.asked) == 5


def test_approximate_total_is_not_trusted_a_short_page_ends():
    service = FakeService(15, accuracy="approximate", reported_total=5)
    assert len(read_all(service, 50_000, 10)) == 15


def test_empty_first_page():
    service = FakeService(0)
    assert read_all(service, 50_000, 10) == [] and len(service.asked) == 1


def test_a_page_shorter_than_recordsreturned_says_is_not_trusted():
    def fetch(starting, max_results):
        return {"results": [{"entityId": "A"}], "recordsReturned": 100, "totalHits": 836454, "nextRecord": 101}
    pages = list(iter_pages(fetch, 50_000, 100))
    assert len(pages) == 1


def test_recorded_last_page_with_non_advancing_next_record():
    path = FIXTURES / "m2m" / "kapadia_usgs" / "scene-search.json"
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    data = json.loads(path.read_text())["data"]
    assert data["nextRecord"] == data["startingNumber"]
    calls = []

    def fetch(starting, max_results):
        calls.append(starting)
        return data
    assert len(list(iter_pages(fetch, 50_000, 1))) == 1 and calls == [1]


def test_scene_filter_shape():
    built = build_scene_filter(spatial={"filterType": "mbr"}, start="2023-03-01", end="2023-04-01", cloud_max=20,
                               metadata_filter={"filterType": "value"})
    assert built == {"spatialFilter": {"filterType": "mbr"},
                     "acquisitionFilter": {"start": "2023-03-01", "end": "2023-04-01"},
                     "cloudCoverFilter": {"min": 0, "max": 20.0, "includeUnknown": False},
                     "metadataFilter": {"filterType": "value"}}
    assert build_scene_filter() == {}
    with pytest.raises(BadInputError):
        build_scene_filter(start="2023-05-01", end="2023-04-01")
    with pytest.raises(BadInputError):
        build_scene_filter(cloud_max=120)
    with pytest.raises(BadInputError):
        build_scene_filter(start="yesterday")


@pytest.mark.parametrize("code, cls", [
    ("AUTH_INVALID", AuthInvalidError), ("AUTH_UNAUTHROIZED", AuthUnauthorizedError),
    ("UNAUTHORIZED_USER", AuthUnauthorizedError), ("AUTH_EXPIRED", AuthExpiredError),
    ("AUTH_KEY_INVALID", AuthExpiredError), ("AUTH_REVOKED", AuthRevokedError), ("RATE_LIMIT", RateLimitError),
    ("RATE_LIMIT_USER_DL", RateLimitError), ("NOT_FOUND", NotFoundError), ("INPUT_PARAMETER_INVALID", BadInputError),
    ("INPUT_FORMAT", BadInputError), ("SERVER_ERROR", ServiceUnavailableError), ("UNKNOWN", ServiceUnavailableError),
    ("ENDPOINT_UNAVAILABLE", ServiceUnavailableError), ("DOWNLOAD_ERROR", ServiceUnavailableError),
    ("SOMETHING_NEW", ServiceUnavailableError),
])
def test_error_codes_map_to_the_hierarchy(code, cls):
    error = error_for_code(code, "what the service said")
    assert type(error) is cls and error.code == code and error.service_message == "what the service said"


def test_no_access_message_says_how_to_request_it():
    message = str(error_for_code("AUTH_UNAUTHROIZED", "Your account does not have access to this endpoint"))
    assert "Access Request" in message and "MACHINE" in message and "ers.cr.usgs.gov" in message


def test_input_errors_carry_the_service_reason():
    assert "datasetName is invalid" in str(error_for_code("INPUT_PARAMETER_INVALID", "datasetName is invalid"))


def test_http_errors():
    assert isinstance(error_for_http(503, "down"), ServiceUnavailableError)
    assert isinstance(error_for_http(200, None), ServiceUnavailableError)
    limited = error_for_http(429, None, 30.0)
    assert isinstance(limited, RateLimitError) and limited.retry_after == 30.0


def test_recorded_auth_expired_envelope_maps():
    path = FIXTURES / "m2m" / "observed_in_issues_and_code" / "error_AUTH_EXPIRED.json"
    if not path.exists():
        pytest.skip("recorded fixtures not available")
    envelope = json.loads(path.read_text())
    assert isinstance(error_for_code(envelope["errorCode"], envelope["errorMessage"]), AuthExpiredError)
