"""Text normalisation and the word search every list shares (hubs, professionals, programmes)."""

import difflib
import re
import unicodedata

import django_filters
from django import forms
from django.core.cache import caches
from django.db import connections, models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """'Sage-femme à Le Blosne' -> 'sage femme a le blosne' (same result on every database)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def unique_slug(queryset, text: str, *, fallback: str, qualifiers: tuple[str, ...] = ()) -> str:
    """slugify(text) unless another row of the queryset has it; then qualified ("saint-martin-35"), then -2, -3…"""
    from django.utils.text import slugify

    base = slugify(text)[:180] or fallback
    for qualifier in qualifiers:
        if not queryset.filter(slug=base).exists():
            return base
        base = slugify(f"{text} {qualifier}")[:180] or fallback
    candidate, suffix = base, 2
    while queryset.filter(slug=candidate).exists():
        candidate, suffix = f"{base}-{suffix}", suffix + 1
    return candidate


# Short forms residents type, expanded before matching the normalised search text.
SHORT_FORMS = {
    "kine": "kinesitherapeute",
    "kines": "kinesitherapeute",
    "generaliste": "generaliste",
    "medecin": "medecin",
    "orthophoniste": "orthophon",
    "psy": "psy",
    "dentiste": "dentiste",
    "infirmiere": "infirmier",
    "sf": "sage femme",
    "msp": "maison de sante",
    "cds": "centre de sante",
}


def search_words(text: str) -> list[str]:
    words = []
    for word in normalise(text).split():
        words.extend(SHORT_FORMS.get(word, word).split())
    return words


MAX_WORDS = 12


# Typo tolerance starts at this length: shorter words have too few letters to guess from.
FUZZY_FROM = 6
VOCABULARY_SECONDS = 300


class SearchableQuerySet(models.QuerySet):
    """For models with a normalised `search_text`: every word typed must appear in it, give or take a slip.

    A slip is mended against the domain's vocabulary (`vocabulary_texts`: profession and service names), the
    way pg_trgm's documentation suggests spelling corrections from a word list: `kinesiterapeute` searches for
    itself or `kinesitherapeute`. Both stay `LIKE '%word%'`, which PostgreSQL answers from a trigram index;
    matching every row's text by similarity instead would score all of them (0.8 s at 500,000 professionals).
    """

    name_field = "name"

    def vocabulary_texts(self) -> list[str]:
        return []

    def vocabulary(self) -> list[str]:
        key = f"search-vocabulary:{self.model._meta.label}"
        words = caches["local"].get(key)
        if words is None:
            texts = " ".join(self.vocabulary_texts())
            words = sorted({word for word in normalise(texts).split() if len(word) >= FUZZY_FROM})
            caches["local"].set(key, words, VOCABULARY_SECONDS)
        return words

    def meant(self, word: str) -> str | None:
        """The vocabulary word a long word not found in it was probably meant to be."""
        vocabulary = self.vocabulary()
        if len(word) < FUZZY_FROM or any(word in known for known in vocabulary):
            return None
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.8)
        return close[0] if close else None

    def matching(self, text: str):
        queryset = self
        for word in search_words(text)[:MAX_WORDS]:
            condition = Q(search_text__contains=word)
            if meant := self.meant(word):
                condition |= Q(search_text__contains=meant)
            queryset = queryset.filter(condition)
        return queryset

    def by_relevance(self, text: str, *then: str):
        """Best matches first on PostgreSQL: each word scores its trigram similarity to the text, and again to
        the name (a word in the name weighs more than one in the services or the address). Ties and
        SpatiaLite by `then`.
        """
        words = search_words(text)[:MAX_WORDS]
        if not words or connections[self.db].vendor != "postgresql":
            return self.order_by(*then)
        words += [meant for word in words if (meant := self.meant(word))]
        scores = [
            Func(Value(word), target, function="WORD_SIMILARITY", output_field=models.FloatField())
            for word in words
            for target in (F("search_text"), Lower(self.name_field))
        ]
        return self.alias(relevance=sum(scores[1:], scores[0])).order_by(F("relevance").desc(), *then)

    def without_ranking(self):
        """The order `by_relevance` falls back to: for more matches than the pages show (config/paging.py),
        where scoring every match would cost what counting only the first pages saves."""
        if "relevance" not in self.query.annotations:
            return self
        return self.order_by(*self.query.order_by[1:])


class TextSearchFilter(django_filters.CharFilter):
    """The search box of a list: `?q=` filtered by the queryset's `matching()`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "search"}))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        return qs.matching(value) if value else qs


SUGGESTIONS = 8


