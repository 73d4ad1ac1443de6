"""One-click ratings from the resolution e-mail: five signed links that work without signing in; the page they open
has the score chosen and saves only when sent (a mail scanner opening every link rates nothing); altered, foreign
and expired links are refused in words with nothing changed."""

import re
import time

import pytest
from django.conf import settings
from django.core import mail, signing
from django.urls import reverse

from greenbridge.helpdesk import satisfaction
from greenbridge.helpdesk.models import Queue, Ticket, TicketChange
from greenbridge.helpdesk.services import change, ticket_open


@pytest.fixture
def resolved(orgs, users, django_capture_on_commit_callbacks):
    queue = Queue.objects.create(organisation=orgs["cluster"], slug="rating", name="Procurement", acknowledge=False)
    ticket = ticket_open(
        queue=queue, subject="ESPD", text="Which parts?", requester=users["sme"], organisation=orgs["sme"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        change(ticket=ticket, user=users["advisor"], status="resolved")
    ticket.refresh_from_db()
    return ticket


def links(ticket) -> dict[int, str]:
    (sent,) = mail.outbox
    assert sent.subject == f"[{ticket.reference}] ESPD"
    found = dict(re.findall(rf"^(\d) ★ {re.escape(settings.BASE_URL)}(\S+)$", sent.body, re.MULTILINE))
    return {int(score): path for score, path in found.items()}


def ratings_logged(ticket) -> int:
    return TicketChange.objects.filter(ticket=ticket, field="satisfaction").count()


def test_the_resolution_email_carries_five_links_and_opening_one_saves_nothing(client, resolved):
    found = links(resolved)
    assert sorted(found) == [1, 2, 3, 4, 5]
    token = found[4].rstrip("/").rsplit("/", 1)[1]
    assert found[4] == reverse("helpdesk:rate_by_link", args=[resolved.pk, 4, token])
    assert satisfaction.ticket_of_token(token) == resolved.pk
    # A mail scanner (or the person) opens every link: nothing is saved.
    for path in found.values():
        assert client.get(path).status_code == 200
    resolved.refresh_from_db()
    assert resolved.satisfaction is None
    assert ratings_logged(resolved) == 0

    page = client.get(found[4]).content.decode()
    assert re.search(r'<input type="radio" name="score" value="4"[^>]* checked', page)
    assert resolved.subject in page


def test_sending_the_page_saves_the_rating_without_signing_in(client, resolved):
    path = links(resolved)[4]
    response = client.post(path, {"score": "4", "comment": "  Clear, thank you.  "})
    assert response.status_code == 200
    assert "your rating is saved" in response.content.decode()
    resolved.refresh_from_db()
    assert (resolved.satisfaction, resolved.satisfaction_comment) == (4, "Clear, thank you.")
    change_row = TicketChange.objects.get(ticket=resolved, field="satisfaction")
    assert (change_row.actor, change_row.new) == (None, "4")


def test_a_rating_given_is_shown_and_may_be_changed(client, resolved):
    path = links(resolved)[5]
    client.post(path, {"score": "2", "comment": "Slow."})
    page = client.get(path).content.decode()
    assert "You rated it 2 of 5" in page
    assert "Slow." in page  # the comment, to change or keep
    client.post(path, {"score": "5", "comment": "Slow, but right."})
    resolved.refresh_from_db()
    assert (resolved.satisfaction, resolved.satisfaction_comment) == (5, "Slow, but right.")
    assert ratings_logged(resolved) == 2


def test_an_altered_link_is_refused(client, resolved):
    token = satisfaction.rating_token(resolved)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "not-a-token", token.replace(str(resolved.pk), "9")):
        for method in (client.get, client.post):
            response = method(reverse("helpdesk:rate_by_link", args=[resolved.pk, 5, bad]), {"score": "5"})
            assert response.status_code == 400, bad
            assert "not complete or was changed" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.satisfaction is None


def test_a_link_of_another_ticket_is_refused(client, resolved, orgs, users):
    other = ticket_open(queue=resolved.queue, subject="Other", text="?", requester=users["other_sme"])
    token = satisfaction.rating_token(other)
    response = client.post(reverse("helpdesk:rate_by_link", args=[resolved.pk, 5, token]), {"score": "5"})
    assert response.status_code == 400
    resolved.refresh_from_db()
    assert resolved.satisfaction is None


class _MonthOldSigner(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - satisfaction.RATING_MAX_AGE - 60)


def test_an_expired_link_is_refused(client, resolved):
    token = _MonthOldSigner(salt=satisfaction.RATING_SALT).sign(str(resolved.pk))
    path = reverse("helpdesk:rate_by_link", args=[resolved.pk, 5, token])
    for response in (client.get(path), client.post(path, {"score": "5"})):
        assert response.status_code == 400
        assert "more than 30 days old" in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.satisfaction is None


def test_a_link_to_a_ticket_no_more_there_is_not_found(client, resolved):
    path = links(resolved)[3]
    Ticket.objects.filter(pk=resolved.pk).delete()
    assert client.get(path).status_code == 404


def test_a_question_opened_again_is_rated_once_resolved_again(client, resolved, users):
    path = links(resolved)[5]
    change(ticket=resolved, user=users["advisor"], status="open")
    response = client.get(path)
    assert (response.status_code, "opened again" in response.content.decode()) == (200, True)
    assert client.post(path, {"score": "5"}).status_code == 409
    resolved.refresh_from_db()
    assert resolved.satisfaction is None


def test_a_score_out_of_range_or_missing_is_asked_again(client, resolved):
    path = reverse("helpdesk:rate_by_link", args=[resolved.pk, 9, satisfaction.rating_token(resolved)])
    page = client.get(path).content.decode()
    assert " checked" not in page
    response = client.post(path, {"score": "9"})
    assert response.status_code == 400
    resolved.refresh_from_db()
    assert resolved.satisfaction is None
