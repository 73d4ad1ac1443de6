"""A knowledge base for the tests: the demo cluster's articles (one in three languages, an internal one, a draft)
and another cluster's internal article that shares their words, which the demo's people must never see."""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from greenbridge.helpdesk.models import Queue
from greenbridge.knowledge import services
from greenbridge.knowledge.models import Article, Category
from greenbridge.orgs.models import ClusterMembership, Membership, Organisation


@dataclass
class KB:
    category: Category
    en: Article
    ro: Article
    uk: Article
    internal: Article
    draft: Article
    other_internal: Article
    other_public: Article
    other_cluster: Organisation
    other_advisor: object
    queue: Queue
    other_queue: Queue


@pytest.fixture
def kb(orgs, users) -> KB:
    cluster = orgs["cluster"]
    category = services.category_save(
        organisation=cluster, names={"en": "Tenders abroad", "ro": "Licitații în străinătate"}, position=1
    )
    en = services.article_create(
        organisation=cluster,
        title="Quokka guide to the ESPD",
        body="The ESPD is a self-declaration.\n\nParts II, III and IV are yours to fill.",
        language="en",
        category=category,
        status=Article.Status.PUBLISHED,
        author=users["advisor"],
    )
    ro = services.article_create(
        organisation=cluster,
        title="Ghidul quokka pentru DUAE (ESPD)",
        body="DUAE este o declarație pe proprie răspundere privind achizițiile.",
        language="ro",
        status=Article.Status.PUBLISHED,
        translation_of=en,
    )
    uk = services.article_create(
        organisation=cluster,
        title="Посібник quokka з ESPD",
        body="Єдиний європейський документ закупівлі: самодекларація.",
        language="uk",
        status=Article.Status.PUBLISHED,
        translation_of=en,
    )
    internal = services.article_create(
        organisation=cluster,
        title="Quokka checklist for advisors: ESPD questions",
        body="Check the deadline for clarification requests first.",
        language="en",
        visibility=Article.Visibility.INTERNAL,
        status=Article.Status.PUBLISHED,
    )
    draft = services.article_create(
        organisation=cluster, title="Quokka draft on ESPD signatures", body="Not ready.", language="en"
    )
    other = Organisation.objects.create(
        kind=Organisation.Kind.CLUSTER, name="Prut Energy Cluster", slug="prut-energy", country="MD"
    )
    other_advisor = get_user_model().objects.create_user(
        username="olga@prut.example", email="olga@prut.example", password="x"
    )
    Membership.objects.create(user=other_advisor, organisation=other, role=Membership.Role.ADVISOR)
    ClusterMembership.objects.create(cluster=other, member=orgs["sme"])  # the SME belongs to both clusters
    other_internal = services.article_create(
        organisation=other,
        title="Quokka ESPD secrets of the Prut cluster",
        body="Internal to the Prut cluster.",
        language="en",
        visibility=Article.Visibility.INTERNAL,
        status=Article.Status.PUBLISHED,
    )
    other_public = services.article_create(
        organisation=other,
        title="Quokka ESPD tips from the Prut cluster",
        body="Public tips.",
        language="en",
        status=Article.Status.PUBLISHED,
    )
    queue = Queue.objects.create(organisation=cluster, slug="kb-procurement", name="Procurement abroad")
    other_queue = Queue.objects.create(organisation=other, slug="prut-help", name="Prut help")
    return KB(
        category, en, ro, uk, internal, draft, other_internal, other_public, other, other_advisor, queue, other_queue
    )
