"""Each field of a professional and what it is for (config/schema.py says what each role means).

Ordered as the staff's CSV export lists its columns.
"""

from django.utils.translation import gettext_lazy as _

from config.schema import EDITORS, MANAGERS, Role, having

PROFESSIONAL_FIELDS: dict[str, Role] = {
    "rpps": Role(edit=MANAGERS, public=True, source=_("numéro RPPS"), hand_edited=True, exported=True),
    "display_name": Role(
        edit=MANAGERS, public=True, source=_("nom"), hand_edited=True, exported=True, searched=True
    ),
    "profession": Role(
        edit=MANAGERS, public=True, source=_("profession"), hand_edited=True, exported=True, searched=True
    ),
    "languages": Role(edit=MANAGERS, public=True, hand_edited=True, exported=True),
    "booking_url": Role(
        edit=MANAGERS, public=True, source=_("prise de rendez-vous"), hand_edited=True, exported=True
    ),
    "booking_by_phone_only": Role(edit=MANAGERS, public=True, hand_edited=True, exported=True),
    "accepting_new_patients": Role(edit=MANAGERS, public=True, hand_edited=True, exported=True),
    "accepting_as_of": Role(edit=MANAGERS, public=True, exported=True),
    "sector": Role(edit=MANAGERS, public=True, source=_("secteur"), hand_edited=True, exported=True),
    "optam": Role(edit=MANAGERS, public=True, source=_("OPTAM"), hand_edited=True, exported=True),
    "carte_vitale": Role(
        edit=MANAGERS, public=True, source=_("carte Vitale"), hand_edited=True, exported=True
    ),
    "fees_as_of": Role(edit=MANAGERS, public=True, exported=True),
    "active": Role(edit=MANAGERS, hand_edited=True, exported=True),
    # Shown to the public only aggregated (territory pages); in the admin, to city editors only.
    "planned_retirement_year": Role(edit=EDITORS),
    "is_demo": Role(edit=MANAGERS, public=True),
    "id": Role(public=True),
    "updated_at": Role(public=True),
    "provenance": Role(),
    "search_text": Role(),
    "listed": Role(),  # kept by hubs/counts.py: active and practising in a published hub
}

EDITOR_ONLY_FIELDS = having(PROFESSIONAL_FIELDS, edit=EDITORS)
HAND_EDITED_FIELDS = having(PROFESSIONAL_FIELDS, hand_edited=True)
PUBLIC_FACTS = {name: role.source for name, role in PROFESSIONAL_FIELDS.items() if role.source}
EXPORT_COLUMNS = having(PROFESSIONAL_FIELDS, exported=True)
