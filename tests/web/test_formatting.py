import pytest

from concord.web.templatetags.concord_tags import metric_value


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (70.0211, "percent", "70.0%"),
        (42.4, "seconds", "42.4 s"),  # 40.4 s rounded to "40 s" read as meeting "at most 40 s"
        (42.0, "seconds", "42 s"),
        (34.5, "seconds", "34.5 s"),
        (488.37, "seconds", "8m 08s"),
        (3725, "seconds", "1h 02m"),
        (1013112, "count", "1,013,112"),
        (12.345, "per_hour", "12.3/h"),
        (None, "percent", "—"),
        (0, "percent", "0.0%"),
        (3.14159, "unknown", "3.14"),
    ],
)
def test_metric_values_read_as_people_expect(value, unit, shown):
    assert metric_value(value, unit) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({"threshold_seconds": 60, "channels": ["voice", "chat"]}, "threshold seconds: 60; channels: voice, chat"),
        ({}, "none"),
        (True, "yes"),
        (None, "—"),
        ("Manila", "Manila"),
    ],
)
def test_stored_values_read_as_sentences_not_python(value, shown):
    from concord.web.templatetags.concord_tags import readable

    assert readable(value) == shown


def test_the_audit_log_shows_a_readable_diff(world, login):
    from concord.performance import services

    card = services.scorecard_create(
        actor=world.users["client_admin"],
        program=world.program_shared,
        name="Card",
        lines=[{"metric_key": "service_level", "params": {"threshold_seconds": 60}, "target": 80}],
    )
    services.scorecard_update(actor=world.users["client_admin"], scorecard=card, name="Renamed card")
    page = login(world.users["client_admin"]).get("/accounts/audit/").content.decode()
    assert "<del>Card</del> → <ins>Renamed card</ins>" in page
    assert "threshold seconds: 60" in page
    assert "{&#x27;threshold_seconds&#x27;" not in page and "{'threshold_seconds'" not in page


def test_every_page_has_a_favicon(world, login):
    page = login(world.users["client_admin"]).get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page


def test_readable_joins_numbers_inside_lists_and_dicts():
    # the demo's audit log holds lists of floats (an allocation's shares); the page answered 500
    from concord.web.templatetags.concord_tags import readable

    assert readable([0.25, 0.75]) == "0.25, 0.75"
    assert readable({"shares": [1, 2.5], "target": 80}) == "shares: 1, 2.5; target: 80"
