"""Forms of the knowledge base. Bounds are the models' (forms, API and models agree)."""

from django import forms
from django.conf import settings
from django.core.validators import validate_unicode_slug
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import SLUG_MAX, SMALLINT_MAX

from .models import BODY_MAX, CATEGORY_NAME_MAX, RESERVED_SLUGS, TITLE_MAX, Article, Category


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("No category")
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Plain text: an empty line starts a new paragraph; web addresses become links."),
    )
    visibility = forms.ChoiceField(label=_("Who may read it"), choices=Article.Visibility.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Article.Status.choices)
    slug = forms.CharField(
        label=_("Address"),
        max_length=SLUG_MAX,
        required=False,
        validators=[validate_unicode_slug],
        help_text=_("The last part of the article's address; made from the title when left empty."),
    )

    def __init__(self, *args, organisation, article: Article | None = None, taken_languages=(), **kwargs):
        """`taken_languages`: the languages its group has already (a translation takes another)."""
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.article = article
        self.fields["category"].queryset = organisation.article_categories.all()
        self.fields["category"].label_from_instance = lambda c: c.name_in(self.initial.get("language") or "")
        if taken_languages:
            self.fields["language"].choices = [(c, n) for c, n in settings.LANGUAGES if c not in taken_languages]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].strip().lower()
        if not slug:
            return ""
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is kept for the knowledge base's own pages."))
        others = Article.objects.filter(organisation=self.organisation, slug=slug)
        if self.article is not None:
            others = others.exclude(pk=self.article.pk)
        if others.exists():
            raise forms.ValidationError(_("Another article of yours has this address."))
        return slug

    def clean_language(self) -> str:
        language = self.cleaned_data["language"]
        if self.article is not None:
            clash = (
                Article.objects.filter(group=self.article.group, language=language).exclude(pk=self.article.pk).exists()
            )
            if clash:
                raise forms.ValidationError(_("This article has a translation in this language already."))
        return language


class CategoryForm(forms.Form):
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=SMALLINT_MAX, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name in %(language)s") % {"language": name}, max_length=CATEGORY_NAME_MAX, required=False
            )
        self.order_fields([f"name_{code}" for code, _name in settings.LANGUAGES] + ["position"])

    def clean(self):
        data = super().clean()
        if not any((data.get(f"name_{code}") or "").strip() for code, _name in settings.LANGUAGES):
            raise forms.ValidationError(_("Name the category in one language at least."))
        return data

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}", "") for code, _name in settings.LANGUAGES}


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes")
