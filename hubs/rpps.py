"""RPPS: the Annuaire Santé extraction "PS_LibreAcces_Personne_activite" read into professionals and the
hubs where they practise.

The file: '|'-separated with a trailing '|', a header row, one row per activity (a person practising at two
sites has two rows). Only activities in a commune the portal has are kept. A person is found or created by
RPPS; each site is linked to a hub by its FINESS number, else its SIRET, else its normalised address; what
cannot be linked is reported. Recent extractions give the savoir-faire (which tells a GP from another doctor)
in a separate file, `--savoir-faire`.
"""

import datetime
import re
from collections import Counter
from pathlib import Path

from config import provenance
from config.imports import ImportProblem
from config.text import normalise, person_name
from districts.models import Territory
from hubs import registry
from hubs.counts import counts_deferred
from hubs.models import Hub
from professionals.models import Membership, Profession, Professional

NATIONAL_ID = "Identification nationale PP"
REQUIRED = [
    NATIONAL_ID, "Nom d'exercice", "Prénom d'exercice", "Code profession", "Numéro SIRET site",
    "Numéro FINESS site", "Raison sociale site", "Numéro Voie (coord. structure)",
    "Libellé type de voie (coord. structure)", "Libellé Voie (coord. structure)", "Code postal (coord. structure)",
    "Code commune (coord. structure)", "Libellé commune (coord. structure)",
]  # fmt: skip
SAVOIR_FAIRE = "Code savoir-faire"
GENERAL_PRACTICE = {"SM53", "SM54", "SM26"}  # spécialiste en / qualifié en médecine générale
# RPPS "Code profession" -> our profession codes; a doctor is a GP or a specialist by their savoir-faire.
PROFESSIONS = {
    "21": "pharmacist", "40": "dentist", "50": "midwife", "60": "nurse", "70": "physiotherapist",
    "80": "podiatrist", "91": "speech-therapist", "92": "orthoptist", "93": "psychologist",
    "96": "psychomotor-therapist",
}  # fmt: skip
MAX_UNLINKED_LISTED = 50


def records(path: Path, *, required=REQUIRED, progress: bool = False):
    """(line number, {column: value}) for each row, checked against the header. A file without a header or
    without a single row is refused: read as "nobody is listed any more", it would take everyone out."""
    header, rows = None, 0
    for number, row in _rows(path, required=required, progress=progress):
        if row is None:
            header = number
            continue
        rows += 1
        yield number, row
    if header is None:
        raise ImportProblem(f"{path}: the file is empty (no header line)")
    if not rows:
        raise ImportProblem(f"{path}: the file has a header but not one row")


def _rows(path: Path, *, required, progress: bool):
    header = None
    for number, text in registry.lines(path, progress=progress):
        cells = text.split("|")
        if cells and cells[-1] == "":
            cells.pop()  # the trailing '|'
        if header is None:
            header = cells
            missing = [c for c in required if c not in header]
            if missing:
                raise ImportProblem(f"{path}: column(s) {', '.join(missing)} missing from the header")
            yield number, None
            continue
        if not text:
            continue
        if len(cells) != len(header):
            raise ImportProblem(f"{path}: line {number} has {len(cells)} fields, the header {len(header)}")
        yield number, dict(zip(header, cells, strict=True))


def rpps_of(row) -> str | None:
    national = row[NATIONAL_ID].strip()
    return (
        national[1:] if len(national) == 12 and national.startswith("8") else None
    )  # "8" + RPPS; ADELI: "0"


def general_practitioners(path: Path | None) -> set[str]:
    """RPPS numbers whose savoir-faire is general practice, from the separate savoir-faire file."""
    if path is None:
        return set()
    return {
        rpps
        for _n, row in records(path, required=[NATIONAL_ID, SAVOIR_FAIRE])
        if row[SAVOIR_FAIRE] in GENERAL_PRACTICE and (rpps := rpps_of(row))
    }


def profession_code(row, gps: set[str]) -> str | None:
    if row["Code profession"] == "10":
        codes = {row.get(SAVOIR_FAIRE, "")} if SAVOIR_FAIRE in row else set()
        return "general-practitioner" if codes & GENERAL_PRACTICE or rpps_of(row) in gps else "specialist"
    return PROFESSIONS.get(row["Code profession"])


def display_name(row) -> str:
    """As people write it: « Patrick Martin », not « PATRICK MARTIN »."""
    first, last = person_name(row["Prénom d'exercice"]), person_name(row["Nom d'exercice"])
    return f"{first} {last}".strip()[:200]


