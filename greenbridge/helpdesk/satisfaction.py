"""The one-click ratings of the resolution e-mail: five links (1 to 5), each carrying a token signed for the ticket
(django.core.signing's TimestampSigner with a salt of its own), that work without signing in for 30 days.

A link opens a page with its score chosen and a comment box; the rating is saved only when that page is sent
(a POST). Mail scanners (Safe Links, Proofpoint and the like) open every link of an e-mail before the person
does: saving on the GET would record whichever of the five links a scanner fetched last, so even an idempotent GET
would store a wrong rating. The same choice as the portfolio's rating links (portfolio/mail.py).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Ticket

RATING_SALT = "helpdesk.rating"
RATING_MAX_AGE = 30 * 24 * 3600  # a rating link works for 30 days
SCORES = range(1, 6)


class LinkExpired(Exception):
    """A rating link older than RATING_MAX_AGE."""


class LinkInvalid(Exception):
    """A rating link altered, cut short or made up."""


def rating_token(ticket: Ticket) -> str:
    return signing.TimestampSigner(salt=RATING_SALT).sign(str(ticket.pk))


def ticket_of_token(token: str) -> int:
    """The id of the ticket a rating link is for; LinkExpired or LinkInvalid when it cannot be used."""
    signer = signing.TimestampSigner(salt=RATING_SALT)
    try:
        value = signer.unsign(token, max_age=RATING_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    if not value.isdigit():
        raise LinkInvalid
    return int(value)


def rating_links(ticket: Ticket) -> list[tuple[int, str]]:
    """(score, absolute URL) for each score, for the resolution e-mail."""
    token = rating_token(ticket)
    return [
        (score, f"{settings.BASE_URL}{reverse('helpdesk:rate_by_link', args=[ticket.pk, score, token])}")
        for score in SCORES
    ]
