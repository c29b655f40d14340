"""Import of aides-territoires exports: one transaction, all or nothing, updates by link."""

import csv
import datetime
import re
from pathlib import Path

from django.db import transaction

from config.imports import ImportProblem, Progress, open_csv, quiet, require_columns
from config.text import normalise, unique_slug
from programmes.models import Beneficiary, Funder, SupportProgramme, SupportType

COLUMNS = [
    "Nom",
    "Lien",
    "Financeurs",
    "Bénéficiaire",
    "Types d'aides",
    "AAP/AMI",
    "Récurrence",
    "Descriptif",
    "Date Clôture",
]
SOURCE = "aides-territoires"

SUPPORT_TYPES = {
    "subvention": SupportType.Code.FINANCIAL,
    "pret": SupportType.Code.FINANCIAL,
    "avance recuperable": SupportType.Code.FINANCIAL,
    "autre aide financiere": SupportType.Code.FINANCIAL,
    "certificat d economie d energie cee": SupportType.Code.FINANCIAL,
    "ingenierie technique": SupportType.Code.ENGINEERING,
    "ingenierie financiere": SupportType.Code.ENGINEERING,
    "ingenierie juridique administrative": SupportType.Code.ENGINEERING,
}
BENEFICIARIES = {
    "communes": Beneficiary.Code.MUNICIPALITIES,
    "intercommunalites pays": Beneficiary.Code.INTERMUNICIPALITIES,
    "associations": Beneficiary.Code.ASSOCIATIONS,
    "entreprises privees": Beneficiary.Code.COMPANIES,
    "entreprises publiques locales sem spl semop": Beneficiary.Code.PUBLIC_BODIES,
    "etablissements publics ecoles bibliotheques services de l etat": Beneficiary.Code.PUBLIC_BODIES,
    "particuliers": Beneficiary.Code.RESIDENTS,
}
# Funders created by the import get a kind from their name; existing ones keep theirs.
FUNDER_KINDS = [
    (r"\b(agence regionale de sante|ars)\b", Funder.Kind.ARS),
    (r"\b(assurance maladie|cpam)\b", Funder.Kind.ASSURANCE_MALADIE),
    (r"\b(union europeenne|feder|feader|fse)\b", Funder.Kind.EU),
    (r"\b(region|conseil regional)\b", Funder.Kind.REGION),
    (r"\b(departement|conseil departemental)\b", Funder.Kind.DEPARTMENT),
    (r"\b(metropole|communaute|agglomeration|intercommunal)", Funder.Kind.METROPOLE),
    (r"\b(ministere|prefecture|etat|dreal|ddt|banque des territoires|ademe|anct)\b", Funder.Kind.STATE),
    (r"^(ville|commune) de\b", Funder.Kind.CITY),
]
# Which aids are about health, read from what the aid says of itself, never from any word in its text (a
# description that mentions "santé" may be about plant health, drinking water or energy renovation):
# - its categories, when the export has them (Aides-territoires' "Thématiques": "Santé / …");
# - else its own title in health words ("offre de soins", "projet santé ou médico-social");
# - else a description naming the places and people this portal is about as eligible (maisons de santé…).
CATEGORY_COLUMNS = ("Thématiques", "Catégories", "Categories")
HEALTH_CATEGORY = re.compile(r"\bsante\b")
HEALTH_TITLE = re.compile(
    r"\b(sante(?! (du|des) (vegetal|vegetaux|plantes|forets|sols|animaux|cultures))|soins|medical|medicale|"
    r"medicaux|medico social|medecins?|telesante|telemedecine|pharmacies?)\b"
)
HEALTH_PLACES = re.compile(
    r"\b(offre de soins|acces aux soins|(maisons?|centres?|poles?) de sante|professionnels? de sante|"
    r"deserts? medica(l|ux)|medecins? generalistes?|exercice coordonne)\b"
)