class HubFinder:
    """A site's hub: by FINESS number, else SIRET, else street and postcode (normalised), remembered per site."""

    def __init__(self):
        self.known: dict[tuple, Hub | None] = {}

    def find(self, row) -> Hub | None:
        finess, siret = row["Numéro FINESS site"].strip(), row["Numéro SIRET site"].strip()
        street = " ".join(
            row[c].strip()
            for c in [
                "Numéro Voie (coord. structure)",
                "Libellé type de voie (coord. structure)",
                "Libellé Voie (coord. structure)",
            ]
        )
        key = (finess, siret, normalise(street), row["Code postal (coord. structure)"].strip())
        if key not in self.known:
            if len(self.known) > 10_000:
                self.known.clear()  # memory stays flat on a national file
            self.known[key] = self.lookup(*key)
        return self.known[key]

    @staticmethod
    def lookup(finess, siret, street, postcode) -> Hub | None:
        hubs = Hub.objects.published()
        found = (finess and hubs.filter(finess=finess).first()) or (
            siret and hubs.filter(siret=siret).order_by("pk").first()
        )
        if found or not (street.strip() and postcode):
            return found or None
        same_street = [
            h for h in hubs.filter(postcode=postcode).only("pk", "street") if normalise(h.street) == street
        ]
        return Hub.objects.get(pk=same_street[0].pk) if len(same_street) == 1 else None


def extraction_date(path: Path) -> datetime.date:
    """From the published file name (PS_LibreAcces_Personne_activite_202511040839.txt), else the file's date."""
    found = re.search(r"_(20\d{6})\d*", path.name)
    if found:
        return datetime.datetime.strptime(found[1], "%Y%m%d").date()
    return datetime.date.fromtimestamp(path.stat().st_mtime)


def import_rpps(
    *, path: Path, savoir_faire: Path | None = None, allow_closures: int = 0, dry_run=False, progress=False
) -> Counter:
    communes = set(Territory.objects.exclude(code="").values_list("code", flat=True))
    professions = {p.code: p for p in Profession.objects.all()}
    gps = general_practitioners(savoir_faire)
    on = extraction_date(path)
    counts, seen, unlinked, finder = Counter(), set(), [], HubFinder()
    with registry.all_or_nothing(dry_run), counts_deferred():
        for _number, row in records(path, progress=progress):
            if row["Code commune (coord. structure)"].strip() not in communes:
                continue
            rpps, code = rpps_of(row), profession_code(row, gps)
            if rpps is None or code not in professions:
                counts["other_professions" if rpps else "without_rpps"] += 1
                continue
            professional = write_professional(rpps, row, professions[code], on=on, counts=counts, seen=seen)
            hub = finder.find(row)
            if hub is None:
                counts["unlinked"] += 1
                if len(unlinked) < MAX_UNLINKED_LISTED:
                    site = f"{row['Raison sociale site'] or '?'}, {row['Libellé commune (coord. structure)']}"
                    unlinked.append(f"{rpps} {professional.display_name}: {site}")
                continue
            link(professional, hub, counts=counts)
        managed = Professional.objects.filter(active=True, provenance__rpps__by=provenance.RPPS)
        gone = managed.exclude(rpps__in=seen)
        registry.check_closures(
            gone.count(),
            managed.count(),
            allowed=allow_closures,
            what="professionals",
            names=gone.values_list("display_name", flat=True),
        )
        for professional in gone.iterator():
            if provenance.set_by_hand(professional, "active"):  # a person put them back: theirs to decide
                registry.suggest(
                    professional, "active", True, False, source=provenance.RPPS, on=on, counts=counts
                )
                continue
            professional.active = False
            professional.save()
            counts["closed"] += 1
    counts["extracted_on"], counts["unlinked_sites"] = on, unlinked
    return counts


def link(professional: Professional, hub: Hub, *, counts: Counter) -> None:
    """Record that they practise there, unless a person removed that very link (their history says so)."""
    if Membership.objects.filter(professional=professional, hub=hub).exists():
        counts["already_linked"] += 1
    elif Membership.history.filter(
        professional_id=professional.pk, hub_id=hub.pk, history_type="-", history_user__isnull=False
    ).exists():
        counts["unlinked_by_hand"] += 1
    else:
        Membership.objects.create(professional=professional, hub=hub)
        counts["linked"] += 1


def write_professional(rpps, row, profession, *, on, counts, seen) -> Professional:
    professional = Professional.objects.filter(rpps=rpps).first()
    values = {"display_name": display_name(row), "profession_id": profession.pk}
    if professional is None:
        professional = Professional(rpps=rpps)
        provenance.set_by(professional, "rpps", provenance.RPPS, on)
        registry.apply(professional, values, source=provenance.RPPS, on=on, counts=counts)
        professional.save()
        counts["created"] += 1
    elif rpps not in seen:
        reactivated = not professional.active
        if reactivated and provenance.set_by_hand(professional, "active"):
            # A person took them out of the directory (an objection, say): listed again, it is a suggestion.
            registry.suggest(
                professional, "active", False, True, source=provenance.RPPS, on=on, counts=counts
            )
            reactivated = False
        professional.active = professional.active or reactivated
        outcome = registry.apply(professional, values, source=provenance.RPPS, on=on, counts=counts)
        if outcome or reactivated:
            professional.save()
        changed = reactivated or outcome == registry.Outcome.CHANGED
        counts["updated" if changed else "confirmed" if outcome else "unchanged"] += 1
    seen.add(rpps)
    return professional
