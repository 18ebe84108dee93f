"""Tables and JSON of SLA reports: the page, the exports and the API show the same numbers."""

from __future__ import annotations

from django.urls import reverse

from concord.performance.exports import TableData

from .selectors import MonthReport, StatementView


def report_table(report: MonthReport) -> TableData:
    table = TableData(
        f"SLA {report.contract.provider.code} {report.period:%Y-%m}",
        [
            "sla",
            "metric",
            "comparator",
            "target",
            "unit",
            "status",
            "up to date",
            "provisional",
            "final from",
            "value",
            "numerator",
            "denominator",
            "volume",
            "minimum volume",
            "allocation %",
            f"credit ({report.contract.currency})",
            "earned back",
            "returns credit of closed month",
            f"credit returned ({report.contract.currency})",
            f"net credit ({report.contract.currency})",
            "lake table",
            "lake version",
            "measured from",
            "measured to",
            "excluded windows",
            "note",
        ],
    )
    for line in report.lines:
        r, s = line.result, line.sla
        table.rows.append(
            [
                s.name,
                s.metric_key,
                s.comparator,
                s.target,
                s.unit,
                r.status if r else "not computed",
                (not line.out_of_date) if r else None,
                r.provisional if r else None,
                r.final_from if r else None,
                r.value if r else None,
                r.numerator if r else None,
                r.denominator if r else None,
                r.volume if r else None,
                s.min_volume,
                float(s.allocation_percent),
                float(r.credit) if r else None,
                r.earned_back if r else None,
                f"{r.earn_back_of:%Y-%m}" if r and r.earn_back_of else None,
                float(r.earn_back_credit) if r else None,
                float(r.net_credit) if r else None,
                r.lake_table if r else None,
                r.lake_version if r else None,
                r.measured_from if r else None,
                r.measured_to if r else None,
                "; ".join(f"{a} to {b}" for a, b in r.excluded_windows) if r else None,
                r.note if r else None,
            ]
        )
    return table


def report_json(report: MonthReport) -> dict:
    c = report.contract
    return {
        "contract": {"id": c.pk, "name": c.name, "provider": c.provider.code, "currency": c.currency},
        "period": f"{report.period:%Y-%m}",
        "closed": report.closed,
        "out_of_date": report.out_of_date,
        "provisional": report.provisional,
        "fee": str(report.fee),
        "at_risk": str(report.at_risk),
        "credit": str(report.credit),
        "earned_back": str(report.earned_back),
        "net_credit": str(report.net_credit),
        "results": [
            {
                "sla": line.sla.name,
                "metric": line.sla.metric_key,
                "comparator": line.sla.comparator,
                "target": line.sla.target,
                "unit": line.sla.unit,
                "target_text": line.sla.target_text,
                "allocation_percent": str(line.sla.allocation_percent),
                **(
                    {
                        "status": line.result.status,
                        "out_of_date": line.out_of_date,
                        "out_of_date_reasons": line.staleness.reasons if line.staleness else [],
                        "provisional": line.result.provisional,
                        "final_from": line.result.final_from,
                        "value": line.result.value,
                        "numerator": line.result.numerator,
                        "denominator": line.result.denominator,
                        "volume": line.result.volume,
                        "lake_table": line.result.lake_table,
                        "lake_version": line.result.lake_version,
                        "measured_from": line.result.measured_from,
                        "measured_to": line.result.measured_to,
                        "excluded_windows": line.result.excluded_windows,
                        "credit": str(line.result.credit),
                        "earned_back": line.result.earned_back,
                        "earn_back_of": f"{line.result.earn_back_of:%Y-%m}" if line.result.earn_back_of else None,
                        "earn_back_credit": str(line.result.earn_back_credit),
                        "net_credit": str(line.result.net_credit),
                        "note": line.result.note,
                    }
                    if line.result
                    else {"status": "not computed"}
                ),
            }
            for line in report.lines
        ],
    }


STATEMENT_COLUMNS = (
    ("sla", "SLA"),
    ("metric", "metric"),
    ("comparator", "comparator"),
    ("target", "target"),
    ("target_text", "target as entered"),
    ("unit", "unit"),
    ("value", "value"),
    ("volume", "volume"),
    ("status", "status"),
    ("allocation_percent", "allocation %"),
    ("credit", "credit"),
    ("earned_back", "earned back"),
    ("earn_back_of", "returns credit of closed month"),
    ("earn_back_credit", "credit returned"),
    ("net", "net credit"),
    ("lake_table", "lake table"),
    ("lake_version", "lake version"),
)


def statement_table(view: StatementView) -> TableData:
    """The statement as closed, then each restatement's figures: the billed lines are never lost."""
    st = view.statement
    table = TableData(
        f"Credit statement {view.contract.provider.code} {view.period:%Y-%m} ({view.contract.currency})",
        ["figures", *(label for _, label in STATEMENT_COLUMNS)],
    )
    versions = [("as closed", {"lines": st.lines, "totals": st.totals})]
    versions += [(f"restatement {r.number}", r.after) for r in view.restatements]
    for name, figures in versions:
        for line in figures["lines"]:
            table.rows.append([name, *(line.get(key) for key, _ in STATEMENT_COLUMNS)])
        t = figures["totals"]
        total = {"sla": "total", "credit": t["credit"], "earned_back": t["earned_back"], "net": t["net"]}
        table.rows.append([name, *(total.get(key) for key, _ in STATEMENT_COLUMNS)])
    return table


def statement_json(view: StatementView) -> dict:
    st = view.statement
    return {
        "contract": {"id": view.contract.pk, "name": view.contract.name, "provider": view.contract.provider.code},
        "period": f"{view.period:%Y-%m}",
        "closed": st is not None,
        "cannot_close_because": view.blockers,
        **(
            {
                "closed_at": st.closed_at,
                "closed_by": st.closed_by_name,
                "lake_versions": st.lake_versions,
                "as_closed": {"lines": st.lines, "totals": st.totals},
                "restatements": [
                    {"number": r.number, "reason": r.reason, "by": r.created_by_name, "at": r.created_at, **r.after}
                    for r in view.restatements
                ],
                "in_force": view.in_force,
                "status": st.status,
                "signoff_due": st.signoff_due,
                "signoff_overdue": view.overdue,
                "disputes": [
                    {
                        "id": d.pk,
                        "lines": d.lines,
                        "reason": d.reason,
                        "raised_by": d.raised_by_name,
                        "raised_at": d.raised_at,
                        "decision": d.decision,
                        "decided_by": d.decided_by_name,
                        "decided_at": d.decided_at,
                        "decision_note": d.decision_note,
                        "attachments": [
                            {
                                "id": a.pk,
                                "name": a.name,
                                "content_type": a.content_type,
                                "size": a.size,
                                "sha256": a.sha256,
                                "url": reverse("contracts:dispute-attachment", args=[a.pk]),
                            }
                            for a in d.attachments.all()
                        ],
                        **({"client_note": d.client_note} if view.show_client_notes else {}),
                    }
                    for d in view.disputes
                ],
                "events": [{"at": e.at, "by": e.actor_name, "side": e.side, "text": e.text} for e in view.events],
            }
            if st
            else {}
        ),
    }
