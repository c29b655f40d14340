"""Reading FINESS extractions into plain establishment records, whatever the format.

- **JSON, data.gouv.fr "finess-structures"** (from 2026; ansforge/finess, `flux/out/data.gouv/structure/`): legal
  entities (`pmej`) holding their establishments (`ege`), read one entity at a time with ijson. A daily file
  ("journalier") holds changes only: what it does not mention is left alone, and closures come from `etatObjet`
  (I) and `dateFermeture`. A stock lists every establishment.
- **CSV, the etalab extraction** (refreshed until May 2026): a first line `finess;etalab;<n>;<date>`, then
  `structureet;` lines and `geolocalisation;` lines, read in two passes to keep memory flat.

The format is told by the content (a JSON file starts with `{`). Every record comes out with the same keys:
finess, category, departement and commune (INSEE codes), name, street, postcode, city, phone, siret, opened_on,
closed, and `position` (WGS84 latitude and longitude, or projected coordinates to convert).
"""

import csv
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson

from config.imports import ImportProblem
from config.text import french_title, normalise
from hubs import registry

# FINESS writes overseas departments as letters: 9A is Guadeloupe (INSEE 971), and their communes on 3 digits.
OVERSEAS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}
STREET_TYPES = {
    "R": "rue", "AV": "avenue", "BD": "boulevard", "PL": "place", "CHE": "chemin", "RTE": "route", "ALL": "allée",
    "IMP": "impasse", "QUA": "quai", "SQ": "square", "CRS": "cours", "PAS": "passage", "LOT": "lotissement",
    "RES": "résidence", "ZA": "zone d'activité", "ZI": "zone industrielle", "FG": "faubourg", "PROM": "promenade",
}  # fmt: skip
STRUCTURE_FIELDS = [
    "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib", "numvoie", "typvoie", "voie",
    "compvoie", "lieuditbp", "commune", "departement", "libdepartement", "ligneacheminement", "telephone",
    "telecopie", "categetab", "libcategetab", "categagretab", "libcategagretab", "siret", "codeape", "codemft",
    "libmft", "codesph", "libsph", "dateouv", "dateautor", "datemaj", "numuai",
]  # fmt: skip
GEO_FIELDS = ("nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj")


@dataclass
class Extraction:
    path: Path
    date: datetime.date
    complete: bool  # lists every open establishment: those it leaves out have closed
    format: str
    communes: dict = field(default_factory=dict)

    def establishments(self, *, progress: bool, wanted=None) -> Iterator[dict]:
        """Every establishment, as a full record, or a bare `{"finess": …, "wanted": False}` when
        `wanted(category, departement)` says no: names and addresses are worked on only for the ones kept."""
        reader = json_establishments if self.format == "json" else csv_establishments
        return reader(self, progress=progress, wanted=wanted or (lambda _category, _departement: True))

    def positions(self, wanted: set, *, progress: bool) -> Iterator[tuple[int, dict]]:
        """The CSV's positions, in their own lines after the establishments (the JSON has them inline)."""
        return csv_positions(self, wanted, progress=progress) if self.format == "csv" else iter(())


def open_extraction(path: Path, *, stock: bool | None) -> Extraction:
    try:
        with open(path, "rb") as handle:
            start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise ImportProblem(f"{path}: cannot be read ({exc})") from exc
    communes = registry.commune_table()
    if not start:
        raise ImportProblem(f"{path}: the file is empty")
    if start.startswith(b"{"):
        with open(path, "rb") as handle:
            generated = next(ijson.items(handle, "generatedAt"), None)  # the top of the file: read at once
        try:
            date = datetime.date.fromisoformat(str(generated)[:10])
        except ValueError:
            raise ImportProblem(f"{path}: no « generatedAt » date: not a FINESS structures file") from None
        complete = stock if stock is not None else "stock" in path.name.lower()
        return Extraction(path, date, complete, "json", communes)
    return Extraction(path, csv_header(path), True if stock is None else stock, "csv", communes)


# JSON


