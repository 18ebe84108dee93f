"""Loading the demo sends no mail: its past reminders go to the inboxes, not over the logins table."""

from __future__ import annotations

from django.core.mail import send_mail

from concord.demo.steps import _no_mail_sent


def test_mail_inside_the_demo_build_is_not_printed_and_the_backend_comes_back(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    with _no_mail_sent():
        send_mail("Overdue: acknowledge Returns", "body", None, ["agent@example.com"])
    assert capsys.readouterr().out == ""
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
    send_mail("After the demo", "body", None, ["agent@example.com"])
    assert "After the demo" in capsys.readouterr().out
