"""What each field of a model is for, declared once per model (hubs/schema.py, professionals/schema.py).

The admin, the staff's CSV import/export, the services (what registry imports leave alone, what a merge
carries over), the public page's sources, the search text and FHIR read their lists from the declaration; a
test fails when a model field has none, so a new field cannot be forgotten in one of those places.
"""

from dataclasses import dataclass

MANAGERS, EDITORS = "managers", "editors"


@dataclass(frozen=True)
class Role:
    edit: str = ""  # who changes it in the admin: MANAGERS (and city editors), EDITORS only, "" nobody
    public: bool = False  # on the public pages and in the open data
    source: str = ""  # the page names where this fact comes from, under this label
    hand_edited: bool = False  # a person's value is theirs: registry imports suggest, never overwrite
    exported: bool = False  # a column of the staff's CSV export and import
    merged: bool = False  # in a merge, filled from the duplicate when empty
    searched: bool = False  # part of the search text
    contact: str = ""  # its FHIR ContactPoint system (phone, email, url)


def having(fields: dict[str, Role], **wanted) -> list[str]:
    """The names of the fields whose role has every attribute `wanted`, in the declaration's order."""
    return [name for name, role in fields.items() if all(getattr(role, k) == v for k, v in wanted.items())]


def attnames(model, names) -> list[str]:
    """Database names (`profession_id` for `profession`), as provenance and `values()` use them."""
    return [model._meta.get_field(name).attname for name in names]
