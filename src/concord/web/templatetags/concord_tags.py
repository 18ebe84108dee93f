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


@register.filter
def count(value):
    """A count as people read it: ``67,451``, never ``67451`` nor ``67451.0``; ``—`` when there is none.

    The shared filter for every page (``{% load concord_tags %}{{ n|count }}``)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):,.0f}"
    except (TypeError, ValueError):
        return value


@register.filter
def money(value, currency: str = ""):
    """An amount with thousands separators, two decimals and its currency: ``16,080.00 EUR``."""
    if value is None or value == "":
        return "—"
    try:
        text = f"{float(value):,.2f}"
    except (TypeError, ValueError):
        return value
    return f"{text} {currency}".strip()


@register.filter
def readable(value):
    """A stored value as a sentence, never a Python repr: ``{'threshold_seconds': 60}`` reads
    ``threshold seconds: 60``, a list ``voice, chat``, a flag ``yes``/``no``, nothing ``—``."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {readable(v)}" for k, v in value.items()) or "none"
    if isinstance(value, list | tuple):
        return ", ".join(readable(v) for v in value) or "none"
    return value if isinstance(value, str) else str(value)  # numbers inside lists must join as text


@register.filter
def readable_field(name: str) -> str:
    """A model field's name as a label: ``display_name`` -> ``Display name``."""
    return str(name).replace("_", " ").capitalize()


def _seconds(number: float) -> str:
    if abs(number) < 60:
        # 40.4 s stays 40.4 s: rounded to "40 s" it read as meeting an "at most 40 s" target it missed
        return f"{number:.0f} s" if abs(number - round(number)) < 0.05 else f"{number:.1f} s"
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
