"""The knowledge base on the web: who reads what, suggestions under a ticket's subject (never another cluster's
internal article), "was this helpful?", questions answered without a ticket, a reply made into an article, and the
staff's pages with their bounds."""

import pytest
from django.urls import reverse

from greenbridge.helpdesk.models import Message, Ticket
from greenbridge.helpdesk.services import reply, ticket_open
from greenbridge.knowledge import selectors
from greenbridge.knowledge.models import TITLE_MAX, Article, Deflection, Vote
from tests.conftest import form_data


def url(article: Article, name: str = "article") -> str:
    return reverse(f"knowledge:{name}", kwargs={"org": article.organisation.slug, "slug": article.slug})


def suggest(client, queue, subject: str) -> str:
    response = client.get(reverse("helpdesk:suggest"), {"queue": queue.pk, "subject": subject}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_new_ticket_page_asks_for_suggestions_as_the_subject_is_typed(client_for, kb):
    page = client_for("sme").get(reverse("helpdesk:new")).content.decode()
    assert 'hx-get="/help/new/articles/"' in page
    assert 'hx-trigger="keyup changed delay:300ms"' in page
    assert 'id="kb-suggestions"' in page


def test_suggestions_are_the_queues_organisations_articles_the_requester_may_read(client_for, kb, users):
    sme = client_for("sme")
    html = suggest(sme, kb.queue, "Which parts of the ESPD are mine?")
    assert "Quokka guide to the ESPD" in html
    assert f'href="{url(kb.en)}?asked=Which%20parts%20of%20the%20ESPD%20are%20mine%3F"' in html
    # Never the internal ones for a company, never another cluster's, never a draft.
    for hidden in (kb.internal, kb.other_internal, kb.other_public, kb.draft):
        assert hidden.title not in html
    # The cluster's advisor, asking its own queue (open to anyone), also sees its internal article; never the other
    # cluster's.
    kb.queue.public = True
    kb.queue.save()
    advisor_html = suggest(client_for("advisor"), kb.queue, "ESPD")
    assert "Quokka checklist for advisors: ESPD questions" in advisor_html
    assert "Quokka ESPD secrets of the Prut cluster" not in advisor_html
    # The other cluster's queue (the SME is its member too): its public article only.
    other_html = suggest(sme, kb.other_queue, "ESPD")
    assert "Quokka ESPD tips from the Prut cluster" in other_html
    assert "Quokka ESPD secrets of the Prut cluster" not in other_html
    assert "Quokka guide to the ESPD" not in other_html


def test_suggestions_need_a_queue_the_requester_may_ask(client_for, kb):
    # The procurer's person belongs to no cluster: the cluster's (non-public) queue is not theirs to ask.
    html = suggest(client_for("procurer"), kb.queue, "ESPD")
    assert "<li>" not in html
    assert suggest(client_for("sme"), kb.queue, "").count("<li>") == 0
    response = client_for("sme").get(reverse("helpdesk:suggest"), {"queue": "99999999999999999999", "subject": "ESPD"})
    assert response.status_code == 200
    assert "<li>" not in response.content.decode()


def test_an_answered_question_counts_and_is_not_withdrawn_by_a_later_ticket(client_for, kb, users):
    sme = client_for("sme")
    page = sme.get(url(kb.en), {"asked": "ESPD parts?"}).content.decode()
    assert "Did this answer your question?" in page
    response = sme.post(url(kb.en, "answered"))
    assert response.url == reverse("knowledge:base", kwargs={"org": kb.en.organisation.slug})
    deflection = Deflection.objects.get()
    assert (deflection.article, deflection.user, deflection.via, deflection.query) == (
        kb.en,
        users["sme"],
        "answered",
        "ESPD parts?",
    )
    sme.post(url(kb.en, "answered"))  # twice: still one
    assert selectors.deflection_count(organisation=kb.en.organisation) == 1
    sme.post(reverse("helpdesk:new"), {"queue": kb.queue.pk, "subject": "Another question", "text": "About lots."})
    assert selectors.deflection_count(organisation=kb.en.organisation) == 1
    manage = client_for("advisor").get(reverse("knowledge:manage", kwargs={"org": kb.en.organisation.slug}))
    assert "Questions answered by an article without a ticket: 1 this month, 1 in all." in manage.content.decode()


def test_control_characters_in_addresses_and_typed_words_are_harmless(client_for, kb):
    sme = client_for("sme")
    org = kb.en.organisation.slug
    assert sme.get(f"/help/articles/{org}/quokka%00guide/").status_code == 404
    # A NUL character, which no page sends, is a bad request (core.http.NullCharacterMiddleware); other control
    # characters are left out of what is kept.
    assert sme.get(url(kb.en), {"asked": "ESPD\x00 parts"}).status_code == 400
    sme.get(url(kb.en), {"asked": "ESPD parts\x07"})
    sme.post(url(kb.en, "answered"))
    assert Deflection.objects.get().query == "ESPD parts"


def test_answered_without_a_suggestion_counts_nothing(client_for, kb):
    sme = client_for("sme")
    sme.get(url(kb.en))
    assert sme.post(url(kb.en, "answered")).status_code == 302
    assert Deflection.objects.count() == 0


def test_a_helpful_vote_on_a_suggestion_counts_until_a_ticket_follows(client_for, kb, users):
    sme = client_for("sme")
    sme.get(url(kb.ro), {"asked": "DUAE?"})
    response = sme.post(url(kb.ro, "vote"), {"helpful": "yes"}, HTTP_HX_REQUEST="true")
    assert "Thank you for telling us." in response.content.decode()
    assert list(Deflection.objects.values_list("via", "query")) == [("vote", "DUAE?")]
    # Changing one's mind takes it back; yes again counts again.
    sme.post(url(kb.ro, "vote"), {"helpful": "no"})
    assert Deflection.objects.count() == 0
    sme.post(url(kb.ro, "vote"), {"helpful": "yes"})
    assert Deflection.objects.count() == 1
    # The question is sent after all: the vote did not answer it.
    sme.post(reverse("helpdesk:new"), {"queue": kb.queue.pk, "subject": "DUAE signature", "text": "How to sign?"})
    assert Ticket.objects.filter(subject="DUAE signature").exists()
    assert Deflection.objects.count() == 0


def test_votes_one_per_person_or_visitor_session(client_for, kb, users):
    visitor, sme = client_for("anonymous"), client_for("sme")
    visitor.post(url(kb.en, "vote"), {"helpful": "yes"})
    visitor.post(url(kb.en, "vote"), {"helpful": "yes"})
    sme.post(url(kb.en, "vote"), {"helpful": "yes"})
    client_for("anonymous").post(url(kb.en, "vote"), {"helpful": "no"})  # another browser
    kb.en.refresh_from_db()
    assert (kb.en.helpful, kb.en.not_helpful, Vote.objects.filter(article=kb.en).count()) == (2, 1, 3)
    sme.post(url(kb.en, "vote"), {"helpful": "no"})
    kb.en.refresh_from_db()
    assert (kb.en.helpful, kb.en.not_helpful) == (1, 2)
    # Nonsense is refused, counts unchanged; no vote on what one may not read.
    assert sme.post(url(kb.en, "vote"), {"helpful": "maybe"}).status_code == 302
    assert sme.post(url(kb.internal, "vote"), {"helpful": "yes"}).status_code == 404
    assert Vote.objects.filter(article__in=[kb.en, kb.internal]).count() == 3


def test_views_are_counted_for_readers_not_for_the_staff(client_for, kb):
    client_for("anonymous").get(url(kb.en))
    client_for("sme").get(url(kb.en))
    client_for("advisor").get(url(kb.en))
    kb.en.refresh_from_db()
    assert kb.en.views == 2


def test_the_article_page_links_its_translations_and_renders_text_safely(client_for, kb, orgs):
    from greenbridge.knowledge import services

    services.article_update(article=kb.en, body="<script>alert(1)</script>\n\nSee https://ted.europa.eu for notices.")
    page = client_for("anonymous").get(url(kb.en)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://ted.europa.eu" rel="nofollow">https://ted.europa.eu</a>' in page
    assert f'href="{url(kb.ro)}" hreflang="ro"' in page
    assert f'href="{url(kb.uk)}" hreflang="uk"' in page


def test_the_knowledge_base_page_in_the_readers_language(client_for, kb):
    page = client_for("anonymous").get(
        reverse("knowledge:base", kwargs={"org": kb.en.organisation.slug}), HTTP_ACCEPT_LANGUAGE="ro"
    )
    html = page.content.decode()
    assert "Licitații în străinătate" in html
    assert "Ghidul quokka pentru DUAE (ESPD)" in html
    assert "Quokka guide to the ESPD" not in html
    assert "Quokka checklist" not in html
    searched = client_for("anonymous").get(reverse("knowledge:index"), {"q": "quokka"}).content.decode()
    assert "Prut Energy Cluster" in searched
    assert "secrets" not in searched


def test_a_public_reply_becomes_a_draft_article_once(client_for, kb, users, orgs):
    ticket = ticket_open(
        queue=kb.queue, subject="ESPD for Ungheni", text="Which parts?", requester=users["sme"],
        organisation=orgs["sme"], language="ro",
    )  # fmt: skip
    answer = reply(ticket=ticket, user=users["advisor"], text="Parts II, III and IV.α.")
    note = reply(ticket=ticket, user=users["advisor"], text="Same as last year.", internal=True)
    page = client_for("advisor").get(reverse("helpdesk:ticket", kwargs={"pk": ticket.pk})).content.decode()
    make = reverse("helpdesk:reply_to_article", kwargs={"pk": ticket.pk, "message_pk": answer.pk})
    assert f'action="{make}"' in page
    assert page.count("Make an article of this reply") == 1  # the public reply's, not the note's nor the question's
    response = client_for("advisor").post(make)
    article = Article.objects.get(origin=f"helpdesk.message:{answer.pk}")
    assert response.url == reverse("knowledge:edit", kwargs={"org": orgs["cluster"].slug, "pk": article.pk})
    assert (article.title, article.body, article.language, article.status, article.author) == (
        "ESPD for Ungheni",
        "Parts II, III and IV.α.",
        "ro",
        "draft",
        users["advisor"],
    )
    assert client_for("manager").post(make).url == response.url  # the same draft
    assert Article.objects.filter(origin__startswith="helpdesk.message:").count() == 1
    # The company may not; an internal note or the question is no reply; another cluster's staff see no ticket.
    assert client_for("sme").post(make).status_code == 403
    note_url = reverse("helpdesk:reply_to_article", kwargs={"pk": ticket.pk, "message_pk": note.pk})
    assert client_for("advisor").post(note_url).status_code == 404
    question = ticket.messages.get(kind=Message.Kind.INCOMING)
    question_url = reverse("helpdesk:reply_to_article", kwargs={"pk": ticket.pk, "message_pk": question.pk})
    assert client_for("advisor").post(question_url).status_code == 404
    sme_page = client_for("sme").get(reverse("helpdesk:ticket", kwargs={"pk": ticket.pk})).content.decode()
    assert "Make an article of this reply" not in sme_page


def test_staff_write_translate_and_publish(client_for, kb, orgs):
    advisor = client_for("advisor")
    org = orgs["cluster"].slug
    new = reverse("knowledge:new", kwargs={"org": org})
    data = form_data(advisor.get(new).content.decode())
    data.update(title=["Quokka bid bonds"], body=["A guarantee of your offer."], language=["en"])
    response = advisor.post(new, data)
    article = Article.objects.get(title="Quokka bid bonds")
    assert response.url == reverse("knowledge:edit", kwargs={"org": org, "pk": article.pk})
    assert (article.status, article.visibility, article.slug) == ("draft", "public", "quokka-bid-bonds")
    # A translation: the languages it has are not offered; the original's text is filled in.
    translate = reverse("knowledge:translate", kwargs={"org": org, "pk": article.pk})
    page = advisor.get(translate).content.decode()
    assert '<option value="en">English</option>' not in page
    assert '<option value="ro">Romanian</option>' in page
    data = form_data(page)
    assert data["body"] == ["A guarantee of your offer."]
    data.update(title=["Garanția de participare quokka"], body=["O garanție a ofertei."], language=["ro"])
    advisor.post(translate, data)
    translation = Article.objects.get(language="ro", group=article.group)
    assert translation.title == "Garanția de participare quokka"
    # Publishing from the list; drafts are nobody else's.
    assert client_for("sme").get(url(article)).status_code == 404
    advisor.post(reverse("knowledge:publish", kwargs={"org": org, "pk": article.pk}), {"publish": "1"})
    article.refresh_from_db()
    assert (article.status, article.published_at is not None) == ("published", True)
    assert client_for("sme").get(url(article)).status_code == 200
    manage = advisor.get(reverse("knowledge:manage", kwargs={"org": org})).content.decode()
    assert "Quokka bid bonds" in manage
    assert "Quokka draft on ESPD signatures" in manage
    assert "Quokka ESPD secrets of the Prut cluster" not in manage


def test_bad_input_is_refused_in_words_with_nothing_saved(client_for, kb, orgs):
    advisor = client_for("advisor")
    org = orgs["cluster"].slug
    new = reverse("knowledge:new", kwargs={"org": org})
    base = form_data(advisor.get(new).content.decode())
    before = Article.objects.count()
    for change, field in (
        ({"title": ["x" * (TITLE_MAX + 1)], "body": ["b"]}, "title"),
        ({"title": ["t"], "body": [""]}, "body"),
        ({"title": ["t"], "body": ["b"], "slug": ["manage"]}, "slug"),
        ({"title": ["t"], "body": ["b"], "slug": [kb.en.slug]}, "slug"),
        ({"title": ["t"], "body": ["b"], "slug": ["a b/c"]}, "slug"),
        ({"title": ["t"], "body": ["b"], "language": ["xx"]}, "language"),
    ):
        response = advisor.post(new, {**base, **change})
        assert response.status_code == 200
        assert list(response.context["form"].errors) == [field], change
    # A translation into a language the group has.
    edit = reverse("knowledge:edit", kwargs={"org": org, "pk": kb.ro.pk})
    data = form_data(advisor.get(edit).content.decode())
    response = advisor.post(edit, {**data, "language": ["en"]})
    assert list(response.context["form"].errors) == ["language"]
    assert Article.objects.count() == before


@pytest.mark.parametrize("role", ["anonymous", "sme", "other_sme", "operator"])
def test_staff_pages_are_the_organisations_staffs(client_for, kb, orgs, role):
    org = orgs["cluster"].slug
    expected = 302 if role == "anonymous" else 403
    for name, kwargs in (
        ("manage", {}),
        ("new", {}),
        ("categories", {}),
        ("edit", {"pk": kb.en.pk}),
        ("translate", {"pk": kb.en.pk}),
        ("category", {"pk": kb.category.pk}),
    ):
        assert client_for(role).get(reverse(f"knowledge:{name}", kwargs={"org": org, **kwargs})).status_code == expected
    before = Article.objects.get(pk=kb.en.pk).status
    client_for(role).post(reverse("knowledge:publish", kwargs={"org": org, "pk": kb.en.pk}), {"publish": "0"})
    client_for(role).post(reverse("knowledge:delete", kwargs={"org": org, "pk": kb.en.pk}))
    assert Article.objects.get(pk=kb.en.pk).status == before


def test_another_clusters_staff_cannot_edit_our_articles(client, kb, orgs):
    client.force_login(kb.other_advisor)
    org = orgs["cluster"].slug
    assert client.get(reverse("knowledge:edit", kwargs={"org": org, "pk": kb.en.pk})).status_code == 403
    # Its own knowledge base, addressed with our article's id: not found.
    other = kb.other_cluster.slug
    assert client.get(reverse("knowledge:edit", kwargs={"org": other, "pk": kb.en.pk})).status_code == 404


def test_categories_named_in_each_language(client_for, kb, orgs):
    advisor = client_for("advisor")
    org = orgs["cluster"].slug
    categories = reverse("knowledge:categories", kwargs={"org": org})
    response = advisor.post(categories, {"name_en": "Certification", "name_uk": "Сертифікація", "position": "2"})
    assert response.status_code == 302
    created = orgs["cluster"].article_categories.get(slug="certification")
    assert created.names == {"en": "Certification", "uk": "Сертифікація"}
    assert (created.name_in("uk"), created.name_in("ro")) == ("Сертифікація", "Certification")
    refused = advisor.post(categories, {"position": "1"})
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == ["Name the category in one language at least."]
    edit = reverse("knowledge:category", kwargs={"org": org, "pk": kb.category.pk})
    advisor.post(edit, {"delete": "1"})
    kb.en.refresh_from_db()
    assert kb.en.category is None


@pytest.mark.parametrize("name", ["base", "manage", "index"])
def test_list_pages_read_a_fixed_number_of_rows_whatever_the_articles(client_for, kb, orgs, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from greenbridge.knowledge import services

    advisor = client_for("advisor")
    address = reverse(f"knowledge:{name}", kwargs={"org": orgs["cluster"].slug} if name != "index" else {})
    params = {"q": "quokka"} if name == "index" else {}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert advisor.get(address, params).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        services.article_create(
            organisation=orgs["cluster"], title=f"Quokka extra {n}", body="More.", language="en",
            category=kb.category, status="published",
        )  # fmt: skip
    assert queries() == before
