"""Numbers as a reader sees them: negative ones with a true minus sign (−), not a hyphen."""

from django import template

register = template.Library()


@register.filter("minus")
def with_minus(value) -> str:
    """``value`` as text, a leading hyphen-minus made a minus sign (U+2212): ``-12`` → ``−12``.
    Anything else (a positive number, a dash for "none") is left as it is."""
    text = str(value)
    return "\u2212" + text[1:] if text.startswith("-") else text
