"""Every change to users and tokens. Keyword-only, acting user first, one transaction, audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import access, audit
from .models import ApiToken, User
from .roles import Cap
from .tokens import PREFIX_LENGTH, hash_key, new_key


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    email: str,
    role: str,
    provider=None,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    access.require(actor, Cap.MANAGE_USERS)
    user = User(
        username=username,
        email=email,
        role=role,
        provider=provider,
        first_name=first_name,
        last_name=last_name,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()  # they set one through the password-reset mail
    return audit.create(actor=actor, instance=user)


@transaction.atomic
def user_update(*, actor, user: User, **changes) -> User:
    access.require(actor, Cap.MANAGE_USERS)
    allowed = {"email", "role", "provider", "is_active", "first_name", "last_name"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))} here")
    return audit.update(actor=actor, instance=user, changes=changes)


@transaction.atomic
def token_create(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new token for the acting user; returns it and the key, which is never shown again."""
    access.require(actor, Cap.USE_API)
    key = new_key()
    token = ApiToken(user=actor, name=name, prefix=key[4 : 4 + PREFIX_LENGTH], key_hash=hash_key(key))
    return audit.create(actor=actor, instance=token), key


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        access.require(actor, Cap.MANAGE_USERS)
    if token.revoked_at is not None:
        return token
    return audit.update(actor=actor, instance=token, changes={"revoked_at": timezone.now()})
