"""Shared fixtures: the bundled (synthetic) sample data, as the JSON the bindings take."""

import datetime as dt
import json

import pytest

import beside

UTC = dt.timezone.utc


@pytest.fixture(scope="session")
def assessments():
    return json.loads(beside.sample_assessments_json())


@pytest.fixture(scope="session")
def engine():
    return beside.NeedsEngine()


@pytest.fixture()
def when():
    return dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
