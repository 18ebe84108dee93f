"""Reads of ingest runs and saved profiles, always scoped to the requesting user.

A partner's people see only the runs bound to their own provider; the client's
people see every run. Both need the INGEST capability.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from concord.accounts import access
from concord.accounts.roles import Cap
from concord.providers.models import Program, Provider

from .models import IngestRun, SavedProfile


def runs(user) -> QuerySet[IngestRun]:
    access.require(user, Cap.INGEST)
    return access.scope(user, IngestRun.objects.select_related("provider", "started_by"))


def run(user, run_id: int) -> IngestRun:
    access.require(user, Cap.INGEST)
    return access.get_visible_or_404(user, IngestRun.objects.select_related("provider", "started_by"), pk=run_id)


def same_file_runs(user, run: IngestRun) -> QuerySet[IngestRun]:
    """Earlier runs of the very same file (same SHA-256) this user may see."""
    if not run.file_sha256:
        return IngestRun.objects.none()
    return runs(user).filter(file_sha256=run.file_sha256, pk__lt=run.pk)


def saved_profiles(user) -> QuerySet[SavedProfile]:
    access.require(user, Cap.INGEST)
    return SavedProfile.objects.select_related("created_by")


def saved_profile(user, profile_id: int) -> SavedProfile:
    """Saved profiles belong to the client and are shared with every partner (who may use, not edit, them)."""
    access.require(user, Cap.INGEST)
    try:
        return SavedProfile.objects.get(pk=profile_id)
    except SavedProfile.DoesNotExist as exc:
        raise Http404("No such profile.") from exc


def can_edit_profiles(user) -> bool:
    return access.can(user, Cap.INGEST) and user.provider_id is None


def upload_providers(user) -> QuerySet[Provider]:
    """Providers a client user may bind an upload to (a partner's people are always bound to their own)."""
    return access.scope(user, Provider.objects.all(), "pk")


def upload_programs(user) -> QuerySet[Program]:
    """Programs a user may load rows for: every one for the client's people, their provider's for a partner's."""
    access.require(user, Cap.INGEST)
    return access.scope(user, Program.objects.all(), "providers").distinct()
