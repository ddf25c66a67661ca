"""PHI prompts for reviewers, and the log filter that masks credentials."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from adapters.logging_setup import configure_logging, mask
from bot.screening import screen


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("Call Mrs. Jones at 555-123-4567 about her results", "a phone number"),
        ("Email jane.doe@example.com for records", "an email address"),
        ("MRN: 884421 was seen today", "a medical record number"),
        ("Happy birthday! DOB 04/05/1980", "a date of birth"),
        ("Congrats to patient Maria on her recovery", "a named patient"),
        ("Mr. Lee was diagnosed with diabetes last week", "a diagnosis tied to a person"),
    ],
)
def test_likely_phi_is_flagged(text, finding):
    assert any(finding in f for f in screen([text]))


def test_ordinary_clinic_news_raises_no_flag():
    assert screen(["Flu shots are in! Walk-ins welcome Mon-Fri 9-5 at our Main St clinic."]) == []


@pytest.mark.parametrize(
    "secret",
    [
        "xoxb-1234-5678-abcdefgh",
        "xapp-1-A111-222-abc",
        "Bearer abcdefghijklmnop",
        "access_token=EAAGm0PX4ZCpsBA",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc123",
    ],
)
def test_credentials_are_masked_in_log_lines(secret):
    assert secret not in mask(f"calling API with {secret} now")


def test_logging_follows_stderr_when_it_is_replaced_after_set_up(monkeypatch, capsys):
    configure_logging("INFO")
    first, later = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    configure_logging("INFO")
    first.close()  # as a test runner closes the stream it captured with
    monkeypatch.setattr(sys, "stderr", later)

    logging.getLogger("clearpost.test").warning("post %s: still heard", 7)

    assert "post 7: still heard" in later.getvalue()
