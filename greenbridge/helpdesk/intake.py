"""Mail in: an RFC 822 message becomes a ticket, a message of a ticket, or a quarantined mail with the reason —
never an exception that stops the intake, never a message lost.

- Reading: the standard library's parser with the modern policy; a part in an unknown or wrong charset is decoded
  with replacement characters rather than refused. The text shown is the plain part (else the HTML's text), with
  quoted history ("> …", "On … wrote:") and the signature ("-- ") trimmed; the full text is kept beside it. HTML is
  sanitised (nh3: no script, no style, no event attributes) and its remote images are dropped (never loaded
  without consent).
- Threading: In-Reply-To and References against the Message-IDs of the queue's tickets, then the reference in the
  subject ("[GB-000042]"); anything else opens a ticket.
- Who: a sender with an account is linked to it and to its company; an unknown sender opens a ticket only in a
  queue open to anyone, else the mail is quarantined. A mail without a sender is quarantined.
- Automatic mail (Auto-Submitted, Precedence bulk/junk/list, delivery reports, the platform's own messages) is
  recorded on its ticket, never acknowledged and never reopens one; on no ticket it is quarantined.
- Attachments: at most MAX_UPLOAD_MB each, their type read from their content (filetype), programs and scripts
  refused; stored privately. What was left out is said in the message.
- A message whose Message-ID the queue already has is stored once.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html import unescape

import nh3
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from greenbridge.core.errors import Refused

from . import attachments, selectors, services
from .models import REFERENCE_PREFIX, Message, QuarantinedMail, Queue, Ticket

log = logging.getLogger(__name__)

REFERENCE_RE = re.compile(rf"\[{re.escape(REFERENCE_PREFIX)}(\d{{1,9}})\]")
# What a requester writes, alone, to close its question by e-mail (the e-mails say "reply CLOSE").
CLOSE_WORDS = {"close", "closed", "solved", "resolved", "inchide", "închide", "închis", "inchis", "rezolvat"}
CLOSE_WORDS |= {"закрити", "закрито", "вирішено", "fermer", "fermé", "ferme", "résolu", "resolu"}
MAX_RAW = 50 * 1024 * 1024  # a message larger than this is quarantined whole
# The line a mail client writes above the quoted history (English, French, Romanian, Ukrainian; Outlook's).
QUOTE_HEADER_RE = re.compile(
    r"^\s*(On .{3,200} wrote:|Le .{3,200} a écrit\s*:|În .{3,200} a scris:|.{3,200} пише:"
    r"|-----Original Message-----)\s*$",
    re.IGNORECASE,
)


@dataclass
class Incoming:
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_name: str = ""
    from_email: str = ""
    cc: list[str] = field(default_factory=list)
    text: str = ""
    full_text: str = ""
    html: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # attachments left out, with why
    automatic: bool = False
    language: str = ""


@dataclass
class Received:
    ticket: Ticket | None = None
    message: Message | None = None
    quarantined: QuarantinedMail | None = None
    duplicate: bool = False
    opened: bool = False


def _language_of(queue: Queue) -> str:
    """The language of a queue's tickets: the files left out of a mail are said in its message in it, for the
    company and the staff (the intake runs outside any request)."""
    return queue.languages[0] if queue.languages else settings.LANGUAGE_CODE


def parse(raw: bytes, language: str = "") -> Incoming:
    """What a message says, as well as it can be read (the files left out said in `language`, else the active
    one). Raises ValueError only for what is not a message at all."""
    if not raw.strip():
        raise ValueError(gettext_noop("an empty message"))
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    if not msg.keys():
        raise ValueError(gettext_noop("no headers: not an e-mail message"))
    found = Incoming()
    found.message_id = _header(msg, "Message-ID")
    found.in_reply_to = _header(msg, "In-Reply-To")
    found.references = _header(msg, "References").split()
    found.subject = " ".join(_header(msg, "Subject").split())[:250]
    name, address = parseaddr(_header(msg, "From"))
    found.from_name, found.from_email = name[:200], address.strip().lower()[:254]
    found.cc = [a.lower() for _, a in getaddresses([_header(msg, "Cc")]) if "@" in a][:20]
    found.language = _header(msg, "Content-Language")[:8]
    found.automatic = _automatic(msg)
    plain, html = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        kind = part.get_content_type()
        if disposition == "attachment" or (disposition == "inline" and part.get_filename()):
            _attachment(part, found, language)
        elif kind == "text/plain":
            plain.append(_text_of(part))
        elif kind == "text/html":
            html.append(_text_of(part))
        elif kind.startswith(("image/", "application/")) and part.get_filename():
            _attachment(part, found, language)
    if html:
        found.html = sanitise("\n".join(html))
    full = "\n".join(plain).strip() or html_to_text("\n".join(html))
    found.full_text = full
    found.text = trim(full)
    return found


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name, "")
        return str(value or "").strip()
    except Exception:  # a header the parser cannot decode: its raw bytes, as far as they go
        raw = msg.get_all(name, failobj=[])
        return str(raw[0]).strip() if raw else ""


def _text_of(part) -> str:
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def _automatic(msg: EmailMessage) -> bool:
    submitted = _header(msg, "Auto-Submitted").lower()
    precedence = _header(msg, "Precedence").lower()
    return (
        (submitted != "" and submitted != "no")
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or bool(
            _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond") or _header(msg, "X-Auto-Response-Suppress")
        )
        or msg.get_content_type() == "multipart/report"
        or _header(msg, "Return-Path") == "<>"
        or parseaddr(_header(msg, "From"))[1].lower().startswith(("mailer-daemon@", "postmaster@"))
    )


def _attachment(part, found: Incoming, language: str = "") -> None:
    if language:
        with translation.override(language):
            _attachment(part, found)
        return
    filename = part.get_filename() or "attachment"
    try:
        data = part.get_payload(decode=True) or b""
    except Exception:
        found.refused.append(_("%(name)s: could not be decoded") % {"name": filename[:200]})
        return
    try:
        found.attachments.append(attachments.checked(filename, data, part.get_content_type()))
    except Refused as exc:
        found.refused.append(str(exc))


def sanitise(html: str) -> str:
    """HTML safe to show: nh3's default tags, no remote images (an image's address tells the sender it was read)."""
    cleaned = nh3.clean(html, tags=nh3.ALLOWED_TAGS - {"img"}, link_rel="noopener noreferrer nofollow")
    return cleaned.strip()


def html_to_text(html: str) -> str:
    text = nh3.clean(re.sub(r"(?i)<\s*(br|/p|/div|/li|/tr|/h\d)\s*/?>", "\n", html), tags=set())
    return re.sub(r"\n{3,}", "\n\n", unescape(text)).strip()


def trim(text: str) -> str:
    """The new part of a reply: up to the quoted history or the signature. The whole text when that leaves nothing."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for line in lines:
        if line.rstrip() in {"--", "-- "} or QUOTE_HEADER_RE.match(line):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    shown = "\n".join(kept).strip()
    return shown or text.strip()


