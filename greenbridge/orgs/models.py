import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField


def trusted_q(relation: str = "") -> models.Q:
    """The condition `trusted()` filters on, through a foreign key (`trusted_q("provider")`): a join, where
    `provider__in=trusted()` makes SQLite read every organisation for each query."""
    at = f"{relation}__" if relation else ""
    return models.Q(**{f"{at}verification": Organisation.Verification.VERIFIED}) | ~models.Q(
        **{f"{at}kind__in": Organisation.VERIFIED_KINDS}
    )


class OrganisationQuerySet(models.QuerySet):
    def trusted(self) -> "OrganisationQuerySet":
        """The organisations that may act as their kind: verified, or of a kind that needs no verification."""
        return self.filter(trusted_q())

    def awaiting_verification(self) -> "OrganisationQuerySet":
        return self.filter(kind__in=Organisation.VERIFIED_KINDS, verification=Organisation.Verification.PENDING)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SME = "sme", _("SME")
        CLUSTER = "cluster", _("Cluster")
        BSO = "bso", _("Business support organisation")
        PROCURER = "procurer", _("Public procurer")
        INVESTOR = "investor", _("Investor")
        RESEARCH = "research", _("Research organisation")
        AUTHORITY = "authority", _("Public authority")

    class Size(models.TextChoices):
        # EU definition (Recommendation 2003/361/EC), by staff headcount and turnover.
        MICRO = "micro", _("Micro (fewer than 10 staff)")
        SMALL = "small", _("Small (fewer than 50 staff)")
        MEDIUM = "medium", _("Medium (fewer than 250 staff)")
        LARGE = "large", _("Large (250 staff or more)")

    class Verification(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Verification refused")

    # Kinds that speak for others: they run public events, publish public buyers' needs and send notices on to
    # their members. A platform operator checks that such an organisation is what it says before it does.
    VERIFIED_KINDS = (Kind.CLUSTER, Kind.BSO, Kind.PROCURER, Kind.AUTHORITY)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    size_class = models.CharField(_("size"), max_length=8, choices=Size.choices, blank=True)
    nace_codes = models.JSONField(_("NACE Rev. 2 activities"), default=list, blank=True)
    cpv_codes = models.JSONField(_("CPV capability codes"), default=list, blank=True)
    green_sectors = models.JSONField(_("green sectors"), default=list, blank=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    certifications = models.JSONField(_("certifications"), default=list, blank=True)
    verification = models.CharField(
        _("verification"), max_length=8, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    verified_at = models.DateTimeField(_("verified or refused on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verification_note = models.TextField(
        _("note to the organisation"), blank=True, help_text=_("Why verification was refused, in a few words.")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    people = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="organisations")
    clusters = models.ManyToManyField(
        "self",
        through="ClusterMembership",
        symmetrical=False,
        related_name="members",
        through_fields=("member", "cluster"),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_cluster(self) -> bool:
        return self.kind in {self.Kind.CLUSTER, self.Kind.BSO}

    @property
    def is_company(self) -> bool:
        return self.kind == self.Kind.SME

    @property
    def needs_verification(self) -> bool:
        return self.kind in self.VERIFIED_KINDS

    @property
    def is_verified(self) -> bool:
        """An organisation of a kind that needs verification, verified by an operator (the "verified" badge)."""
        return self.needs_verification and self.verification == self.Verification.VERIFIED

    @property
    def is_trusted(self) -> bool:
        """It may act as its kind: verified, or of a kind that needs no verification (the twin of `trusted()`)."""
        return not self.needs_verification or self.verification == self.Verification.VERIFIED


class Membership(models.Model):
    """A person in an organisation. Clusters and BSOs also have staff roles: manager and advisor."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member")
        MANAGER = "manager", _("Cluster manager")
        ADVISOR = "advisor", _("Advisor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.role})"


class ClusterMembership(models.Model):
    """An organisation belongs to a cluster (or BSO); it chooses whether the cluster's advisors
    may see its private data."""

    cluster = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="member_links")
    member = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cluster_links")
    shares_private_data = models.BooleanField(_("shares private data with the cluster's advisors"), default=False)
    joined = models.DateField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("cluster membership")
        verbose_name_plural = _("cluster memberships")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "member"], name="cluster_member_unique"),
            models.CheckConstraint(condition=~models.Q(cluster=models.F("member")), name="cluster_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.cluster}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def waiting(self, now=None) -> "InvitationQuerySet":
        """Sent, not answered, not cancelled, not expired: the link still works."""
        return self.filter(status=Invitation.Status.PENDING, expires__gt=now or timezone.now())


class Invitation(models.Model):
    """A cluster's manager invites a company by e-mail to join the cluster. The link carries a secret token, works
    once and until it expires; following it, a person signs up or signs in and creates or picks the organisation
    that joins. Sharing private data with the cluster stays the member's choice."""

    VALID_DAYS = 14

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        CANCELLED = "cancelled", pgettext_lazy("invitation status", "Cancelled")

    cluster = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    organisation_name = models.CharField(_("organisation"), max_length=255, blank=True)
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language of the e-mail"), max_length=8, blank=True)  # blank: the site's
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    sent = models.DateTimeField(_("last sent"), null=True, blank=True)
    sends = models.PositiveSmallIntegerField(default=0)
    expires = models.DateTimeField(_("expires"))
    answered = models.DateTimeField(null=True, blank=True)  # accepted or cancelled
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_accepted"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One waiting invitation per address and cluster: a second one is a resend.
            models.UniqueConstraint(
                fields=["cluster", "email"], condition=models.Q(status="pending"), name="invitation_one_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.cluster}"

    @property
    def state(self) -> str:
        """pending, accepted, cancelled, or expired (pending past its date)."""
        if self.status == self.Status.PENDING and self.expires <= timezone.now():
            return "expired"
        return self.status

    def get_state_display(self) -> str:
        return _("Expired") if self.state == "expired" else self.get_status_display()
