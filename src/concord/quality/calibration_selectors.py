"""Reads for calibration sessions. Blind: nobody sees another grader's scores until they have
submitted their own or the session is closed, on the pages and in the API alike."""

from __future__ import annotations

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from concord.accounts import access
from concord.accounts.roles import Cap

from .calibration import SessionResult, session_result
from .models import CalibrationScore, CalibrationSession, CalibrationSubmission


def sessions(user) -> QuerySet[CalibrationSession]:
    access.require(user, Cap.VIEW_QUALITY)
    qs = CalibrationSession.objects.select_related("provider", "form_version__form", "key_grader")
    return access.scope(user, qs)


def session(user, session_id: int) -> CalibrationSession:
    access.require(user, Cap.VIEW_QUALITY)
    qs = CalibrationSession.objects.select_related("provider", "form_version__form", "key_grader")
    return access.get_visible_or_404(user, qs, pk=session_id)


def has_submitted(user, s: CalibrationSession) -> bool:
    return CalibrationSubmission.objects.filter(session=s, grader=user).exists()


def sees_everyone(user, s: CalibrationSession) -> bool:
    """The blind rule: a closed session, or a participant who has handed in their own scores."""
    return s.status == CalibrationSession.Status.CLOSED or (
        s.participants.filter(pk=user.pk).exists() and has_submitted(user, s)
    )


def visible_scores(user, s: CalibrationSession) -> QuerySet[CalibrationScore]:
    """Everyone's scores when the blind rule allows, else only the user's own."""
    qs = CalibrationScore.objects.filter(item__session=s).select_related("criterion", "grader", "item")
    return qs if sees_everyone(user, s) else qs.filter(grader=user)


def results(user, s: CalibrationSession, *, resamples: int = 1000) -> SessionResult:
    if not sees_everyone(user, s):
        raise PermissionDenied("Results show once you have submitted your own scores, or when the session closes.")
    return compute(s, resamples=resamples)


def compute(s: CalibrationSession, *, resamples: int = 1000) -> SessionResult:
    """The session's ratings as graders x items x criteria, then the statistics."""
    criteria = s.form_version.criteria_in_order()
    items = list(s.items.order_by("position"))
    people = s.participants.all()
    if s.status == CalibrationSession.Status.OPEN:  # in an open session only handed-in scores are results
        people = people.filter(pk__in=s.submissions.values("grader"))
    graders = sorted(people, key=lambda u: (u.pk != s.key_grader_id, u.username))
    names = [u.username for u in graders]
    g_index = {u.pk: i for i, u in enumerate(graders)}
    i_index = {item.pk: i for i, item in enumerate(items)}
    c_index = {c.pk: i for i, c in enumerate(criteria)}
    cube = np.full((len(graders), len(items), len(criteria)), np.nan)
    na = np.zeros(cube.shape, bool)
    for score in CalibrationScore.objects.filter(item__session=s, grader__in=graders):
        at = (g_index[score.grader_id], i_index[score.item_id], c_index[score.criterion_id])
        na[at] = score.not_applicable
        if score.value is not None and not score.not_applicable:
            cube[at] = float(score.value)
    key = s.key_grader.username if s.key_grader_id and s.key_grader_id in g_index else None
    return session_result(names, [c.rule for c in criteria], cube, na, key_grader=key, resamples=resamples)
