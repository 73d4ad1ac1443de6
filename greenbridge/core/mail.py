"""One way to send an e-mail from a template pair: `<template>_subject.txt` and `<template>.txt`, rendered in the
reader's language (templates of e-mails turn autoescape off themselves): a person's (`send_to_user`), or an
address's with no account behind it yet (`send_to_address`, e.g. an invitation)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_to_address(
    email: str,
    template: str,
    context: dict,
    *,
    language: str = "",
    attachments: list[tuple[str, bytes, str]] = (),
    cc: list[str] = (),
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> None:
    """`language`: the reader's, when known; else the site's. `headers`: threading headers (Message-ID,
    In-Reply-To, References) and the like; `from_email`: else DEFAULT_FROM_EMAIL."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"base_url": settings.BASE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
    message = EmailMessage(subject, text, from_email=from_email, to=[email], cc=list(cc), headers=headers)
    for attachment in attachments:
        message.attach(*attachment)
    message.send()


def language_of(user) -> str:
    """The language a person reads the site in (core.http.ReaderLanguageMiddleware), else the site's."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def send_to_user(user, template: str, context: dict, attachments: list[tuple[str, bytes, str]] = ()) -> None:
    """`attachments`: (name, content, type); content may be a function, then made in the reader's language too
    (a calendar entry's place, "Chișinău, Moldova")."""
    if not (user and user.is_active and user.email):
        return
    language = language_of(user)
    with translation.override(language):
        attachments = [(name, content() if callable(content) else content, kind) for name, content, kind in attachments]
    send_to_address(user.email, template, {**context, "user": user}, language=language, attachments=attachments)
