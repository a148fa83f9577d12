"""Package layout, version, timestamps, the calendar of a place, labels, samples, JSON pairs and
the typed error."""

import datetime as dt

import pytest

import beside
from beside import BesideError

UTC = dt.timezone.utc


def test_package_layout():
    # One generated module per crate in `beside.beside`, all imported by the package (and
    # importable as `beside.<module>`): engines in beside_ffi, the domain types where they are
    # defined; `beside.research` is the pure-Python layer beside them.
    import importlib
    for module in ("beside_ffi", "beside_core", "beside_needs", "beside_consent",
                   "beside_reintegration", "beside_referral"):
        assert getattr(beside, module).__name__ == f"beside.beside.{module}"
        assert importlib.import_module(f"beside.{module}") is getattr(beside, module)
    assert beside.CaseProfile is beside.beside_core.CaseProfile
    assert importlib.import_module("beside.research").Consent


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
    assert info.value.errors[0].reason.is_invalid()
    assert "yesterday" in info.value.detail


def test_calendar_of_a_place():
    at = dt.datetime(2026, 3, 14, 18, 30, tzinfo=UTC)
    assert beside.local_date(at, "Asia/Dhaka") == "2026-03-15"
    case = beside.sample_case("case-11")
    assert isinstance(case, beside.CaseProfile)
    assert beside.case_time_zone(case) == "Asia/Phnom_Penh"
    with pytest.raises(BesideError.Invalid) as info:
        beside.local_date(at, "Dhaka")
    assert info.value.path == "time_zone"


def test_case_profile_round_trips_through_json():
    case = beside.sample_case("case-01")
    text = beside.case_profile_to_json(case)
    assert beside.case_profile_from_json(text) == case
    assert case.home_area[0] == "BD"


def test_strict_json_names_the_unknown_key():
    text = beside.case_profile_to_json(beside.sample_case("case-01"))
    bad = text[:-1] + ', "vetos": []}'
    with pytest.raises(BesideError.Invalid) as info:
        beside.case_profile_from_json(bad)
    assert "unknown field `vetos`" in info.value.detail
    with pytest.raises(BesideError.Invalid):
        beside.case_profile_from_json(text + " garbage")


def test_a_bad_typed_id_is_refused_with_its_path():
    case = beside.sample_case("case-01")
    case.case_id = "   "
    with pytest.raises(BesideError.Invalid) as info:
        beside.case_time_zone(case)
    assert info.value.path == "case_id"


def test_english_labels():
    labels = beside.english_labels()
    assert any(k.startswith("consent.") for k in labels)
    assert any(k.startswith("needs.") for k in labels)


def test_samples():
    assert len(beside.sample_cases()) >= 14
    case01 = beside.sample_assessments_of("case-01")
    assert [a.case_id for a in case01] == ["case-01"] * len(case01)
    assert beside.sample_latest_assessment("case-01").assessed_at == max(a.assessed_at for a in case01)
    with pytest.raises(BesideError.NotFound) as info:
        beside.sample_case("case-404")
    assert info.value.id == "case-404"
