"""How the FINESS and RPPS imports scale: time and memory on synthetic extractions of a given size.

The files are written in the published layouts, mostly with establishments and activities outside the
portal's scope (as a city's import of the national files is), plus a few hundred in it. Memory is Python's
peak during the import (tracemalloc): flat whatever the file size, since files are streamed.
"""

import json
import tempfile
import time
import tracemalloc
from pathlib import Path

from django.core.management.base import BaseCommand

from districts.models import Territory
from hubs.finess import STRUCTURE_FIELDS, import_finess
from hubs.rpps import import_rpps

IN_SCOPE_EVERY = 20_000  # one establishment or activity in scope per this many lines


def finess_file(path: Path, megabytes: int) -> int:
    target, written, rows = megabytes * 750_000, 0, 0  # the positions that follow make up the rest
    with open(path, "w", encoding="iso-8859-1", newline="\n") as out:
        out.write("finess;etalab;99;2026-11-01\n")
        while written < target:
            rows += 1
            departement = "35" if rows % IN_SCOPE_EVERY == 0 else "99"
            values = dict.fromkeys(STRUCTURE_FIELDS, "") | {
                "nofinesset": f"{departement}{rows:07d}", "rs": f"MAISON DE SANTÉ {rows}",
                "rslongue": f"MAISON DE SANTÉ PLURIPROFESSIONNELLE {rows}", "numvoie": str(rows % 200),
                "typvoie": "R", "voie": "DE LA SANTÉ", "commune": "238", "departement": departement,
                "ligneacheminement": "35000 RENNES", "telephone": "0299000000", "categetab": "603",
                "libcategetab": "Maison de santé (L.6223-3)", "dateouv": "2020-01-01", "datemaj": "2026-10-01",
            }  # fmt: skip
            line = "structureet;" + ";".join(values[f] for f in STRUCTURE_FIELDS) + "\n"
            written += out.write(line)
        for row in range(1, rows + 1):
            departement = "35" if row % IN_SCOPE_EVERY == 0 else "99"
            out.write(
                f"geolocalisation;{departement}{row:07d};351000.0;6789000.0;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2026-10-15\n"
            )
    return rows


def finess_json_file(path: Path, megabytes: int) -> int:
    """A data.gouv.fr "finess-structures" stock: legal entities each holding one establishment (the national
    stock holds about 100,000 establishments in 1 GB)."""
    target, written, rows = megabytes * 1_000_000, 0, 0
    with open(path, "w", encoding="utf-8") as out:
        written += out.write(
            '{"schemaVersion": "v1.0.0", "generatedAt": "2026-11-01T03:00:00Z", "gcc": [], "gco": [], "pmej": ['
        )
        while written < target:
            rows += 1
            departement = "35" if rows % IN_SCOPE_EVERY == 0 else "56"
            entity = {
                "informationsGeneralesPMEJ": {"pmSmsseId": str(rows), "numFinessPm": f"{departement}{rows:07d}"},
                "ege": [{
                    "informationsGeneralesEGE": {
                        "numFinessEge": f"{departement}{rows + 1:07d}", "nomEgeLong": f"MAISON DE SANTE {rows}",
                        "dateOuverture": "2020-01-01", "siret": f"{rows:014d}",
                    },
                    "categorieentiteGeographiqueExercice": "603",
                    "adresse": [{
                        "usageAdresse": "03", "numeroVoie": str(rows % 200), "typeVoie": "R", "libelleVoie": "DE LA SANTE",
                        "cogCommune": f"{departement}238" if departement == "35" else "56260", "codePostal": "35000",
                        "ligneAcheminement": "RENNES", "coordonneesGeographique": {
                            "coordonneeX": "6789000.0", "coordonneeY": "351000.0",
                            "directionLatitude": "48.11", "directionLongitude": "-1.68",
                        },
                    }],
                    "contact": [{"telecom": {"telephone": "0299000000"}}],
                    "etatObjet": "A",
                }],
                "etatObjet": "A",
            }  # fmt: skip
            written += out.write(("," if rows > 1 else "") + json.dumps(entity))
        out.write("]}")
    return rows


RPPS_HEADER = [
    "Type d'identifiant PP", "Identifiant PP", "Identification nationale PP", "Nom d'exercice", "Prénom d'exercice",
    "Code profession", "Libellé profession", "Code mode exercice", "Numéro SIRET site", "Numéro FINESS site",
    "Raison sociale site", "Numéro Voie (coord. structure)", "Libellé type de voie (coord. structure)",
    "Libellé Voie (coord. structure)", "Code postal (coord. structure)", "Code commune (coord. structure)",
    "Libellé commune (coord. structure)", "Téléphone (coord. structure)",
]  # fmt: skip


def rpps_file(path: Path, megabytes: int, commune: str) -> int:
    target, written, rows = megabytes * 1_000_000, 0, 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        written += out.write("|".join(RPPS_HEADER) + "|\n")
        while written < target:
            rows += 1
            here = commune if rows % IN_SCOPE_EVERY == 0 else "99999"
            rpps = f"1{rows:010d}"
            cells = [
                "8", rpps, f"8{rpps}", "MARTIN", "Claire", "60", "Infirmier", "L", "", "", "CABINET INFIRMIER",
                str(rows % 200), "Rue", "de la Santé", "35000", here, "Rennes", "0299000000",
            ]  # fmt: skip
            written += out.write("|".join(cells) + "|\n")
    return rows


class Command(BaseCommand):
    help = "Time the FINESS and RPPS imports, and their memory, on synthetic extractions (a table)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--mb", type=int, action="append", help="file sizes in MB (default: 100 and 1000)"
        )

    def handle(self, *args, **options):
        # A commune the portal has (an INSEE code on real data, "C12" on the bench's synthetic one).
        commune = (
            Territory.objects.filter(level=Territory.Level.DISTRICT)
            .exclude(code="")
            .values_list("code", flat=True)
            .first()
        )
        self.stdout.write(
            "| import | file | lines or records | seconds | Python peak | result |\n|---|---|---|---|---|---|"
        )
        with tempfile.TemporaryDirectory() as folder:
            for megabytes in options["mb"] or [100, 1000]:
                finess = Path(folder) / "finess.csv"
                rows = finess_file(finess, megabytes)
                self.measure(
                    "FINESS",
                    finess,
                    rows * 2,
                    lambda path=finess: import_finess(path=path, departements=["35"], dry_run=True),
                )
                finess.unlink()
                stock = Path(folder) / "finess-structures-stock-20261101.json"
                rows = finess_json_file(stock, megabytes)
                self.measure(
                    "FINESS JSON",
                    stock,
                    rows,
                    lambda path=stock: import_finess(path=path, departements=["35"], dry_run=True),
                )
                stock.unlink()
                rpps = Path(folder) / "PS_LibreAcces_Personne_activite_202611010000.txt"
                rows = rpps_file(rpps, megabytes, commune)
                self.measure("RPPS", rpps, rows, lambda path=rpps: import_rpps(path=path, dry_run=True))
                rpps.unlink()
        self.stdout.write(
            "\nDry runs (the same work, rolled back): the peak stays flat as files grow, files being streamed."
        )

    def measure(self, name, path, lines, run):
        tracemalloc.start()
        start = time.perf_counter()
        counts = run()
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        result = f"{counts['created']} created, {counts['unchanged']} unchanged"
        size = path.stat().st_size / 1e6
        self.stdout.write(
            f"| {name} | {size:,.0f} MB | {lines:,} | {seconds:.1f} | {peak / 1e6:.1f} MB | {result} |"
        )
