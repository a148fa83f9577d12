"""The person's language (Project Fluent): the consent read-back in Bengali with Bengali digits,
a locale added and overridden at run time from .ftl text, a malformed .ftl refused with its
line, and an app's locale file checked against English."""

import datetime as dt

import pytest

import beside
from beside import BesideError, Phrase

WHEN = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.timezone.utc)
BENGALI_DIGITS = set("০১২৩৪৫৬৭৮৯")


def test_the_read_back_in_bengali():
    summary = beside.ConsentEngine.sample("case-01").summary(WHEN)
    english = beside.render_consent_phrases(summary, "en")
    bengali = beside.render_consent_phrases(summary, "bn")
    assert len(bengali) == len(english)
    assert "until 2027-02-03" in english[0]
    assert "সম্মতি দিয়েছেন" in bengali[0]
    # The day of the first consent, in Bengali digits and month; the record id as it is.
    assert "৩ ফেব্রুয়ারি ২০২৭ পর্যন্ত" in bengali[0]
    assert bengali[0].endswith("[consent-01-referral]")
    assert not any(c.isascii() and c.isdigit() for c in bengali[0].replace("consent-01-referral", "").replace("org-bd-jsr-hlt-01", ""))
    khmer = beside.render_consent_phrases(summary, "km")
    assert "២០២៧" in khmer[0]


def test_a_locale_added_at_run_time():
    labels = beside.consent_labels()
    labels = beside.labels_with_locale(
        labels, "bn", "consent-summary-nothing = আপনি এখনো কিছু ভাগ করতে রাজি হননি।\n"
    )
    nothing = [Phrase(key="consent.summary.nothing", params=[])]
    assert beside.render_consent_phrases_with(nothing, labels, "bn") == [
        "আপনি এখনো কিছু ভাগ করতে রাজি হননি।"
    ]
    # What the app did not override stays the built-in Bengali.
    summary = beside.ConsentEngine.sample("case-01").summary(WHEN)
    lines = beside.render_consent_phrases_with(summary, labels, "bn")
    assert any(BENGALI_DIGITS & set(line) for line in lines)


def test_a_malformed_ftl_names_its_line():
    with pytest.raises(BesideError.Invalid) as info:
        beside.labels_with_locale(beside.consent_labels(), "bn", "a = ঠিক\nb = আশ্রয় }\n")
    assert info.value.path == "ftl"
    assert "line 2, column 12" in str(info.value), str(info.value)
    with pytest.raises(BesideError.Invalid) as info:
        beside.labels_with_locale(beside.consent_labels(), "xx", "a = b\n")
    assert info.value.path == "locale"


def test_an_app_locale_file_is_checked_against_english():
    report = beside.check_locale("consent-summary-nothing = { $who }\nno-such-key = x\n")
    assert report.extra == ["no.such.key"]
    assert report.unknown_placeables == ["consent.summary.nothing: $who"]
    assert "consent.summary.consent" in report.missing
    assert any(text.startswith("# ") or "$" in text for text in beside.english_ftl())
