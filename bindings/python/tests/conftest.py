"""Shared fixtures: the bundled (synthetic) sample data, typed."""

import datetime as dt

import pytest

import beside

UTC = dt.timezone.utc


@pytest.fixture(scope="session")
def assessments():
    return beside.sample_assessments()


@pytest.fixture(scope="session")
def engine():
    return beside.NeedsEngine()


@pytest.fixture()
def when():
    return dt.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
