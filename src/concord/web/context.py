from django.urls import reverse

from concord.accounts import access
from concord.accounts.roles import Cap

from .nav import NAV


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    caps = access.capabilities(user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for item in NAV:
        if item.capability in caps:
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "current": item.is_current(current)})
    return {"nav_items": items, "can_use_api": access.can(user, Cap.USE_API)}
