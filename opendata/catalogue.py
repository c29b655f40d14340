"""What the portal publishes as open data: one list, shown on /donnees/ and described in DCAT-AP (JSON-LD)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

EU = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types"
ETALAB = ("Licence Ouverte / Etalab", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
ODBL = ("ODbL (OpenStreetMap et ses contributeurs)", "https://opendatacommons.org/licenses/odbl/1-0/")
CONTINUOUS = ("UPDATE_CONT", _("à chaque modification, en continu"))


@dataclass
class Distribution:
    title: str
    url_name: str
    media_type: str
    file_type: str = ""  # the EU file-type vocabulary's code, where it has one
    kwargs: dict = field(default_factory=dict)
    example: str = ""  # for addresses with a part to fill in (a territory's slug)

    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.kwargs) if self.url_name else self.example


@dataclass
class Dataset:
    slug: str
    title: str
    description: str
    distributions: list[Distribution]
    source_licences: list[tuple[str, tuple[str, str]]] = field(default_factory=list)  # (what, licence)
    frequency: tuple = CONTINUOUS


API_FORMATS = {
    "json": ("JSON", "application/json", "JSON"),
    "geojson": ("GeoJSON", "application/geo+json", "GEOJSON"),
    "csv": ("CSV (;, UTF-8)", "text/csv", "CSV"),
}


def api(name: str, *formats: str) -> list[Distribution]:
    found = []
    for fmt in formats:
        title, media_type, file_type = API_FORMATS[fmt]
        suffix = {} if fmt == "json" else {"format": fmt}
        found.append(Distribution(f"API {title}", f"api:{name}-list", media_type, file_type, kwargs=suffix))
    return found


def fhir(*types: str) -> list[Distribution]:
    return [
        Distribution(
            f"FHIR R4 {t}", "fhir_search", "application/fhir+json", "JSON", kwargs={"resource_type": t}
        )
        for t in types
    ]


DATASETS = [
    Dataset(
        "lieux-de-sante",
        _("Lieux de santé"),
        _(
            "Maisons, pôles et centres de santé publiés dans l'annuaire : adresse, position, horaires, services, "
            "accessibilité, tiers payant, accueil de nouveaux patients, date de vérification."
        ),
        [
            *api("hub", "json", "geojson", "csv"),
            *fhir("Organization", "Location", "HealthcareService"),
            Distribution(
                _("Flux Atom des modifications, par territoire"),
                "",
                "application/atom+xml",
                "ATOM",
                example="/districts/rennes/changes.atom",
            ),
        ],
        [
            (_("Pharmacies de la Métropole Européenne de Lille, issues d'OpenStreetMap"), ODBL),
            (
                _("Pôles ressources santé de Lille, décrits par RESOLIS"),
                ("CC BY 3.0", "https://creativecommons.org/licenses/by/3.0/fr/"),
            ),
        ],
    ),
    Dataset(
        "professionnels",
        _("Professionnels de santé"),
        _(
            "Professionnels en activité dans les lieux publiés : profession, langues parlées, accueil de nouveaux "
            "patients, lieux d'exercice. Jamais les années de départ en retraite, qui ne sont publiées qu'agrégées."
        ),
        [*api("professional", "json", "csv"), *fhir("Practitioner", "PractitionerRole")],
    ),
    Dataset(
        "territoires-et-densites",
        _("Territoires et densités de médecins"),
        _(
            "Quartiers, communes, départements et régions : population, densités officielles avec leur source et "
            "leur année, densités calculées à partir de l'annuaire, quartiers prioritaires ; là où la population "
            "carroyée de l'INSEE les couvre, la part des habitants à moins de 500 m, 1 km et 2 km (à vol d'oiseau) "
            "d'un médecin généraliste et le score d'accessibilité 2SFCA."
        ),
        api("territory", "json", "geojson", "csv"),
        [
            (
                _("Densités départementales, régionales et nationales (Assurance Maladie, data.ameli.fr)"),
                ETALAB,
            ),
            (_("Populations (data.gouv.fr, « Communes et villes de France »)"), ETALAB),
            (_("Contours des communes (IGN Admin Express)"), ETALAB),
            (_("Population carroyée à 200 m (INSEE, Filosofi 2019)"), ETALAB),
            (
                _("Contours des quartiers de Rennes (Rennes Métropole)"),
                ("ODbL", "https://opendatacommons.org/licenses/odbl/1-0/"),
            ),
            (
                _("Contours des quartiers de Lille (Métropole Européenne de Lille)"),
                (_("licence du portail de la MEL"), "https://opendata.lillemetropole.fr/"),
            ),
        ],
    ),
    Dataset(
        "programmes-de-soutien",
        _("Programmes de soutien"),
        _(
            "Aides aux lieux de santé : financeurs, types de soutien, bénéficiaires, montants, dates limites, "
            "territoires couverts et soutiens accordés."
        ),
        [
            *api("programme", "json", "csv"),
            Distribution(_("Export du catalogue (CSV)"), "programmes:export", "text/csv", "CSV"),
            Distribution(_("Flux Atom des nouveautés"), "programmes_feed", "application/atom+xml", "ATOM"),
            Distribution(
                _("Flux Atom par territoire"),
                "",
                "application/atom+xml",
                "ATOM",
                example="/districts/rennes/programmes.atom",
            ),
            Distribution(
                _("Calendrier des dates limites (iCalendar)"), "deadlines_calendar", "text/calendar", "ICS"
            ),
        ],
        [(_("Aides recensées par Aides-territoires"), ETALAB)],
    ),
    Dataset(
        "financeurs",
        _("Financeurs"),
        _("Collectivités, État, ARS, Assurance Maladie et autres financeurs des programmes."),
        api("funder", "json", "csv"),
    ),
]


def whole_files(base: str, files: list, licence: dict) -> list[dict]:
    return [
        {
            "@type": "dcat:Distribution",
            "dct:title": str(_("Fichier complet %(format)s (gzip)") % {"format": f.format.upper()}),
            "dcat:accessURL": {"@id": f"{base}{f.url}"},
            "dcat:downloadURL": {"@id": f"{base}{f.url}"},
            "dcat:mediaType": {"@id": f"{IANA}/{f.media_type}"},
            "dcat:compressFormat": {"@id": f"{IANA}/application/gzip"},
            "dcat:byteSize": f.size,
            "dct:modified": f.date.isoformat(),
            "dct:format": {"@id": f"{EU}/file-type/{f.format.upper()}"},
            "dct:license": {"@id": licence["url"]},
        }
        for f in files
    ]


def dcat(base: str, files: dict) -> dict:
    """The catalogue in DCAT-AP, as JSON-LD: what data.gouv.fr and European portals harvest. `files`: the
    whole-file exports by dataset (opendata/exports.latest)."""
    licence = settings.OPEN_DATA_LICENCE
    publisher = settings.PUBLISHER["name"] or str(_("Démonstration : aucun éditeur"))
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": f"{base}{reverse('open_data')}",
        "dct:title": str(_("Annuaire des lieux de santé : données ouvertes")),
        "dct:description": str(_("Les données de l'annuaire, réutilisables librement.")),
        "dct:language": {"@id": f"{EU}/language/FRA"},
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher},
        "dct:license": {"@id": licence["url"]},
        "dcat:dataset": [
            {
                "@type": "dcat:Dataset",
                "@id": f"{base}{reverse('open_data')}#{d.slug}",
                "dct:identifier": d.slug,
                "dct:title": str(d.title),
                "dct:description": str(d.description),
                "dct:language": {"@id": f"{EU}/language/FRA"},
                "dct:publisher": {"@type": "foaf:Organization", "foaf:name": publisher},
                "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/{d.frequency[0]}"},
                "dcat:theme": {"@id": f"{EU}/data-theme/HEAL"},
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": str(x.title),
                        "dcat:accessURL": {"@id": f"{base}{x.url()}"},
                        "dcat:mediaType": {"@id": f"{IANA}/{x.media_type}"},
                        **({"dct:format": {"@id": f"{EU}/file-type/{x.file_type}"}} if x.file_type else {}),
                        "dct:license": {"@id": licence["url"]},
                    }
                    for x in d.distributions
                ]
                + whole_files(base, files.get(d.slug, []), licence),
            }
            for d in DATASETS
        ],
    }