class SuggestInput(forms.TextInput):
    """A text box with suggestions as one types (static/js/suggest.js fills the datalist from `url`)."""

    def __init__(self, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def render(self, name, value, attrs=None, renderer=None):
        from django.urls import reverse
        from django.utils.html import format_html

        attrs = dict(attrs or {})
        suggestions = f"{attrs.get('id', name)}-suggestions"
        attrs.update({"list": suggestions, "data-suggest": reverse(self.url_name), "autocomplete": "off"})
        return format_html(
            '{}<datalist id="{}"></datalist>', super().render(name, value, attrs, renderer), suggestions
        )


class NamedRecordField(forms.CharField):
    """A record typed by its name (or given by its slug in a link), resolved on the server.

    Pickers stay a text box whatever the number of records: unknown or ambiguous text is refused with the
    closest names ("did you mean"), so the field works without JavaScript.
    """

    def __init__(self, *, queryset, suggest_url: str, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("widget", SuggestInput(suggest_url))
        super().__init__(**kwargs)
        self.queryset = queryset

    def label_of(self, record) -> str:
        return str(record)

    def named(self, text: str):
        return self.queryset.filter(name__iexact=text)

    def suggestions(self, text: str) -> list[str]:
        similar = self.queryset.filter(name__icontains=text[:60]).order_by("name", "pk")[:SUGGESTIONS]
        return [self.label_of(record) for record in similar]

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        found = list(self.queryset.filter(slug=text)[:1]) or list(self.named(text)[: SUGGESTIONS + 1])
        if len(found) == 1:
            return found[0]
        if found:
            names = ", ".join(self.label_of(record) for record in found[:SUGGESTIONS])
            raise forms.ValidationError(
                _("Plusieurs réponses pour « %(text)s » : précisez, par exemple %(names)s."),
                params={"text": text, "names": names},
                code="ambiguous",
            )
        close = self.suggestions(text)
        if close:
            raise forms.ValidationError(
                _("Rien ne s'appelle « %(text)s ». Vouliez-vous dire : %(names)s ?"),
                params={"text": text, "names": ", ".join(close)},
                code="unknown",
            )
        raise forms.ValidationError(
            _("Rien ne s'appelle « %(text)s »."), params={"text": text}, code="unknown"
        )


def trigram_index(table: str):
    """A migration operation: on PostgreSQL, a pg_trgm GIN index that serves `search_text LIKE '%word%'`.

    Word search stays the same query on both databases; PostgreSQL answers it from the index instead of
    reading every row. SpatiaLite has no such index and keeps scanning (fine at a city's scale).
    """
    from django.db import migrations

    index = f"{table}_search_trgm"

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_text gin_trgm_ops)"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    return migrations.RunPython(create, drop, elidable=False)


# Registry names come in capitals ("CENTRE HOSPITALIER  DE CAYENNE"); people write them in sentence case with
# proper names capitalised ("Centre hospitalier de Cayenne"). Words of the trade are lower case (with their
# accents, which capitals often drop), small words too, acronyms stay in capitals, other words are names.
ACRONYMS = {
    "MSP", "CHU", "CHR", "CH", "SISA", "CMS", "CDS", "CPTS", "EHPAD", "SCM", "SCP", "SARL", "SELARL", "SAS", "SA",
    "PMI", "CMP", "CMPP", "CSAPA", "CAARUD", "SSR", "SMUR", "USLD", "HAD", "CLSC", "CCAS", "ADMR", "GCS", "PSLA",
    "ESPIC", "IME", "ESAT", "SSIAD", "CAMSP", "SAMU", "CHS", "CHI", "EPSM", "MGEN", "UGECAM", "CPAM", "MSA",
}  # fmt: skip
COMMON_WORDS = {
    "centre": "centre", "hospitalier": "hospitalier", "hospitaliere": "hospitalière", "maison": "maison",
    "sante": "santé", "pluriprofessionnelle": "pluriprofessionnelle", "pluridisciplinaire": "pluridisciplinaire",
    "pole": "pôle", "medical": "médical", "medicale": "médicale", "medicaux": "médicaux", "clinique": "clinique",
    "cabinet": "cabinet", "pharmacie": "pharmacie", "dentaire": "dentaire", "infirmier": "infirmier",
    "infirmiers": "infirmiers", "soins": "soins", "hopital": "hôpital", "polyclinique": "polyclinique",
    "antenne": "antenne", "nord": "nord", "sud": "sud", "est": "est", "ouest": "ouest", "site": "site",
    "municipal": "municipal", "municipale": "municipale", "communautaire": "communautaire", "mutualiste": "mutualiste",
    "unite": "unité", "residence": "résidence", "specialise": "spécialisé", "specialisee": "spécialisée",
    "pneumologie": "pneumologie", "dialyse": "dialyse", "autodialyse": "autodialyse", "retraite": "retraite",
    "rue": "rue", "avenue": "avenue", "boulevard": "boulevard", "place": "place", "chemin": "chemin",
    "route": "route", "allee": "allée", "impasse": "impasse", "quai": "quai", "square": "square", "cours": "cours",
    "passage": "passage", "lotissement": "lotissement", "faubourg": "faubourg", "promenade": "promenade",
    "quartier": "quartier", "zone": "zone", "ecoles": "écoles", "ecole": "école", "eglise": "église", "docteur": "docteur",
}  # fmt: skip
SMALL_WORDS = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "et",
    "en",
    "sur",
    "sous",
    "aux",
    "au",
    "a",
    "à",
}


