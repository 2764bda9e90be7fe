from lindung.accounts.navigation import nav_items


def navigation(request):
    """The menu entries this user may open."""
    return {"nav_items": nav_items(request.user) if request.user.is_authenticated else []}