def receive(queue: Queue, raw: bytes) -> Received:
    """One message for a queue: stored once, threaded, or quarantined with the reason. Never raises for the mail's
    sake (a fault of ours is logged and the mail quarantined, so that the next one is read)."""
    try:
        return _receive(queue, raw)
    except Exception as exc:  # one bad message must not stop the intake
        log.exception("mail for queue %s could not be taken in", queue.slug)
        why = gettext_noop("could not be read (a fault of GreenBridge's, in its log)")
        return Received(
            quarantined=quarantine(queue, raw, why, _headers_of(queue, raw), f"{type(exc).__name__}: {exc}")
        )


def _headers_of(queue: Queue, raw: bytes) -> Incoming | None:
    """The mail as far as it can be read, for its sender and subject beside a fault of ours (none if it cannot)."""
    try:
        return parse(raw[:MAX_RAW], language=_language_of(queue))
    except Exception:  # the fault may be in reading it
        return None


def _receive(queue: Queue, raw: bytes) -> Received:
    if len(raw) > MAX_RAW:
        return Received(quarantined=quarantine(queue, raw[:MAX_RAW], gettext_noop("larger than 50 MB")))
    try:
        mail = parse(raw, language=_language_of(queue))
    except ValueError as exc:
        return Received(quarantined=quarantine(queue, raw, str(exc)))
    message_id = mail.message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()}@greenbridge.invalid>"
    mail.message_id = message_id[:500]
    if Message.objects.filter(ticket__queue=queue, message_id=mail.message_id).exists() or (
        QuarantinedMail.objects.filter(queue=queue, message_id=mail.message_id).exists()
    ):
        return Received(duplicate=True)
    if not mail.from_email or "@" not in mail.from_email:
        return Received(quarantined=quarantine(queue, raw, gettext_noop("no sender"), mail))
    if queue.email and mail.from_email == queue.email.lower():
        return Received(
            quarantined=quarantine(queue, raw, gettext_noop("sent by this help desk itself (a loop)"), mail)
        )
    ticket = _thread(queue, mail)
    user = get_user_model().objects.filter(email__iexact=mail.from_email, is_active=True).first()
    with transaction.atomic():
        if ticket is None:
            if mail.automatic:
                return Received(
                    quarantined=quarantine(queue, raw, gettext_noop("an automatic reply to no ticket"), mail)
                )
            if not queue.public and not _may_ask(user, queue):
                if user is None:
                    why = gettext_noop("a sender this help desk does not know")
                else:
                    why = gettext_noop("a sender of no member company")
                return Received(quarantined=quarantine(queue, raw, why, mail))
            ticket = _open(queue, mail, raw, user)
            return Received(ticket=ticket, message=ticket.messages.get(), opened=True)
        message = services.requester_reply(
            ticket=ticket,
            text=mail.text,
            user=user,
            email=mail.from_email,
            name=mail.from_name,
            html=mail.html,
            full_text=mail.full_text if mail.full_text != mail.text else "",
            message_id=mail.message_id,
            in_reply_to=mail.in_reply_to[:500],
            automatic=mail.automatic,
            close=not mail.automatic and asks_to_close(mail.text),
        )
        _store(message, raw, mail)
    return Received(ticket=ticket, message=message)