def french_title(text: str, *, sentence: bool = True) -> str:
    """'CENTRE HOSPITALIER  DE CAYENNE' -> 'Centre hospitalier de Cayenne'; text already in mixed case is kept
    (a person wrote it so), with its spaces tidied. sentence=False for the middle of one ("du Triangle")."""
    text = " ".join((text or "").split())
    if not text or any(c.islower() for c in text):
        return text
    words = [_title_word(word, first=sentence and index == 0) for index, word in enumerate(text.split(" "))]
    return " ".join(words)


def _title_word(word: str, *, first: bool) -> str:
    apostrophe = next((mark for mark in "'’" if mark in word), None)
    if apostrophe:  # D'AMBERIEU -> d'Amberieu, L'HIPPODROME -> l'Hippodrome
        head, _, tail = word.partition(apostrophe)
        return (
            f"{_title_word(head, first=first)}{apostrophe}{_title_word(tail, first=False)}" if tail else word
        )
    if "-" in word:  # SAINT-DENIS -> Saint-Denis
        return "-".join(_title_word(part, first=first or i > 0) for i, part in enumerate(word.split("-")))
    bare = word.strip("().,;:")
    if bare in ACRONYMS or (bare.isupper() and len(bare) > 1 and not any(c in "AEIOUYÉÈ" for c in bare)):
        return word  # MSP, CHU; "SCM" and other consonant clusters are acronyms too
    lower = word.lower()
    key = normalise(lower)
    if key in COMMON_WORDS and not first:
        return word.lower().replace(bare.lower(), COMMON_WORDS[key])
    if key in COMMON_WORDS:
        return COMMON_WORDS[key].capitalize()
    if lower in SMALL_WORDS and not first:
        return lower
    return lower[:1].upper() + lower[1:]


def person_name(text: str) -> str:
    """'JEAN-PIERRE' -> 'Jean-Pierre', 'LE GOFF' -> 'Le Goff', 'JEAN DE LA FONTAINE' -> 'Jean de La Fontaine'."""
    text = " ".join((text or "").split())
    if not text or any(c.islower() for c in text):
        return text
    words = []
    for index, word in enumerate(text.split(" ")):
        lower = word.lower()
        if index and lower in {"de", "du", "des", "d'"}:
            words.append(lower)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(words)


# Départements said "dans le …" or "dans les …" rather than "en …" (usage, not a rule of grammar).
MASCULINE_AREAS = {
    "Nord", "Finistère", "Morbihan", "Calvados", "Cher", "Doubs", "Gard", "Gers", "Jura", "Loiret", "Lot",
    "Lot-et-Garonne", "Var", "Tarn", "Tarn-et-Garonne", "Rhône", "Pas-de-Calais", "Puy-de-Dôme", "Val-de-Marne",
    "Val-d'Oise", "Cantal", "Loir-et-Cher", "Haut-Rhin", "Bas-Rhin", "Vaucluse", "Territoire de Belfort",
    "Haute-Vienne", "Nord-Pas-de-Calais",
}  # fmt: skip
PLURAL_AREAS = ("Côtes-d", "Yvelines", "Hauts-", "Hautes-", "Alpes-", "Ardennes", "Bouches-", "Landes", "Pyrénées",
                "Deux-Sèvres", "Vosges", "Pays de la Loire")  # fmt: skip


def french_in(name: str, *, area: bool) -> str:
    """Where, in French: « au Blosne », « aux Longs-Champs », « à la Courrouze », « à Rennes »; for a département,
    region or country (`area`): « en Ille-et-Vilaine », « en France », « dans le Nord », « dans les Vosges »."""
    if area:
        if name in MASCULINE_AREAS:
            return f"dans le {name}"
        return f"dans les {name}" if name.startswith(PLURAL_AREAS) else f"en {name}"
    for article, contracted in (
        ("Le ", "au "),
        ("Les ", "aux "),
        ("La ", "à la "),
        ("L'", "à l'"),
        ("L’", "à l’"),
    ):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return f"à {name}"


VOWELS = tuple("AEIOUYÉÈÊÂÎÔaeiouyéèêâîô") + ("H",)


def french_of(name: str, *, area: bool) -> str:
    """Of where, in French: « du Blosne », « des Longs-Champs », « de la Courrouze », « de Rennes »,
    « d'Orléans »; for an `area`: « de l'Ille-et-Vilaine », « du Nord », « des Vosges », « de la France »."""
    if area:
        if name in MASCULINE_AREAS:
            return f"du {name}"
        if name.startswith(PLURAL_AREAS):
            return f"des {name}"
        return f"de l'{name}" if name.startswith(VOWELS) else f"de la {name}"
    for article, contracted in (
        ("Le ", "du "),
        ("Les ", "des "),
        ("La ", "de la "),
        ("L'", "de l'"),
        ("L’", "de l’"),
    ):
        if name.startswith(article):
            return contracted + name[len(article) :]
    return f"d'{name}" if name.startswith(VOWELS) else f"de {name}"
