"""What a user learns when a NIK they type is already registered: one place decides it for the
registration form, the complaint form and imports.

Within the user's area the village is named, so the operator can find the record. Outside it
the answer says only that the NIK is registered elsewhere and whom to ask (the Disnaker of the
user's own regency, which can look across villages), and the look-up is audited: a NIK must
not tell a stranger where its holder lives.
"""

from django.utils.translation import gettext as _

from lindung.accounts.scoping import code_in_scope
from lindung.audit.models import Action
from lindung.audit.services import audit_record
from lindung.lib.errors import ApplicationError
from lindung.regions.models import Area

# The key of the audit entry of a look-up that met a NIK registered outside the user's area.
AUDIT_KEY = "nik_registered_elsewhere"


class NikRegisteredElsewhere(ApplicationError):
    """A NIK is registered outside the actor's area; the message names no place."""

    def __init__(self, message, *, person):
        super().__init__(message, field="nik", code="nik_elsewhere")
        self.person = person


def contact_office(user) -> str:
    """Whom a user asks about a NIK registered elsewhere: their own regency's Disnaker, or
    KP2MI for a user above the regencies."""
    code = getattr(user, "jurisdiction_id", None) or ""
    parts = code.split(".")
    if len(parts) >= 2:
        regency = Area.objects.filter(code=".".join(parts[:2])).first()
        if regency is not None:
            return _("Disnaker %(regency)s") % {"regency": regency.name}
    return "KP2MI"


def nik_elsewhere_message(user) -> str:
    """The sentence for a NIK registered outside the user's area."""
    return _(
        "This NIK is already registered outside your area of work. To find out more, contact "
        "%(office)s."
    ) % {"office": contact_office(user)}


def nik_taken_error(*, actor, person) -> ApplicationError:
    """The error for a NIK that `person` already holds, as `actor` may read it."""
    if actor is None or code_in_scope(actor, person.village_id):
        return ApplicationError(
            _("This NIK is already registered (in %(village)s).") % {"village": person.village},
            field="nik",
        )
    return NikRegisteredElsewhere(nik_elsewhere_message(actor), person=person)


def nik_lookup_audit(*, actor, error: Exception) -> None:
    """Record a form's look-up that met a NIK registered outside the actor's area (call it
    where the refused form is shown: the service's own transaction was rolled back)."""
    if not isinstance(error, NikRegisteredElsewhere):
        return
    audit_record(
        actor=actor,
        action=Action.VIEW,
        obj=error.person,
        area_code=error.person.village_id,
        changes={AUDIT_KEY: 1},
    )


def nik_lookups_audit(*, actor, count: int, area_code: str, obj=None) -> None:
    """Record, once for a whole import, how many of its NIKs are registered outside its area."""
    if count:
        audit_record(
            actor=actor,
            action=Action.VIEW,
            obj=obj,
            object_type="" if obj is not None else "imports.importbatch",
            area_code=area_code,
            changes={AUDIT_KEY: count},
        )
