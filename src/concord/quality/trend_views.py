"""Calibration health per provider across sessions (chart and tables), page and API."""

from __future__ import annotations

import altair as alt
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from concord.accounts.roles import Cap
from concord.web import palette
from concord.web.api import capability
from concord.web.charts import CHART_CSP
from concord.web.charts import spec as chart_spec

from .calibration import ALPHA_FLOOR
from .calibration_trends import Trends, trends


def trend_chart(found: Trends) -> dict | None:
    """Mean alpha per closed session, a line per provider, against Krippendorff's 0.667 floor."""
    points = [
        {
            "provider": h.provider.name,
            "closed": p.session.closed_at.date().isoformat(),
            "alpha": p.mean_alpha,
            "icc": p.icc21,
            "session": p.session.title,
        }
        for h in found.providers
        for p in h.points
        if p.mean_alpha is not None
    ]
    if not points:
        return None
    base = alt.Chart(alt.Data(values=points))
    lines = base.mark_line(point=True).encode(
        x=alt.X("closed:T", title="Session closed"),
        y=alt.Y("alpha:Q", title="Mean Krippendorff's alpha over criteria", scale=alt.Scale(domain=[-0.2, 1])),
        color=alt.Color("provider:N", title="Provider"),
        tooltip=[
            "session:N",
            "provider:N",
            alt.Tooltip("alpha:Q", format=".3f"),
            alt.Tooltip("icc:Q", title="ICC(2,1)", format=".3f"),
        ],
    )
    floor = (
        alt.Chart(alt.Data(values=[{"y": ALPHA_FLOOR}])).mark_rule(color=palette.BAD, strokeDash=[4, 3]).encode(y="y:Q")
    )
    return chart_spec((lines + floor).properties(width="container", height=240))


@login_required
@require_GET
@csp_update(CHART_CSP)
def calibration_trends(request):
    found = trends(request.user)
    return render(
        request,
        "quality/calibration_trends.html",
        {"found": found, "chart": trend_chart(found), "floor": ALPHA_FLOOR},
    )


class CalibrationTrendsView(APIView):
    """Per provider: each closed session's mean alpha, ICC(2,1) and alignment; criteria under 0.667;
    raw and harshness-adjusted QA score. Per grader: pooled gap to the reference, flag and evidence."""

    permission_classes = [capability(Cap.VIEW_QUALITY)]

    @extend_schema(operation_id="quality_calibration_trends", responses={200: dict})
    def get(self, request):
        found = trends(request.user)
        return Response(
            {
                "providers": [
                    {
                        "provider": h.provider.code,
                        "sessions": [
                            {
                                "id": p.session.pk,
                                "closed_at": p.session.closed_at.isoformat(),
                                "mean_alpha": p.mean_alpha,
                                "icc21": p.icc21,
                                "mean_alignment_percent": p.mean_alignment,
                                "items": p.items,
                                "graders": p.graders,
                            }
                            for p in h.points
                        ],
                        "criteria": [
                            {"code": c.code, "recent_alpha": c.recent, "needs_work": c.needs_work} for c in h.criteria
                        ],
                        "evaluations": h.evaluations,
                        "qa_score_percent": h.raw_score,
                        "qa_score_adjusted_percent": h.adjusted_score,
                    }
                    for h in found.providers
                ],
                "graders": [
                    {
                        "grader": b.grader,
                        "items": b.items,
                        "sessions": b.sessions,
                        "mean_gap_points": b.mean_gap,
                        "p": b.p,
                        "flag": b.flag,
                        "evidence": b.evidence,
                    }
                    for b in found.graders
                ],
            }
        )
