"""Reads of user accounts, limited to what the asking user may manage."""

from django.db.models import Q, QuerySet

from lindung.accounts.models import Role, User
from lindung.accounts.scoping import scope


def user_list(*, user: User, query: str = "") -> QuerySet[User]:
    """Accounts the user may manage: all for administrators, village accounts of the regency
    for a Disnaker, none for others."""
    qs = User.objects.select_related("jurisdiction").order_by("username")
    if user.role == Role.ADMIN:
        pass
    elif user.role == Role.DISNAKER:
        qs = scope(qs, user, field="jurisdiction").filter(
            role__in=[Role.VILLAGE_OPERATOR, Role.VILLAGE_HEAD]
        )
    else:
        return qs.none()
    if query:
        qs = qs.filter(Q(username__icontains=query) | Q(first_name__icontains=query))
    return qs


def user_get(*, user: User, pk: int) -> User | None:
    """One account the user may manage, or None."""
    return user_list(user=user).filter(pk=pk).first()
