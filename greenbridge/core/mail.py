"""One way to send an e-mail from a template pair: `<template>_subject.txt` and `<template>.txt`, rendered in the
reader's language (templates of e-mails turn autoescape off themselves): a person's (`send_to_user`), or an
address's with no account behind it yet (`send_to_address`, e.g. an invitation)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_to_address(
    email: str, template: str, context: dict, *, language: str = "", attachments: list[tuple[str, bytes, str]] = ()
) -> None:
    """`language`: the reader's, when known; else the site's."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"base_url": settings.BASE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject, text, to=[email])
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def send_to_user(user, template: str, context: dict, attachments: list[tuple[str, bytes, str]] = ()) -> None:
    if not (user and user.is_active and user.email):
        return
    send_to_address(
        user.email,
        template,
        {**context, "user": user},
        language=getattr(user, "language", "") or "",
        attachments=attachments,
    )
