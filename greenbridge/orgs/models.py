from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class OrganisationQuerySet(models.QuerySet):
    def trusted(self) -> "OrganisationQuerySet":
        """The organisations that may act as their kind: verified, or of a kind that needs no verification."""
        return self.filter(
            models.Q(verification=Organisation.Verification.VERIFIED) | ~models.Q(kind__in=Organisation.VERIFIED_KINDS)
        )

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
        constraints = [
            models.UniqueConstraint(fields=["cluster", "member"], name="cluster_member_unique"),
            models.CheckConstraint(condition=~models.Q(cluster=models.F("member")), name="cluster_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.cluster}"
