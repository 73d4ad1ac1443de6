"""A cluster's member directory: searched by name, country, sector and CPV code, exported as a spreadsheet-safe CSV,
and grown by inviting companies by e-mail (the invitation's e-mail, its link, signing up or in, creating or picking
the organisation that joins, and every way the link stops working), each refusal in plain words."""

import csv
import io
import re
from datetime import timedelta

import lxml.html
import pytest
from django.core import mail
from django.utils import timezone

from greenbridge.core.errors import Refused
from greenbridge.orgs import services
from greenbridge.orgs.models import ClusterMembership, Invitation, Membership, Organisation
from greenbridge.orgs.services import cluster_member_add, organisation_create

pytestmark = pytest.mark.django_db


def members_listed(response) -> list[str]:
    assert response.status_code == 200
    page = lxml.html.fromstring(response.content.decode())
    return [" ".join(a.text_content().split()) for a in page.xpath("//table//tbody/tr/th/a")]


@pytest.fixture
def more_members(orgs):
    cluster = orgs["cluster"]
    for name, country, city, sectors, codes in (
        ("EcoWaste Recycling SRL", "RO", "Galați", ["waste_recycling"], ["90513000"]),
        ("Lumina Street Lighting LLC", "UA", "Odesa", ["energy_efficiency"], ["34928510", "45316100"]),
        ('=HYPERLINK("http://evil.example")', "MD", "+Bălți", ["water"], ["45232150"]),
    ):
        member = organisation_create(name=name, kind="sme", country=country, city=city, green_sectors=sectors,
                                     cpv_codes=codes)  # fmt: skip
        cluster_member_add(cluster=cluster, member=member)
    return cluster


# ---- search --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "",
            [
                '=HYPERLINK("http://evil.example")',
                "AquaPure Systems SRL",
                "EcoWaste Recycling SRL",
                "Helios Solar SRL",
                "Lumina Street Lighting LLC",
            ],
        ),
        ("q=solar", ["Helios Solar SRL"]),
        ("q=galati", ["EcoWaste Recycling SRL"]),  # without its accents, as Romanian is often typed
        ("q=Galați", ["EcoWaste Recycling SRL"]),
        ("q=srl+aqua", ["AquaPure Systems SRL"]),  # every word
        ("country=MD", ['=HYPERLINK("http://evil.example")', "Helios Solar SRL"]),
        ("sector=water", ['=HYPERLINK("http://evil.example")', "AquaPure Systems SRL"]),
        ("cpv=4523", ['=HYPERLINK("http://evil.example")', "AquaPure Systems SRL"]),  # first digits
        ("cpv=45232150-7", ['=HYPERLINK("http://evil.example")', "AquaPure Systems SRL"]),  # a code and check digit
        (
            "cpv=45000000",
            [
                '=HYPERLINK("http://evil.example")',
                "AquaPure Systems SRL",
                "Helios Solar SRL",
                "Lumina Street Lighting LLC",
            ],
        ),  # a division: everything under it
        ("country=RO&sector=water", ["AquaPure Systems SRL"]),
    ],
)
def test_the_directory_is_searched_by_name_country_sector_and_code(client_for, more_members, query, expected):
    response = client_for("manager").get(f"/orgs/{more_members.slug}/members/?{query}")
    assert members_listed(response) == expected
    page = response.content.decode()
    if query:
        assert f"{len(expected)} of 5 member organisations match the search." in page
        assert 'href="/orgs/danube-green-tech-cluster/members/">Clear all filters</a>' in page
    if not expected:
        assert "No member matches this search." in page


def test_the_country_filter_offers_the_members_countries_by_name(client_for, more_members):
    page = lxml.html.fromstring(client_for("manager").get(f"/orgs/{more_members.slug}/members/").content.decode())
    assert page.xpath('//select[@name="country"]/option/text()') == ["any country", "Moldova", "Romania", "Ukraine"]


def test_a_wrong_code_in_the_search_is_explained(client_for, more_members):
    response = client_for("manager").get(f"/orgs/{more_members.slug}/members/?cpv=water")
    assert "Type a CPV code, or at least its first two digits (e.g. 45 or 45232150)." in response.content.decode()
    assert len(members_listed(response)) == 5  # the other filters still apply; the wrong one is left out