def json_establishments(extraction: Extraction, *, progress: bool, wanted) -> Iterator[dict]:
    with open(extraction.path, "rb") as handle:
        try:
            for entity in ijson.items(handle, "pmej.item"):
                for ege in entity.get("ege") or []:
                    category = str(ege.get("categorieentiteGeographiqueExercice") or "").strip()
                    commune = next(iter(ege.get("adresse") or []), {}).get("cogCommune") or ""
                    if wanted(category, departement_of(commune.strip())):
                        yield json_record(ege, extraction)
                    else:
                        yield {"wanted": False}
        except ijson.JSONError as exc:
            raise ImportProblem(f"{extraction.path}: not valid JSON ({exc})") from exc


def json_record(ege: dict, extraction: Extraction) -> dict:
    general = ege.get("informationsGeneralesEGE") or {}
    number = (general.get("numFinessEge") or "").strip()
    if not number:
        raise ImportProblem(
            f"{extraction.path}: an establishment (egeId {general.get('egeId')}) has no FINESS number"
        )
    place = next((a for a in ege.get("adresse") or [] if a.get("usageAdresse") == "03"), None) or next(
        iter(ege.get("adresse") or []), {}
    )
    commune = (place.get("cogCommune") or "").strip()
    closing = (general.get("dateFermeture") or "")[:10]
    coordinates = place.get("coordonneesGeographique") or {}
    phones = [((c.get("telecom") or {}).get("telephone") or "") for c in ege.get("contact") or []]
    street, postcode, city = address(
        number=place.get("numeroVoie", ""),
        kind=place.get("typeVoie", ""),
        name=place.get("libelleVoie", ""),
        complement=place.get("complementVoie", ""),
        commune=commune,
        postcode=place.get("codePostal", ""),
        routing=place.get("ligneAcheminement", ""),
        communes=extraction.communes,
    )
    return {
        "finess": number,
        "category": str(ege.get("categorieentiteGeographiqueExercice") or "").strip(),
        "commune": commune,
        "departement": departement_of(commune),
        "name": french_title(general.get("nomEgeLong") or general.get("nomEgeCourt") or "")[:200],
        "street": street,
        "postcode": postcode,
        "city": city,
        "phone": phone(next((p for p in phones if p), "")),
        "siret": (general.get("siret") or "").strip()[:14],
        "opened_on": parse_date(general.get("dateOuverture")),
        "closed": ege.get("etatObjet") == "I" or bool(closing and closing <= extraction.date.isoformat()),
        "position": {
            "lat": coordinates.get("directionLatitude"),
            "lng": coordinates.get("directionLongitude"),
            "x": coordinates.get("coordonneeX"),
            "y": coordinates.get("coordonneeY"),
            "system": None,  # named nowhere in this format: Lambert-93, or the department's UTM zone
        },
    }


# CSV


def csv_header(path: Path) -> datetime.date:
    """The extraction date from the first line, or a clear refusal of a file that is not an extraction."""
    for _number, text in registry.lines(path, progress=False):
        parts = text.split(";")
        if len(parts) < 4 or parts[:2] != ["finess", "etalab"]:
            raise ImportProblem(f"{path}: line 1 is not « finess;etalab;<n>;<date> » (got {text[:60]!r})")
        try:
            return datetime.date.fromisoformat(parts[3][:10])
        except ValueError as exc:
            raise ImportProblem(f"{path}: line 1, {parts[3]!r} is not a date") from exc
    raise ImportProblem(f"{path}: the file is empty")


def csv_lines(path: Path, kind: str, fields, *, progress: bool):
    """(line number, fields) of the lines of one kind. Every line is one of: the first line, structureet,
    geolocalisation, or blank: anything else (a damaged or cut line) stops the import, naming its number."""
    for number, text in registry.lines(path, progress=progress):
        if number == 1 or not text.strip():
            continue
        record_kind = text.split(";", 1)[0]
        if record_kind not in ("structureet", "geolocalisation"):
            raise ImportProblem(
                f"{path}: line {number} is neither a structureet nor a geolocalisation line ({text[:60]!r})"
            )
        if record_kind != kind:
            continue
        # Most lines have no quotes: a split. A quoted field may hold a ";": the csv module.
        values = (next(csv.reader([text], delimiter=";")) if '"' in text else text.split(";"))[1:]
        if len(values) == len(fields) + 1 and values[-1] == "":
            values.pop()  # a line ending with ";"
        if len(values) != len(fields):
            raise ImportProblem(
                f"{path}: line {number}, {kind} has {len(values) + 1} fields, not {len(fields) + 1}"
            )
        yield number, dict(zip(fields, values, strict=True))


