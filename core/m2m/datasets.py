"""Datasets and their metadata filters (``dataset-search``, ``dataset-filters``).

:func:`build_metadata_filter` turns what a person writes — ``{"Satellite": "9"}``,
``{"WRS Path": (13, 15)}``, ``{"Collection Category": "Tier 1"}`` — into the service's
``metadataFilter``, checking labels and values against the dataset's filters first so that a
typo is reported with the list of valid choices instead of silently matching nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Union

from ..errors import BadInputError
from ..parsing import as_dict, as_flag, as_int, as_list, as_list_of_dicts, as_opt_str, as_str, malformed
from .client import M2MClient
from .errors import SERVICE

LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class Dataset:
    alias: str  # what every other call takes as datasetName, e.g. "landsat_ot_c2_l2"
    name: str  # collectionName, e.g. "Landsat 8-9 OLI/TIRS C2 L2"
    dataset_id: str = ""
    long_name: str = ""
    category: str = ""
    acquisition_start: str | None = None
    acquisition_end: str | None = None
    scene_count: int | None = None
    supports_cloud_cover: bool = False
    abstract: str = field(default="", repr=False)
    keywords: str = field(default="", repr=False)  # comma-separated, as the service lists them


@dataclass(frozen=True)
class TextFilter:
    id: str
    label: str
    field_type: str = "Text"
    dictionary_link: str | None = None


@dataclass(frozen=True)
class SelectFilter:
    id: str
    label: str
    field_type: str = "Select"
    dictionary_link: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # value sent -> label shown
    multiple: bool = False


@dataclass(frozen=True)
class RangeFilter:
    id: str
    label: str
    field_type: str = "Range"
    dictionary_link: str | None = None
    is_date: bool = False  # values like "2023/03/01"


MetadataField = Union[TextFilter, SelectFilter, RangeFilter]  # evaluated: no X | Y before Python 3.10


def dataset_from_json(item: Any, field: str = "dataset-search[]") -> Dataset:
    """A :class:`Dataset` from one ``dataset-search`` item; :class:`MalformedAnswerError` if it is none."""
    if not isinstance(item, dict):
        raise malformed(field, item, SERVICE)
    alias = as_str(item.get("datasetAlias"), f"{field}.datasetAlias", SERVICE)
    return Dataset(
        alias=alias,
        name=as_str(item.get("collectionName"), f"{field}.collectionName", SERVICE) or alias,
        dataset_id=as_str(item.get("datasetId"), f"{field}.datasetId", SERVICE),
        long_name=as_str(item.get("collectionLongName"), f"{field}.collectionLongName", SERVICE),
        category=as_str(item.get("datasetCategoryName"), f"{field}.datasetCategoryName", SERVICE),
        acquisition_start=as_opt_str(item.get("acquisitionStart"), f"{field}.acquisitionStart", SERVICE),
        acquisition_end=as_opt_str(item.get("acquisitionEnd"), f"{field}.acquisitionEnd", SERVICE),
        scene_count=as_int(item.get("sceneCount"), f"{field}.sceneCount", SERVICE, minimum=0),
        supports_cloud_cover=as_flag(item.get("supportCloudCover"), f"{field}.supportCloudCover", SERVICE),
        abstract=as_str(item.get("abstractText"), f"{field}.abstractText", SERVICE),
        keywords=as_str(item.get("keywords"), f"{field}.keywords", SERVICE),
    )


def search_datasets(client: M2MClient, name: str | None = None) -> list[Dataset]:
    """Datasets whose name matches ``name`` (all datasets without one)."""
    payload = {"datasetName": name} if name else {}
    return datasets_from_json(client.call("dataset-search", payload))


def datasets_from_json(data: Any) -> list[Dataset]:
    """The datasets of a ``dataset-search`` answer (null: none)."""
    return [dataset_from_json(item) for item in as_list_of_dicts(data, "data", SERVICE)]


def _php_map(value: Any, field: str) -> dict:
    """An object; the service sends an empty one as ``[]`` (PHP), and null when absent."""
    return {} if isinstance(value, list) else as_dict(value, field, SERVICE)


def filter_from_json(item: Any, field: str = "dataset-filters[]") -> MetadataField:
    """A metadata filter from one ``dataset-filters`` item; :class:`MalformedAnswerError` if it is none."""
    if not isinstance(item, dict):
        raise malformed(field, item, SERVICE)
    config = _php_map(item.get("fieldConfig"), f"{field}.fieldConfig")
    kind = as_str(config.get("type"), f"{field}.fieldConfig.type", SERVICE) or "Text"
    filter_id = as_str(item.get("id"), f"{field}.id", SERVICE)
    label = as_str(item.get("fieldLabel"), f"{field}.fieldLabel", SERVICE) or filter_id
    common = dict(id=filter_id, label=label.strip(),
                  dictionary_link=as_opt_str(item.get("dictionaryLink"), f"{field}.dictionaryLink", SERVICE))
    value_list = item.get("valueList")
    if kind == "Select" or isinstance(value_list, dict):
        values = _php_map(value_list, f"{field}.valueList")
        options = _php_map(config.get("options"), f"{field}.fieldConfig.options")
        # "" means "All" in the service's forms: it is no filter, so it is not offered
        return SelectFilter(**common, values={k: as_str(v, f"{field}.valueList.{k}", SERVICE, k)
                                              for k, v in values.items() if k != ""},
                            multiple=as_flag(options.get("multiple"), f"{field}.fieldConfig.options.multiple",
                                             SERVICE))
    if kind == "Range":
        validators = as_list(config.get("validators"), f"{field}.fieldConfig.validators", SERVICE)
        is_date = any(isinstance(v, dict) and v.get("type") == "Date" for v in validators) \
            or "date" in common["label"].lower()
        return RangeFilter(**common, is_date=is_date)
    return TextFilter(**common, field_type=kind)


def dataset_filters(client: M2MClient, dataset: str) -> list[MetadataField]:
    """The metadata filters a dataset offers (``dataset-filters``)."""
    return filters_from_json(client.call("dataset-filters", {"datasetName": dataset}))


def filters_from_json(data: Any) -> list[MetadataField]:
    """The filters of a ``dataset-filters`` answer (null: none)."""
    return [filter_from_json(item) for item in as_list_of_dicts(data, "data", SERVICE)]


def _find_filter(filters: list[MetadataField], key: str) -> MetadataField:
    wanted = str(key).strip()
    for candidate in filters:
        if candidate.id == wanted:
            return candidate
    for candidate in filters:
        if candidate.label.casefold() == wanted.casefold():
            return candidate
    labels = ", ".join(sorted(f.label for f in filters)) or "none"
    raise BadInputError(f"Unknown metadata filter {wanted!r}. This dataset's filters are: {labels}.")


def _select_value(select: SelectFilter, value: Any) -> str:
    text = str(value).strip()
    if text in select.values:
        return text
    for key, label in select.values.items():
        if label.casefold() == text.casefold() or key.casefold() == text.casefold():
            return key
    choices = ", ".join(f"{k} ({v})" if k != v else k for k, v in select.values.items())
    raise BadInputError(f"{text!r} is not a valid value for {select.label!r}. Valid values: {choices}.")


def _range_bound(flt: RangeFilter, value: Any) -> Any:
    if value is None or value == "":
        raise BadInputError(f"{flt.label!r} needs both a minimum and a maximum.")
    if flt.is_date:
        return str(getattr(value, "isoformat", lambda: value)()).replace("-", "/")[:10]
    if isinstance(value, (int, float)):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        raise BadInputError(f"{value!r} is not a number, as {flt.label!r} needs.") from None
    return int(number) if number.is_integer() else number


def _one_filter(flt: MetadataField, value: Any) -> dict | None:
    if isinstance(flt, RangeFilter):
        low, high = value if isinstance(value, (list, tuple)) and len(value) == 2 else (value, value)
        low, high = _range_bound(flt, low), _range_bound(flt, high)
        if not flt.is_date and low > high:
            raise BadInputError(f"The range for {flt.label!r} is reversed: {low} > {high}.")
        return {"filterType": "between", "filterId": flt.id, "firstValue": low, "secondValue": high}
    if isinstance(flt, SelectFilter):
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        keys = list(dict.fromkeys(_select_value(flt, v) for v in values))
        children = [{"filterType": "value", "filterId": flt.id, "value": k, "operand": "="} for k in keys]
        if not children:
            return None
        return children[0] if len(children) == 1 else {"filterType": "or", "childFilters": children}
    text = str(value).strip()
    if not text:
        return None
    operand = "like" if "%" in text else "="
    return {"filterType": "value", "filterId": flt.id, "value": text, "operand": operand}


def build_metadata_filter(filters: list[MetadataField], mapping: dict[str, Any] | None) -> dict | None:
    """The ``metadataFilter`` for ``mapping`` (filter label or id -> value, (min, max) or list).

    Labels match case-insensitively; Select values are accepted by key ("9") or label
    ("Tier 1"), a list of them means any of them; a Range takes a (min, max) pair; Text takes a
    value, with ``%`` wildcards for a "like" match. Several entries are combined with "and".
    Raises :class:`BadInputError` naming the valid labels or values.
    """
    if not mapping:
        return None
    children = []
    for key, value in mapping.items():
        if value is None:
            continue
        built = _one_filter(_find_filter(filters, key), value)
        if built is not None:
            children.append(built)
    if not children:
        return None
    return children[0] if len(children) == 1 else {"filterType": "and", "childFilters": children}