# ---- export --------------------------------------------------------------------------------------------------


def test_the_export_is_the_search_as_a_spreadsheet_safe_csv(client_for, more_members):
    response = client_for("manager").get(f"/orgs/{more_members.slug}/members.csv?sector=water")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="danube-green-tech-cluster-members.csv"'
    body = response.content.decode()
    assert body.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(body[1:])))
    joined = ClusterMembership.objects.get(member__name="AquaPure Systems SRL").joined.isoformat()
    assert rows == [
        ["Member", "Kind", "Country", "City", "Website", "Green sectors", "CPV codes", "Shares private data",
         "Joined", "People"],
        ["'=HYPERLINK(\"http://evil.example\")", "SME", "Moldova", "'+Bălți", "", "Water", "45232150", "no",
         joined, ""],
        ["AquaPure Systems SRL", "SME", "Romania", "Iași", "https://aquapure.example", "Water, Wastewater",
         "45252100 42912300 45232150", "yes", joined, "Ana Popescu (Administrator) <ana@demo.greenbridge.example>"],
    ]  # fmt: skip


def test_only_the_clusters_staff_and_operators_export(client_for, orgs):
    url = f"/orgs/{orgs['cluster'].slug}/members.csv"
    assert [client_for(r).get(url).status_code for r in ("sme", "other_sme", "advisor", "operator")] == [
        403, 403, 200, 200
    ]  # fmt: skip


def test_the_directory_links_the_export_with_the_same_search_and_the_invitations(client_for, orgs):
    page = client_for("manager").get(f"/orgs/{orgs['cluster'].slug}/members/?q=aqua").content.decode()
    assert 'href="/orgs/danube-green-tech-cluster/members.csv?q=aqua" download>Export (CSV)</a>' in page
    assert 'href="/orgs/danube-green-tech-cluster/members/invitations/">Invite a company</a>' in page
    advisor = client_for("advisor").get(f"/orgs/{orgs['cluster'].slug}/members/").content.decode()
    assert "Invite a company" not in advisor  # managers invite


# ---- invitations -------------------------------------------------------------------------------------------


def invite(client, cluster, **data):
    return client.post(f"/orgs/{cluster.slug}/members/invitations/", {"language": "", **data})


def test_a_manager_invites_a_company_by_email(client_for, orgs, users, django_capture_on_commit_callbacks):
    cluster = orgs["cluster"]
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client_for("manager"),
            cluster,
            email="Director@Verde-Pipes.example",
            organisation_name="Verde Pipes SRL",
            message="We would like you in our Moldova mission in March.",
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation_name, invitation.invited_by) == (
        "director@verde-pipes.example", "Verde Pipes SRL", users["manager"]
    )  # fmt: skip
    assert (invitation.status, invitation.sends) == ("pending", 1)
    assert timedelta(days=13, hours=23) < invitation.expires - timezone.now() <= timedelta(days=14)
    [message] = mail.outbox
    assert message.to == ["director@verde-pipes.example"]
    assert message.subject == "Danube Green Tech Cluster invites you to join it on GreenBridge"
    assert "Maria Ionescu of Danube Green Tech Cluster invites your company to join the cluster" in message.body
    assert "We would like you in our Moldova mission in March." in message.body
    assert f"http://127.0.0.1:8000/orgs/invitations/{invitation.token}/" in message.body
    assert f"before {timezone.localtime(invitation.expires):%-d %B %Y}" in message.body
    assert "Sharing your private data (watches, bids) with the cluster's advisors stays your choice." in message.body
    page = client_for("manager").get(f"/orgs/{cluster.slug}/members/invitations/").content.decode()
    assert "director@verde-pipes.example" in page
    assert "Waiting for an answer" in page


def test_the_invitation_email_is_in_the_language_chosen(client_for, orgs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for("manager"), orgs["cluster"], email="primar@cahul.example", language="ro")
    invitation = Invitation.objects.get()
    months = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
              "octombrie", "noiembrie", "decembrie"]  # fmt: skip
    month = months[timezone.localtime(invitation.expires).month - 1]
    expires = f"{timezone.localtime(invitation.expires).day} {month} {timezone.localtime(invitation.expires).year}"
    assert expires in mail.outbox[0].body.lower()  # the month in Romanian, from Django's own translations


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not-an-address", "This is not an e-mail address: check it is written like name@company.md."),
        ("ana@demo.greenbridge.example",
         "ana@demo.greenbridge.example is already in AquaPure Systems SRL, a member of Danube Green Tech Cluster."),
        ("Andrei@demo.greenbridge.example",
         "andrei@demo.greenbridge.example is one of Danube Green Tech Cluster's own people already."),
    ],
)  # fmt: skip
def test_invitations_are_refused_in_plain_words(client_for, orgs, email, error):
    response = invite(client_for("manager"), orgs["cluster"], email=email)
    assert response.status_code == 400
    assert error in response.content.decode().replace("&#x27;", "'")
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_an_address_invited_twice_is_sent_again_from_the_list(client_for, orgs, django_capture_on_commit_callbacks):
    manager = client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        invite(manager, orgs["cluster"], email="x@pipes.example")
    response = invite(manager, orgs["cluster"], email="X@pipes.example")
    assert response.status_code == 400
    assert "An invitation to x@pipes.example is already waiting for an answer" in response.content.decode()
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() - timedelta(days=1))
    page = manager.get(f"/orgs/{orgs['cluster'].slug}/members/invitations/").content.decode()
    assert re.search(r'status--declined">Expired</span>', page)
    with django_capture_on_commit_callbacks(execute=True):
        response = manager.post(f"/orgs/{orgs['cluster'].slug}/members/invitations/{invitation.pk}/resend/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.state, invitation.sends, len(mail.outbox)) == ("pending", 2, 2)
    assert invitation.token in mail.outbox[1].body  # the same link, working again
    page = manager.get(f"/orgs/{orgs['cluster'].slug}/members/invitations/").content.decode()
    assert "(2 times)" in page


def test_who_may_invite(client_for, orgs, users):
    url = f"/orgs/{orgs['cluster'].slug}/members/invitations/"
    assert [client_for(r).get(url).status_code for r in ("sme", "advisor", "operator", "manager")] == [
        403,
        403,
        403,
        200,
    ]
    # The manager of a cluster that awaits verification is told why, and cannot send.
    cluster = organisation_create(name="Prut Cluster", kind="cluster", country="MD", admin=users["manager"])
    page = client_for("manager").get(f"/orgs/{cluster.slug}/members/invitations/").content.decode()
    assert "Prut Cluster is awaiting verification by the platform operators" in page
    assert invite(client_for("manager"), cluster, email="x@pipes.example").status_code == 403
    assert not Invitation.objects.exists()


# ---- following the link --------------------------------------------------------------------------------------


@pytest.fixture
def invitation(orgs, users):
    return services.invitation_create(
        cluster=orgs["cluster"], by=users["manager"], email="director@verde-pipes.example",
        organisation_name="Verde Pipes SRL",
    )  # fmt: skip


def test_a_newcomer_signs_up_registers_the_company_and_joins(
    client, invitation, users, django_capture_on_commit_callbacks
):
    url = f"/orgs/invitations/{invitation.token}/"
    page = client.get(url).content.decode()
    assert "Maria Ionescu of Danube Green Tech Cluster invites your company (director@verde-pipes.example)" in page
    assert f'href="/accounts/signup/?next={url}"' in page
    assert f'href="/accounts/login/?next={url}"' in page
    response = client.post(
        f"/accounts/signup/?next={url}",
        {"email": "director@verde-pipes.example", "password1": "a-long-pass-42", "password2": "a-long-pass-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == url  # back to the invitation, signed in
    page = client.get(url).content.decode()
    form = lxml.html.fromstring(page).xpath('//main//form[@method="post"]')[0]
    assert form.xpath('.//input[@name="name"]/@value') == ["Verde Pipes SRL"]  # as the manager wrote it
    assert form.xpath('.//input[@name="organisation"][@checked]/@value') == ["new"]  # they have none yet
    assert not form.xpath('.//input[@name="shares_private_data"][@checked]')  # sharing: opt-in
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"organisation": "new", "name": "Verde Pipes SRL", "kind": "sme", "country": "MD"})
    org = Organisation.objects.get(name="Verde Pipes SRL")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{org.slug}/"
    link = ClusterMembership.objects.get(member=org)
    assert (link.cluster.name, link.shares_private_data) == ("Danube Green Tech Cluster", False)
    assert org.memberships.get().role == Membership.Role.ADMIN
    invitation.refresh_from_db()
    assert (invitation.state, invitation.member, invitation.accepted_by.email) == (
        "accepted", org, "director@verde-pipes.example"
    )  # fmt: skip
    told = [m for m in mail.outbox if m.to == ["maria@demo.greenbridge.example"]]
    assert [m.subject for m in told] == ["Verde Pipes SRL joined Danube Green Tech Cluster"]
    # The link works once.
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation was used already: Verde Pipes SRL joined Danube Green Tech Cluster with it." in (
        response.content.decode()
    )


def test_a_company_on_greenbridge_joins_with_its_organisation_and_may_share(client_for, invitation, orgs, users):
    # Ion (Helios) is in the cluster already; a second company of his joins, sharing its private data.
    second = organisation_create(name="Helios Service SRL", kind="sme", country="MD", admin=users["other_sme"])
    client = client_for("other_sme")
    url = f"/orgs/invitations/{invitation.token}/"
    form = lxml.html.fromstring(client.get(url).content.decode()).xpath('//main//form[@method="post"]')[0]
    assert form.xpath('.//input[@name="organisation"]/@value') == [str(second.pk), "new"]  # not Helios Solar (in)
    response = client.post(url, {"organisation": str(second.pk), "shares_private_data": "on", "kind": "sme"})
    assert response.status_code == 302
    assert ClusterMembership.objects.get(member=second).shares_private_data is True


def test_a_new_organisation_needs_a_name_and_a_country(client_for, invitation):
    response = client_for("other_sme").post(f"/orgs/invitations/{invitation.token}/", {"organisation": "new"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the name of the organisation that joins." in page
    assert "Choose the country the organisation is in." in page


def test_an_organisation_already_in_the_cluster_is_refused(invitation, orgs, users):
    with pytest.raises(Refused, match=r"Helios Solar SRL is already a member of Danube Green Tech Cluster\."):
        services.invitation_accept(invitation=invitation, user=users["other_sme"], organisation=orgs["other_sme"])
    with pytest.raises(Refused, match=r"Only an administrator of AquaPure Systems SRL can bring it into a cluster\."):
        services.invitation_accept(invitation=invitation, user=users["other_sme"], organisation=orgs["sme"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expires": timezone.now() - timedelta(minutes=1)},
         "This invitation expired on {date}. Ask Danube Green Tech Cluster to send it again"),
        ({"status": "cancelled"},
         "Danube Green Tech Cluster cancelled this invitation. Ask them for a new one if you still want to join."),
    ],
)  # fmt: skip
def test_an_expired_or_cancelled_link_says_so(client_for, invitation, change, message):
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    response = client_for("other_sme").get(f"/orgs/invitations/{invitation.token}/")
    assert response.status_code == 410
    date = f"{timezone.localtime(timezone.now() - timedelta(minutes=1)):%Y-%m-%d}"
    assert message.format(date=date) in response.content.decode()
    post = client_for("other_sme").post(f"/orgs/invitations/{invitation.token}/", {"organisation": "new"})
    assert post.status_code == 410
    assert not ClusterMembership.objects.filter(member__name="Verde Pipes SRL").exists()


def test_a_manager_cancels_a_waiting_invitation(client_for, invitation, orgs):
    manager = client_for("manager")
    url = f"/orgs/{orgs['cluster'].slug}/members/invitations/{invitation.pk}/cancel/"
    assert manager.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "cancelled"
    response = manager.post(url, follow=True)
    assert "This invitation was answered already: there is nothing to cancel." in response.content.decode()
    assert manager.post(url.replace("/cancel/", "/resend/"), follow=True).status_code == 200
    assert manager.post(url.replace("/cancel/", "/delete/")).status_code == 404
    assert client_for("advisor").post(url).status_code == 403


def test_an_unknown_link_is_not_found(client):
    assert client.get("/orgs/invitations/not-a-token/").status_code == 404


def test_invitations_is_not_a_name_an_organisation_can_take(db):
    assert organisation_create(name="Invitations", kind="sme", country="MD").slug == "invitations-organisation"
