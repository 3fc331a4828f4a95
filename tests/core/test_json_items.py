"""decode_with_items: what json.loads gives, with the items of one list made as they are decoded."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scene_finder.core.json_items import ItemError, decode_with_items

PATH = ("data", "results")

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 20, 10 ** 20),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                      max_leaves=12)
keys = st.text(max_size=8)


def made(item):
    return ("made", json.dumps(item, sort_keys=True))


def expected(document):
    """What the decoder must give: json.loads, then the list at PATH made item by item."""
    value = json.loads(json.dumps(document))
    data = value.get("data") if isinstance(value, dict) else None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data["results"] = [made(item) for item in data["results"]]
    return value


envelopes = st.fixed_dictionaries(
    {"data": st.one_of(values, st.fixed_dictionaries({"results": st.one_of(st.lists(values, max_size=6), values)},
                                                     optional={"totalHits": st.integers(0, 99), "other": values}))},
    optional={"errorCode": st.one_of(st.none(), st.text(max_size=8)), "requestId": st.integers(0, 10 ** 9),
              "results": values},  # a "results" outside "data" is left as it is
)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.one_of(envelopes, values), st.sampled_from([None, 0, 2]), st.sampled_from([(",", ":"), (" ,\n", " :\t")]))
def test_the_same_as_json_loads_with_the_items_made(document, indent, separators):
    text = json.dumps(document, indent=indent, separators=separators, ensure_ascii=False)
    assert decode_with_items(f" \n{text}\r\n".encode(), PATH, made) == expected(document)


def test_duplicate_keys_keep_the_last_value_as_json_loads_does():
    text = '{"data": {"results": [1], "results": [2, 3]}, "data2": 0}'
    assert decode_with_items(text.encode(), PATH, lambda item: item * 10) == {"data": {"results": [20, 30]},
                                                                             "data2": 0}


def test_items_are_made_one_at_a_time_in_order():
    seen = []
    decode_with_items(b'{"data": {"results": [{"a": 1}, {"a": 2}, {"a": 3}]}}', PATH,
                      lambda item: seen.append(item["a"]))
    assert seen == [1, 2, 3]


@pytest.mark.parametrize("broken", [
    b'{"data": {"results": [1, 2', b'{"data": {"results": [1 2]}}', b'{"data" {"results": []}}',
    b'{"data": {"results": []}} trailing', b'{data: 1}', b'', b'{"data": {"results": [1,]}}',
])
def test_what_is_no_json_raises_value_error(broken):
    with pytest.raises(ValueError):
        json.loads(broken)  # the same verdict as json.loads
    with pytest.raises(ValueError):
        decode_with_items(broken, PATH, made)


def test_an_item_that_cannot_be_made_raises_item_error():
    def refuse(item):
        raise TypeError("no scene")

    with pytest.raises(ItemError, match="item 0: no scene"):
        decode_with_items(b'{"data": {"results": [{"x": 1}]}}', PATH, refuse)
