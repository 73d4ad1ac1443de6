"""One way to send a person an e-mail from a template pair: `<template>_subject.txt` and `<template>.txt`,
rendered in the person's language (templates of e-mails turn autoescape off themselves)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_to_user(user, template: str, context: dict, attachments: list[tuple[str, bytes, str]] = ()) -> None:
    if not (user and user.is_active and user.email):
        return
    with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
        context = {**context, "user": user, "base_url": settings.BASE_URL}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject, text, to=[user.email])
    for attachment in attachments:
        message.attach(*attachment)
    message.send()
