"""Tables and JSON of SLA reports: the page, the exports and the API show the same numbers."""

from __future__ import annotations

from concord.performance.exports import TableData

from .selectors import MonthReport


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
            "value",
            "numerator",
            "denominator",
            "volume",
            "minimum volume",
            "allocation %",
            f"credit ({report.contract.currency})",
            "earned back",
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
                r.value if r else None,
                r.numerator if r else None,
                r.denominator if r else None,
                r.volume if r else None,
                s.min_volume,
                float(s.allocation_percent),
                float(r.credit) if r else None,
                r.earned_back if r else None,
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
                        "note": line.result.note,
                    }
                    if line.result
                    else {"status": "not computed"}
                ),
            }
            for line in report.lines
        ],
    }
