import pytest

from concord.web.templatetags.concord_tags import metric_value


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (70.0211, "percent", "70.0%"),
        (42.4, "seconds", "42 s"),
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
