"""Template filters every template may use without {% load %} (settings.TEMPLATES builtins).

The Content-Security-Policy forbids inline style attributes, so a bar's width is a class of
whole percent (`.w0` … `.w100` in lindung.css) rather than `style="width: …"`."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def bar_class(value) -> str:
    """`45.2`, `"45.2%"` or `45` as the class `w45`; anything else, or out of range, clamps."""
    try:
        number = float(str(value).strip().rstrip("%").replace(",", "."))
    except (TypeError, ValueError):
        number = 0.0
    return f"w{max(0, min(100, round(number)))}"


# A phone number in free text: a leading 0 or +, then digits in groups (at least 6 more).
_PHONE_RE = re.compile(r"(?<![\w+])((?:\+|0)\d(?:[\s\-.]?\d){5,14})(?!\w)")


@register.filter(needs_autoescape=True)
def phone_links(value, autoescape=True) -> str:
    """Free text with each phone number as a tappable `tel:` link (the text escaped)."""
    text = conditional_escape(value) if autoescape else str(value)

    def link(match):
        number = match.group(1)
        digits = re.sub(r"[^\d+]", "", number)
        return f'<a href="tel:{digits}">{number}</a>'

    return mark_safe(_PHONE_RE.sub(link, str(text)))  # noqa: S308 (escaped above)