def csv_establishments(extraction: Extraction, *, progress: bool, wanted) -> Iterator[dict]:
    for number, row in csv_lines(extraction.path, "structureet", STRUCTURE_FIELDS, progress=progress):
        departement = OVERSEAS.get(row["departement"], row["departement"])
        if not wanted(row["categetab"], departement):
            yield {"wanted": False}
            continue
        commune = departement[:2] + row["commune"] if row["commune"] else ""
        postcode, _, routing = row["ligneacheminement"].partition(" ")
        street, postcode, city = address(
            number=row["numvoie"],
            kind=row["typvoie"],
            name=row["voie"],
            complement=row["compvoie"],
            commune=commune,
            postcode=postcode,
            routing=routing,
            communes=extraction.communes,
        )
        yield {
            "line": number,
            "finess": row["nofinesset"],
            "category": row["categetab"],
            "departement": departement,
            "commune": commune,
            "name": french_title(row["rslongue"] or row["rs"])[:200],
            "street": street,
            "postcode": postcode,
            "city": city,
            "phone": phone(row["telephone"]),
            "siret": row["siret"][:14],
            "opened_on": parse_date(row["dateouv"], line=number),
            "closed": False,  # the etalab extraction lists open establishments only
        }


def csv_positions(extraction: Extraction, wanted: set, *, progress: bool) -> Iterator[tuple[int, dict]]:
    for number, row in csv_lines(extraction.path, "geolocalisation", GEO_FIELDS, progress=progress):
        if row["nofinesset"] in wanted:
            system = row["sourcecoordet"].rsplit(",", 1)[-1].strip().upper()
            yield (
                number,
                {"finess": row["nofinesset"], "x": row["coordxet"], "y": row["coordyet"], "system": system},
            )


# Both


def departement_of(commune: str) -> str:
    return commune[:3] if commune.startswith("97") else commune[:2]


def address(*, number, kind, name, complement, commune, postcode, routing, communes) -> tuple[str, str, str]:
    """Street, postcode and city as people write them. The city is the delivery locality without "CEDEX", spelt
    as the commune is where they are the same place; a CEDEX line gives a sorting code, not a postcode, so the
    postcode then comes from the commune."""
    kind, name = (kind or "").strip(), french_title(name or "", sentence=False)
    street_type = STREET_TYPES.get(kind.upper(), kind.lower())
    if street_type and normalise(name).split(" ")[:1] in ([normalise(street_type)], [normalise(kind)]):
        street_type = ""  # "CHE" + "CHEMIN SAFER MORANGE": the type is already in the name
    street = " ".join(p for p in [f"{number}{complement}".strip(), street_type, name] if p)
    known = communes.get(commune)
    cedex = "CEDEX" in (routing or "").upper()
    locality = re.sub(r"\s*\bCEDEX\b.*$", "", routing or "", flags=re.I)
    same_place = known and normalise(locality) in ("", normalise(known[0]))
    city = known[0] if same_place else french_title(locality)
    if cedex:
        postcode = known[1] if known else ""
    return street[:200], (postcode or "").strip()[:10], city[:120]


def phone(digits: str) -> str:
    digits = re.sub(r"\D", "", digits or "")
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2)) if len(digits) == 10 else digits


def parse_date(text, *, line: int | None = None) -> datetime.date | None:
    text = (text or "")[:10]
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        where = f"line {line}: " if line else ""
        raise ImportProblem(f"{where}{text!r} is not a date (YYYY-MM-DD)") from None
