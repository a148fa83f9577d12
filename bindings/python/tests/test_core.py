"""Package layout, version, timestamps, labels and the typed error."""

import datetime as dt
import json

import pytest

import beside
from beside import BesideError

UTC = dt.timezone.utc


def test_package_layout():
    assert beside.beside_ffi.__name__ == "beside.beside_ffi"


def test_version():
    assert beside.version() == "0.1.0"


def test_timestamps_cross_as_datetime():
    t = dt.datetime(2025, 3, 1, 9, 0, 0, 500000, tzinfo=UTC)
    assert beside.format_timestamp(t) == "2025-03-01T09:00:00.500Z"
    back = beside.parse_timestamp("2025-03-01T09:00:00.5Z")
    assert isinstance(back, dt.datetime) and back == t


def test_bad_timestamp_is_a_typed_error():
    with pytest.raises(BesideError.Invalid) as info:
        beside.parse_timestamp("yesterday")
    assert isinstance(info.value, BesideError)
    assert info.value.reason == "invalid"
    assert "yesterday" in info.value.detail


def test_english_labels():
    labels = json.loads(beside.english_labels_json())
    assert any(k.startswith("consent.") for k in labels)
    assert any(k.startswith("needs.") for k in labels)


def test_samples():
    assert len(json.loads(beside.sample_cases_json())) >= 14
    assert json.loads(beside.sample_consents_json())
    assert json.loads(beside.sample_journeys_json())
    assert "organizations" in json.loads(beside.sample_directory_json())
    case01 = json.loads(beside.sample_assessments_of_json("case-01"))
    assert [a["case_id"] for a in case01] == ["case-01"] * len(case01)
    ledger = json.loads(beside.sample_ledger_json("case-01"))
    assert ledger["subject"]["case_id"] == "case-01"
    with pytest.raises(BesideError.Invalid):
        beside.sample_ledger_json("case-404")