def is_about_health(row: dict) -> bool:
    categories = next((row[c] for c in CATEGORY_COLUMNS if row.get(c)), None)
    if categories is not None:
        return bool(HEALTH_CATEGORY.search(normalise(categories)))
    return bool(
        HEALTH_TITLE.search(normalise(row.get("Nom", "")))
        or HEALTH_PLACES.search(normalise(row.get("Descriptif", "")))
    )


def funder_kind(name: str) -> str:
    plain = normalise(name)
    return next((kind for pattern, kind in FUNDER_KINDS if re.search(pattern, plain)), Funder.Kind.OTHER)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _deadline(cell: str, line: int):
    cell = (cell or "").strip()
    if not cell:
        return None
    try:
        return datetime.datetime.strptime(cell, "%d/%m/%Y").date()
    except ValueError:
        raise ImportProblem(
            f"line {line}, column 'Date Clôture': {cell!r} is not a date (DD/MM/YYYY)"
        ) from None


@transaction.atomic
def import_aides(*, path: Path, only_health: bool = False, progress: Progress = quiet) -> dict:
    """Create or update one programme per row, keyed by its link. Returns counts."""
    support_types = {
        code: SupportType.objects.get_or_create(code=code)[0] for code in SupportType.Code.values
    }
    beneficiaries = {
        code: Beneficiary.objects.get_or_create(code=code)[0] for code in Beneficiary.Code.values
    }
    funders = {normalise(f.name): f for f in Funder.objects.all()}
    counts = {"created": 0, "updated": 0, "skipped": 0}
    with open_csv(path) as handle:
        reader = csv.DictReader(handle)
        require_columns(path, reader.fieldnames, COLUMNS)
        try:
            rows = list(enumerate(reader, start=2))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportProblem(f"{path}: not a readable UTF-8 CSV ({exc})") from exc
    for line, row in rows:
        if only_health and not is_about_health(row):
            counts["skipped"] += 1
            continue
        name, link = (row["Nom"] or "").strip(), (row["Lien"] or "").strip()
        if not name:
            raise ImportProblem(f"line {line}, column 'Nom': empty")
        if not link.startswith(("http://", "https://")):
            raise ImportProblem(f"line {line}, column 'Lien': {link!r} is not a web address")
        if len(name) > 300 or len(link) > 500:
            raise ImportProblem(f"line {line}: 'Nom' or 'Lien' is too long")
        deadline = _deadline(row["Date Clôture"], line)
        programme = SupportProgramme.objects.filter(url=link).first() or SupportProgramme(url=link)
        counts["updated" if programme.pk else "created"] += 1
        programme.name = name
        programme.slug = programme.slug or unique_slug(
            SupportProgramme.objects.all(), name, fallback="programme"
        )
        programme.description = (row["Descriptif"] or "").strip()
        programme.application_deadline = deadline
        programme.call_for_projects = (row["AAP/AMI"] or "").strip().lower() == "oui"
        programme.recurrence = (row["Récurrence"] or "").strip()[:20]
        programme.source = SOURCE
        programme.save()

        row_funders = []
        for funder_name in _split(row["Financeurs"]):
            key = normalise(funder_name)
            if key not in funders:
                funders[key] = Funder.objects.create(
                    name=funder_name[:200],
                    slug=unique_slug(Funder.objects.all(), funder_name, fallback="financeur"),
                    kind=funder_kind(funder_name),
                )
            row_funders.append(funders[key])
        programme.funders.set(row_funders)
        programme.support_types.set(
            {
                support_types[SUPPORT_TYPES.get(normalise(t), SupportType.Code.OTHER)]
                for t in _split(row["Types d'aides"])
            }
        )
        programme.beneficiaries.set(
            {
                beneficiaries[BENEFICIARIES.get(normalise(b), Beneficiary.Code.OTHER)]
                for b in _split(row["Bénéficiaire"])
            }
        )
        progress(
            f"line {line}: {counts['created']} created, {counts['updated']} updated, {counts['skipped']} skipped"
        )
    progress("\n")
    return counts
