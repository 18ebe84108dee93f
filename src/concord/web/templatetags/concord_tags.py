from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}``: templates cannot index by a variable otherwise."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def metric_value(value, unit: str = ""):
    """A metric's value the way people read it: ``70.0%``, ``8m 08s``, ``1,234``; ``—`` when there is none."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    formatter = _UNIT_FORMATS.get(unit)
    return formatter(number) if formatter else f"{number:,.2f}"


def _seconds(number: float) -> str:
    if abs(number) < 60:
        return f"{number:.0f} s"
    minutes, seconds = divmod(round(number), 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


_UNIT_FORMATS = {
    "percent": lambda n: f"{n:.1f}%",
    "seconds": _seconds,
    "count": lambda n: f"{n:,.0f}",
    "people": lambda n: f"{n:,.0f}",
    "score": lambda n: f"{n:.1f}",
    "per_hour": lambda n: f"{n:.1f}/h",
    "days": lambda n: f"{n:,.1f} d",
    "day": lambda n: f"{n:,.1f} d",
}