def asks_to_close(text: str) -> bool:
    """A reply that says only "close" (in a language the help desks answer in): the requester closes the question by
    e-mail, as with the page's button. Nothing else closes one: "Closed? No!" is a question."""
    return " ".join(re.findall(r"\w+", text.casefold())) in CLOSE_WORDS


def _may_ask(user, queue: Queue) -> bool:
    """A members-only queue takes new questions from the people of its cluster's member companies (as on the web)
    and from its own staff, not from any account."""
    if user is None:
        return False
    company = selectors.company_of(user)
    return (
        selectors.queues_open_to(user, company).filter(pk=queue.pk).exists()
        or selectors.queues_staffed_by(user).filter(pk=queue.pk).exists()
    )


def _open(queue: Queue, mail: Incoming, raw: bytes, user) -> Ticket:
    ticket = services.ticket_open(
        queue=queue,
        subject=mail.subject,
        text=mail.text or _("(no text)"),
        requester=user,
        email=mail.from_email,
        name=mail.from_name,
        organisation=selectors.company_of(user),
        language=mail.language,
        message_id=mail.message_id,
        html=mail.html,
        full_text=mail.full_text if mail.full_text != mail.text else "",
    )
    _store(ticket.messages.get(), raw, mail)
    return ticket


@transaction.atomic
def release(kept: QuarantinedMail, *, by) -> Ticket:
    """The queue's staff take in a quarantined mail after all (a newcomer writing to a members-only queue, an
    automatic reply someone should read): it opens a ticket as if it had been accepted. Refused in words when the
    mail cannot be read or has no sender to answer."""
    kept = QuarantinedMail.objects.select_for_update().select_related("queue").get(pk=kept.pk)
    if kept.released:
        raise Refused(_("This message was already taken in."))
    with kept.raw.open("rb") as f:
        raw = f.read()
    try:
        mail = parse(raw, language=_language_of(kept.queue))
    except ValueError as exc:
        raise Refused(_("This message cannot be read: %(problem)s") % {"problem": _(str(exc))}) from exc
    if not mail.from_email or "@" not in mail.from_email:
        raise Refused(_("This message has no sender to answer."))
    mail.message_id = (mail.message_id or f"<quarantine-{kept.pk}@greenbridge.invalid>")[:500]
    if Message.objects.filter(ticket__queue=kept.queue, message_id=mail.message_id).exists():
        raise Refused(_("This message is already part of a ticket."))
    user = get_user_model().objects.filter(email__iexact=mail.from_email, is_active=True).first()
    ticket = _open(kept.queue, mail, raw, user)
    services.log_change(ticket=ticket, user=by, field="quarantine", old=kept.reason, new="released")
    kept.released = True
    kept.save(update_fields=["released"])
    return ticket


