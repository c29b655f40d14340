"""Official figures (densities per profession, the DREES's APL), imported for the territories the portal has: all
or nothing."""

import csv
import re
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
from django.db import transaction

from config.imports import ImportProblem, Progress, open_csv, quiet, require_columns
from districts.models import PLACES, AplFigure, DensityFigure, Territory
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


APL_SOURCE = "DREES, accessibilité potentielle localisée (APL) aux médecins généralistes"
APL_URL = "https://www.data.gouv.fr/fr/datasets/laccessibilite-potentielle-localisee-apl/"
APL_SHEET = re.compile(r"APL\s+(\d{4})")
COMMUNE_CODE = re.compile(r"\d{5}|2[AB]\d{3}|\d{2}[AB]\d{2}")  # 2A004 in Corsica, 75056 in Paris…


def apl_rows(path: Path, *, sheet: str | None):
    """(year or None, rows) of the DREES workbook's newest "APL <year>" sheet (or the one named), or of a CSV."""
    if path.suffix.lower() != ".xlsx":
        with open_csv(path) as handle:
            # Title lines may come first, and decimal commas after: the header says which delimiter it is.
            found = re.search(r"Code commune INSEE\s*([;,\t])", handle.read(16_384))
            handle.seek(0)
            delimiter = found.group(1) if found else ","
            yield from ((None, row) for row in csv.reader(handle, delimiter=delimiter))
        return
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportProblem(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    sheets = {int(m.group(1)): name for name in book.sheetnames if (m := APL_SHEET.fullmatch(name.strip()))}
    if sheet is None and not sheets:
        raise ImportProblem(f'{path}: no sheet named "APL <year>" (sheets: {", ".join(book.sheetnames)})')
    if sheet is not None and sheet not in book.sheetnames:
        raise ImportProblem(f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})")
    name = sheet or sheets[max(sheets)]
    year = next((y for y, n in sheets.items() if n == name), None)
    yield from (
        (year, ["" if v is None else str(v) for v in row]) for row in book[name].iter_rows(values_only=True)
    )


def apl_number(text: str, *, where: str, column_name: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None  # the DREES leaves a few small communes without a figure
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        raise ImportProblem(f"{where}: {column_name} {text!r} is not a number ≥ 0")
    return value


@transaction.atomic
def import_apl(
    *, path: Path, year: int | None = None, sheet: str | None = None, progress: Progress = quiet
) -> tuple[int, int]:
    """Store the APL of the communes the portal has, from the DREES workbook (8 lines of title and notes, the
    header, a line of units, a line per commune, notes) or a CSV with the same header. All or nothing."""
    # Codes only: at national scale, 35,000 communes whose boundaries are not needed here.
    territories = dict(Territory.objects.filter(level__in=PLACES).exclude(code="").values_list("code", "pk"))
    header, seen, created, updated = None, set(), 0, 0
    for line, (sheet_year, row) in enumerate(apl_rows(path, sheet=sheet), start=1):
        if header is None:
            if row and row[0].strip() == "Code commune INSEE":
                names = [name.strip().lower() for name in row]
                header = {
                    "apl": names.index("apl aux médecins généralistes") if "apl aux médecins généralistes" in names else None,
                    "apl_65": next((i for i, n in enumerate(names) if n.startswith("apl aux médecins généralistes de 65")), None),
                    "population": next((i for i, n in enumerate(names) if n.startswith("population totale")), None),
                }  # fmt: skip
                if header["apl"] is None:
                    raise ImportProblem(f'{path} line {line}: no "APL aux médecins généralistes" column')
                year = year or sheet_year
                if year is None:
                    raise ImportProblem(f"{path}: give the year (--year): a CSV does not say it")
            continue
        code = row[0].strip() if row else ""
        if not COMMUNE_CODE.fullmatch(code):
            continue  # the line of units under the header, the notes at the end
        if code in seen:
            raise ImportProblem(f"{path} line {line}: commune {code} appears twice")
        seen.add(code)
        territory_id = territories.get(code)
        where = f"{path} line {line}"
        values = {
            role: row[index] if index is not None and index < len(row) else ""
            for role, index in header.items()
        }
        apl = apl_number(values["apl"], where=where, column_name="APL")
        if territory_id is None or apl is None:
            continue
        population = apl_number(values["population"], where=where, column_name="population")
        _, was_created = AplFigure.objects.update_or_create(
            territory_id=territory_id, year=year, source=APL_SOURCE,
            defaults={
                "apl": apl,
                "apl_under_65": apl_number(values["apl_65"], where=where, column_name="APL (65 ans ou moins)"),
                "population": int(population) if population is not None else None,
                "source_url": APL_URL,
            },
        )  # fmt: skip
        created += was_created
        updated += not was_created
        progress(f"line {line}: {created} figures created, {updated} updated")
    if header is None:
        raise ImportProblem(
            f'{path}: no header line starting with "Code commune INSEE" (the DREES\'s APL file)'
        )
    progress("\n")
    return created, updated
