"""Text normalisation shared by every accent- and case-insensitive search."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """'Sage-femme à Le Blosne' -> 'sage femme a le blosne' (same result on every database)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()
