"""Official figures per profession, imported for the territories the portal has: all or nothing."""

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from config.imports import ImportProblem, Progress, open_csv, quiet, require_columns
from districts.models import DensityFigure, Territory
from professionals.models import Profession

AMELI_SOURCE = "Assurance Maladie, effectifs et densités de professionnels de santé"
AMELI_URL = "https://data.ameli.fr/pages/data-professionnels-sante-liberaux/"
# Assurance Maladie labels -> our profession codes; other professions are not in the directory.
AMELI_PROFESSIONS = {
    "Ensemble des médecins généralistes": "general-practitioner",
    "Infirmiers": "nurse",
    "Masseurs-kinésithérapeutes": "physiotherapist",
    "Sages-femmes": "midwife",
    "Orthophonistes": "speech-therapist",
    "Orthoptistes": "orthoptist",
    "Ensemble des chirurgiens-dentistes": "dentist",
    "Pédiatres": "paediatrician",
    "Psychiatres": "psychiatrist",
    "Pédicures-podologues": "podiatrist",
}


@transaction.atomic
def import_ameli_densities(*, path: Path, progress: Progress = quiet) -> tuple[int, int]:
    """Store Assurance Maladie densities (per 100,000) per 10,000 for the territories we have.

    Rows: a department (code), a whole region (departement 999) or France (region 99).
    """
    territories = {(t.level, t.code): t for t in Territory.objects.exclude(code="")}
    professions = {p.code: p for p in Profession.objects.filter(code__in=AMELI_PROFESSIONS.values())}
    created = updated = 0
    with open_csv(path) as handle:
        reader = csv.DictReader(handle)
        require_columns(
            path,
            reader.fieldnames,
            ["annee", "profession_sante", "region", "departement", "classe_age", "libelle_sexe", "densite"],
        )
        for line, row in enumerate(reader, start=2):
            profession = professions.get(AMELI_PROFESSIONS.get(row["profession_sante"], ""))
            if profession is None or row["classe_age"] != "tout_age" or row["libelle_sexe"] != "tout sexe":
                continue
            if row["region"] == "99":
                key = (Territory.Level.COUNTRY, "FR")
            elif row["departement"] == "999":
                key = (Territory.Level.REGION, row["region"])
            else:
                key = (Territory.Level.DEPARTMENT, row["departement"])
            territory = territories.get(key)
            if territory is None:
                continue
            try:
                per_100k = Decimal(row["densite"])
                year = int(row["annee"])
                if per_100k < 0:
                    raise InvalidOperation
            except (InvalidOperation, ValueError) as exc:
                raise ImportProblem(
                    f"line {line}: densite {row['densite']!r} / annee {row['annee']!r} is not a valid figure"
                ) from exc
            _, was_created = DensityFigure.objects.update_or_create(
                territory=territory,
                profession=profession,
                year=year,
                source=AMELI_SOURCE,
                defaults={"per_10k": per_100k / 10, "source_url": AMELI_URL},
            )
            created += was_created
            updated += not was_created
            progress(f"line {line}: {created} figures created, {updated} updated")
    progress("\n")
    return created, updated
