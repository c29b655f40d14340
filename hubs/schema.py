"""Each field of a hub and what it is for (config/schema.py says what each role means).

Ordered as the staff's CSV export lists its columns; the location is exported as two columns, lat and lng.
"""

from django.utils.translation import gettext_lazy as _

from config.schema import EDITORS, MANAGERS, Role, having

# Kept by the code, never typed: ids, versions, derived text and coordinates, provenance, dates of change.
SYSTEM = Role()
# What a person types on the hub's form, a hub manager included, that registries also know.
TYPED = {"edit": MANAGERS, "public": True, "hand_edited": True, "exported": True}

HUB_FIELDS: dict[str, Role] = {
    "slug": Role(edit=EDITORS, public=True, exported=True),
    "name": Role(**TYPED, source=_("nom"), searched=True),
    "kind": Role(**TYPED, source=_("type"), searched=True),
    "status": Role(**TYPED, source=_("statut")),
    "street": Role(**TYPED, source=_("adresse"), merged=True, searched=True),
    "postcode": Role(**TYPED, merged=True, searched=True),
    "city": Role(**TYPED, merged=True, searched=True),
    "location": Role(**TYPED, source=_("position"), merged=True),
    "territory": Role(edit=MANAGERS, public=True, exported=True, searched=True),
    "phone": Role(**TYPED, source=_("téléphone"), merged=True, contact="phone"),
    "email": Role(**TYPED, source=_("courriel"), merged=True, contact="email"),
    "website": Role(**TYPED, source=_("site web"), merged=True, contact="url"),
    "booking_url": Role(**TYPED, source=_("prise de rendez-vous"), merged=True, contact="url"),
    "booking_by_phone_only": Role(**TYPED),
    "services": Role(edit=MANAGERS, public=True, exported=True, searched=True),
    "tiers_payant": Role(**TYPED, source=_("tiers payant")),
    "accepting_new_patients": Role(**TYPED, source=_("nouveaux patients")),
    "accepting_as_of": Role(edit=MANAGERS, public=True, exported=True),
    "wheelchair_access": Role(**TYPED, source=_("accès en fauteuil roulant")),
    "entrance": Role(**TYPED, source=_("entrée")),
    "accessible_parking": Role(**TYPED, source=_("stationnement adapté")),
    "accessible_toilets": Role(**TYPED, source=_("toilettes adaptées")),
    "hearing_loop": Role(**TYPED, source=_("boucle magnétique")),
    "staff_trained": Role(**TYPED, source=_("personnel formé")),
    "acceslibre_url": Role(edit=MANAGERS, public=True, exported=True, hand_edited=True, contact="url"),
    "languages": Role(edit=MANAGERS, public=True, exported=True),
    # Whether and where a hub is public, who manages it and its registry numbers: city editors decide.
    "published": Role(edit=EDITORS, hand_edited=True, exported=True),
    "finess": Role(edit=EDITORS, public=True, hand_edited=True, exported=True, merged=True),
    "version": Role(exported=True),  # the import refuses a row edited since it was exported
    "siret": Role(edit=EDITORS, hand_edited=True, merged=True),
    "managers": Role(edit=EDITORS),
    "territory_set_by_hand": Role(edit=EDITORS),
    "is_demo": Role(edit=EDITORS, public=True),
    "source": Role(edit=EDITORS, public=True),
    "source_url": Role(edit=EDITORS, public=True),
    "description": Role(edit=MANAGERS, public=True, hand_edited=True, merged=True),
    "opened_on": Role(edit=MANAGERS, public=True, source=_("ouverture"), hand_edited=True, merged=True),
    "ars_recognised": Role(edit=MANAGERS, public=True),
    "participatory": Role(edit=MANAGERS, public=True),
    "supporters": Role(edit=MANAGERS, public=True),
    "last_verified_on": Role(public=True),  # set by the editors' "marquer comme vérifié" only
    "verified_by": SYSTEM,
    "confirmed_by_hub_on": Role(public=True),  # set by the manager's "rien n'a changé" link
    "id": Role(public=True),
    "updated_at": Role(public=True),
    "provenance": SYSTEM,
    "search_text": SYSTEM,
    "lng": SYSTEM,
    "lat": SYSTEM,
}

EDITOR_ONLY_FIELDS = frozenset(having(HUB_FIELDS, edit=EDITORS))
HAND_EDITED_FIELDS = having(HUB_FIELDS, hand_edited=True)
FILLED_FROM_DUPLICATE = having(HUB_FIELDS, merged=True)
PUBLIC_FACTS = {name: role.source for name, role in HUB_FIELDS.items() if role.source}
CONTACTS = {name: role.contact for name, role in HUB_FIELDS.items() if role.contact}
SEARCHED_FIELDS = having(HUB_FIELDS, searched=True)
EXPORT_COLUMNS = [
    column
    for name in having(HUB_FIELDS, exported=True)
    for column in (["lat", "lng"] if name == "location" else [name])
]
