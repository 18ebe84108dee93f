"""Lockout is per (user, address) pair (#9.7): one person's typos never lock the colleague at the next desk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

OFFICE = "203.0.113.7"  # one address: an office, or every user behind a proxy


@pytest.fixture
def attempt(client):
    def _attempt(username, password, ip=OFFICE):
        return client.post(
            reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
        )

    return _attempt


def test_five_wrong_passwords_lock_that_user_but_not_a_colleague_behind_the_same_address(world, attempt, client):
    for _ in range(5):
        attempt("partner_a_lead", "wrong password")
    locked = attempt("partner_a_lead", "a-long-test-password")
    assert locked.status_code == 429
    # the colleague on the same address logs in
    colleague = attempt("partner_b_lead", "a-long-test-password")
    assert colleague.status_code == 302 and colleague["Location"] == reverse("web:home")


def test_the_lockout_page_says_when_to_try_again(world, attempt):
    for _ in range(5):
        attempt("partner_a_lead", "wrong password")
    before = dt.datetime.now(dt.UTC)
    page = attempt("partner_a_lead", "wrong password")
    assert page.status_code == 429
    html = page.content.decode()
    retry = (before + dt.timedelta(minutes=15)).strftime("%H:%M")
    later = (before + dt.timedelta(minutes=16)).strftime("%H:%M")  # the clock may tick during the request
    assert "in 15 minutes" in html
    assert f"Try again after {retry} UTC" in html or f"Try again after {later} UTC" in html


def test_the_same_user_from_another_address_is_not_locked(world, attempt):
    for _ in range(5):
        attempt("partner_a_lead", "wrong password")
    assert attempt("partner_a_lead", "a-long-test-password", ip="198.51.100.9").status_code == 302
