"""What people read on the SLA report and the SLA form (issue #10.6): counts without decimals, thousands
separators, no Python reprs. Found walking the demo: '34170.00' contacts, "(default ('voice', 'chat'))"."""

from __future__ import annotations

import datetime as dt

from concord.contracts import services
from concord.contracts.forms import _params_help
from concord.contracts.models import SLAResult

from .conftest import make_contract


def test_the_report_shows_counts_as_counts_and_sums_with_separators(world, lake_uri, login):
    admin = world.users["client_admin"]
    contract = make_contract(world, world.partner_a)
    services.compute_month(actor=admin, contract=contract, period=dt.date(2026, 5, 1))
    page = login(admin).get(f"/contracts/{contract.pk}/report/", {"period": "2026-05"}).content.decode()
    may = SLAResult.objects.filter(sla__contract=contract, period=dt.date(2026, 5, 1))
    results = list(may.exclude(denominator=None))
    assert results
    for r in results:
        # a whole number reads without decimals; a sum of seconds keeps its two, grouped by thousands
        for figure in (r.numerator, r.denominator):
            text = f"{figure:,.0f}" if float(figure).is_integer() else f"{figure:,.2f}"
            assert f'<td class="num">{text}</td>' in page, (r, text)
        assert f'<td class="num">{r.volume:,}' in page


def test_the_sla_form_names_parameter_defaults_in_words():
    text = _params_help()
    assert "service_level: threshold_seconds (default 20)" in text
    assert "channels (default voice, chat)" in text and "reason (default none)" in text
    assert "('" not in text and "(default )" not in text and "None" not in text