def _thread(queue: Queue, mail: Incoming) -> Ticket | None:
    ids = [i for i in [mail.in_reply_to, *reversed(mail.references)] if i][:50]
    if ids:
        found = Message.objects.filter(ticket__queue=queue, message_id__in=ids).select_related("ticket").first()
        if found is not None:
            return _surviving(found.ticket)
    if match := REFERENCE_RE.search(mail.subject):
        return _surviving(Ticket.objects.filter(queue=queue, pk=int(match.group(1))).first())
    return None


def _surviving(ticket: Ticket | None) -> Ticket | None:
    """A reply to a ticket that was merged goes to the one it was merged into."""
    for _hop in range(10):
        if ticket is None or ticket.merged_into_id is None:
            return ticket
        ticket = ticket.merged_into
    return ticket


def _store(message: Message, raw: bytes, mail: Incoming) -> None:
    message.raw.save(f"{message.pk}.eml", ContentFile(raw), save=False)
    if mail.refused:
        with translation.override(_language_of(message.ticket.queue)):  # the language its reasons are said in
            message.text += "\n\n" + _("Left out: %(what)s") % {"what": "; ".join(mail.refused)}
    message.save(update_fields=["raw", "text"])
    attachments.save(message, mail.attachments)


def quarantine(
    queue: Queue, raw: bytes, reason: str, mail: Incoming | None = None, detail: str = ""
) -> QuarantinedMail:
    """Kept aside with the reason, in English as written in the code (gettext_noop): the mail page translates it
    into the reader's language, whichever language the intake ran in. An error's own words, which no catalogue
    holds, go in `detail`, shown as they are beside it."""
    kept = QuarantinedMail(
        queue=queue,
        reason=str(reason)[:300],
        detail=detail[:300],
        from_header=(f"{mail.from_name} <{mail.from_email}>" if mail else "")[:300],
        subject=(mail.subject if mail else "")[:300],
        message_id=(mail.message_id if mail else "")[:500],
    )
    kept.raw.save("mail.eml", ContentFile(raw), save=False)
    kept.save()
    log.info("mail for queue %s quarantined: %s", queue.slug, reason)
    return kept


def discard(kept: QuarantinedMail) -> None:
    """A quarantined mail nobody needs (spam, a bounce): gone, with its raw message."""
    log.info("quarantined mail %s of queue %s discarded", kept.pk, kept.queue_id)
    kept.raw.delete(save=False)
    kept.delete()
