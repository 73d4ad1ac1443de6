from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LabelledCode(models.Model):
    """A code with labels in many languages (`labels` = {"en": …, "ro": …}) and a folded
    `search_text` (code + every label) for pickers that search by code or by label."""

    labels = models.JSONField(default=dict)
    search_text = models.TextField(editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.code} {self.label()}"

    def label(self, language: str | None = None) -> str:
        lang = (language or get_language() or "en").split("-")[0].lower()
        return self.labels.get(lang) or self.labels.get("en") or ""


class CpvCode(LabelledCode):
    """CPV 2008 main vocabulary. `code` is the 8 digits used by eForms; `check_digit` completes
    the "90513000-6" form; `parent` is the code one level up (division has none)."""

    class Level(models.TextChoices):
        DIVISION = "division", _("Division")
        GROUP = "group", _("Group")
        CLASS = "class", _("Class")
        CATEGORY = "category", _("Category")
        SUBCATEGORY = "subcategory", _("Subcategory")

    code = models.CharField(max_length=8, primary_key=True)
    check_digit = models.CharField(max_length=1)
    level = models.CharField(max_length=12, choices=Level.choices)
    parent = models.CharField(max_length=8, blank=True, db_index=True)

    class Meta:
        verbose_name = _("CPV code")
        verbose_name_plural = _("CPV codes")
        ordering = ["code"]

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"


class NaceCode(LabelledCode):
    """NACE Rev. 2: sections (A…U), divisions (01), groups (01.1), classes (01.11)."""

    code = models.CharField(max_length=6, primary_key=True)
    level = models.PositiveSmallIntegerField()
    parent = models.CharField(max_length=6, blank=True, db_index=True)

    class Meta:
        verbose_name = _("NACE code")
        verbose_name_plural = _("NACE codes")
        ordering = ["code"]
