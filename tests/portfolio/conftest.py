"""The demo's two catalogues, and people made for a test."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from greenbridge.orgs.models import Organisation
from greenbridge.orgs.services import membership_set
from greenbridge.portfolio.models import Service

DMA = "eu-edih-dma-sme"
ACTIVE = [
    "Automation and AI starter workshop",
    "Data governance clinic",
    "Digital strategy roadmap",
    "Energy audit voucher",
    "Export market scan: Moldova, Ukraine, Romania",
    "Tender readiness coaching: TED, MTender and Prozorro",
]
TENDER = "Tender readiness coaching: TED, MTender and Prozorro"


@pytest.fixture
def svc(demo) -> dict[str, Service]:
    return {s.name: s for s in Service.objects.all()}


@pytest.fixture
def partner(demo) -> Organisation:
    return Organisation.objects.get(name="Prut Cleantech Cluster")


def person(email: str, *, organisation: Organisation, role: str, confirmed: bool = True):
    user = get_user_model().objects.create_user(username=email, email=email, password="x", full_name=email)
    if confirmed:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    membership_set(user=user, organisation=organisation, role=role)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
