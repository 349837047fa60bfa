"""Background work of the citizens app: telling the reporter by e-mail that their item was answered, moved to
another organization, transferred to the competent authority or rejected.

Only for a reporter who left an address and agreed to the processing of their data; in Vietnamese (the citizen
has no account, hence no language of their own); only the public text of the step (the answer or the reason the
citizen is meant to read), never internal notes, never the handlers' names.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import FeedbackUpdate, UpdateKind

REPORTER_LANGUAGE = "vi"
EMAILED_STEPS = (UpdateKind.ANSWERED, UpdateKind.REASSIGNED, UpdateKind.TRANSFERRED, UpdateKind.REJECTED)


def tracking_url(code: str) -> str:
    return f"{settings.COSO_SITE_URL.rstrip('/')}{reverse('citizens:track', args=[code])}"


def reporter_message(update: FeedbackUpdate) -> tuple[str, str]:
    """The subject and body of the e-mail about `update`, in the active language."""
    feedback = update.feedback
    code = feedback.code
    if update.kind == UpdateKind.ANSWERED:
        subject = _("Your report %(code)s has been answered") % {"code": code}
        lead = _("Your report has been answered:")
        follow = _("Read the answer and rate it (1 to 5 stars) on this page:")
    elif update.kind == UpdateKind.REASSIGNED:
        subject = _("Your report %(code)s was moved to another organization") % {"code": code}
        lead = _("Your report is now handled by %(org)s. The reason:") % {
            "org": update.organization.name if update.organization else ""
        }
        follow = _("Follow your report on this page:")
    elif update.kind == UpdateKind.TRANSFERRED:
        subject = _("Your report %(code)s was transferred to the competent authority") % {"code": code}
        lead = _("Your report is outside our competence and was passed on:")
        follow = _("Follow your report on this page:")
    else:
        subject = _("Your report %(code)s was not accepted for handling") % {"code": code}
        lead = _("Your report was not accepted for handling. The reason:")
        follow = _("Read the details on this page:")
    name = feedback.reporter_name.strip()
    greeting = _("Dear %(name)s,") % {"name": name} if name else _("Hello,")
    body = "\n\n".join(
        [
            greeting,
            lead,
            update.text.strip(),
            f"{follow}\n{tracking_url(code)}",
            _("Your tracking code: %(code)s") % {"code": code},
            _(
                "You receive this e-mail because you left your address, with your consent, when you sent the "
                "report. Please do not reply to it."
            ),
        ]
    )
    return subject, body


@task()
def citizens_reporter_email(update_id: int) -> bool:
    """E-mail the reporter about one step of their item; returns whether an e-mail was sent.

    Idempotent: each step is e-mailed at most once, so a retried task sends nothing twice.
    """
    update = (
        FeedbackUpdate.objects.select_related("feedback", "organization")
        .filter(pk=update_id, reporter_emailed_at__isnull=True, public=True, kind__in=EMAILED_STEPS)
        .first()
    )
    if update is None:
        return False
    feedback = update.feedback
    if not feedback.reporter_email or feedback.consent_at is None:
        return False
    with translation.override(REPORTER_LANGUAGE):
        subject, body = reporter_message(update)
    send_mail(subject, body, None, [feedback.reporter_email], fail_silently=False)
    FeedbackUpdate.objects.filter(pk=update.pk).update(reporter_emailed_at=timezone.now())
    return True
