"""Text normalisation shared by every accent- and case-insensitive search."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """'Sage-femme à Le Blosne' -> 'sage femme a le blosne' (same result on every database)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def unique_slug(queryset, text: str, *, fallback: str) -> str:
    """slugify(text), with -2, -3… when another row of the queryset has it already."""
    from django.utils.text import slugify

    base = slugify(text)[:180] or fallback
    candidate, suffix = base, 2
    while queryset.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate
