"""Demo organisations and accounts (fictional), used by `greenbridge demo_setup` and the tests.

Every role the permission table knows has one account here:
  sme        admin of AquaPure Systems (RO), a member of the cluster that shares its private data
  other_sme  admin of Helios Solar (MD), a member of the cluster that does not share
  manager    manager of the Danube Green Tech Cluster
  advisor    advisor of the cluster
  procurer   buyer at the Ungheni municipality (MD)
  operator   the platform operator (Django admin)
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.services import cluster_member_add, membership_set, organisation_create

DOMAIN = "demo.greenbridge.example"

ORGS = {
    "cluster": dict(
        name="Danube Green Tech Cluster",
        kind=Organisation.Kind.CLUSTER,
        country="RO",
        city="Galați",
        description="Cluster of water, waste and energy companies of the Lower Danube.",
        green_sectors=["water", "wastewater", "renewable_energy"],
    ),
    "sme": dict(
        name="AquaPure Systems SRL",
        kind=Organisation.Kind.SME,
        country="RO",
        city="Iași",
        size_class=Organisation.Size.SMALL,
        website="https://aquapure.example",
        description="Designs and builds compact drinking-water and wastewater treatment plants.",
        cpv_codes=["45252100", "42912300", "45232150"],
        nace_codes=["36.00", "37.00"],
        green_sectors=["water", "wastewater"],
        languages=["ro", "en", "fr"],
        certifications=["ISO 14001"],
    ),
    "other_sme": dict(
        name="Helios Solar SRL",
        kind=Organisation.Kind.SME,
        country="MD",
        city="Chișinău",
        size_class=Organisation.Size.MICRO,
        description="Installs and services photovoltaic plants for public buildings.",
        cpv_codes=["09331200", "45261215", "50532000"],
        nace_codes=["43.21"],
        green_sectors=["renewable_energy"],
        languages=["ro", "ru", "en"],
    ),
    "procurer": dict(
        name="Primăria Ungheni",
        kind=Organisation.Kind.PROCURER,
        country="MD",
        city="Ungheni",
        description="Municipality of Ungheni: water supply, street lighting, waste collection.",
    ),
    "operator": dict(name="GreenBridge Secretariat", kind=Organisation.Kind.BSO, country="BE", city="Brussels"),
}
PEOPLE = {  # role key -> (e-mail local part, full name, organisation key, membership role)
    "sme": ("ana", "Ana Popescu", "sme", Membership.Role.ADMIN),
    "other_sme": ("ion", "Ion Rusu", "other_sme", Membership.Role.ADMIN),
    "manager": ("maria", "Maria Ionescu", "cluster", Membership.Role.MANAGER),
    "advisor": ("andrei", "Andrei Stan", "cluster", Membership.Role.ADVISOR),
    "procurer": ("olga", "Olga Ceban", "procurer", Membership.Role.ADMIN),
    "operator": ("admin", "Platform Operator", "operator", Membership.Role.ADMIN),
}


@dataclass
class Demo:
    orgs: dict[str, Organisation]
    users: dict[str, object]
    password: str


@transaction.atomic
def create_demo(*, password: str) -> Demo:
    """Create (or refresh) the demo organisations and accounts; idempotent."""
    User = get_user_model()
    orgs = {}
    for key, fields in ORGS.items():
        org = Organisation.objects.filter(name=fields["name"]).first()
        orgs[key] = org or organisation_create(**fields)
    users = {}
    for role, (local, full_name, org_key, member_role) in PEOPLE.items():
        email = f"{local}@{DOMAIN}"
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email, "full_name": full_name})
        user.set_password(password)
        user.is_staff = user.is_superuser = role == "operator"
        user.save()
        membership_set(user=user, organisation=orgs[org_key], role=member_role)
        users[role] = user
    cluster_member_add(cluster=orgs["cluster"], member=orgs["sme"], shares_private_data=True)
    cluster_member_add(cluster=orgs["cluster"], member=orgs["other_sme"], shares_private_data=False)
    return Demo(orgs=orgs, users=users, password=password)
