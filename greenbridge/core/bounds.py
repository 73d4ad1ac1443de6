"""The bounds of what people (and data sources) may give: one definition of each, used by the model fields,
the forms and the API schemas alike, so that a value one of them accepts the others accept too.

- Money: every amount (a watch's value range, a notice's value, a budget, a partnership's value) is from 0 to
  9,999,999,999,999.99, at most two decimals: 15 digits, what SQLite reads back exactly (it hands Django a
  float), in a NUMERIC(20, 2) column. `MoneyField` is the model
  field, `MoneyFormField` the form field, `Money` the API type.
- Days: from 1950 to 2100 (a deadline, a partnership's date, an event). `validate_day` works on dates and
  datetimes (model fields), `DayFormField` is the form field, `Day` the API type.
- Integers typed by people stay within what PostgreSQL's `smallint`/`integer` columns hold (SQLite holds
  more, so the stricter one applies); ids within `bigint`. `parse_id` reads an id from a form or query.
- Text and lists in search filters: `QUERY_MAX` characters, `LIST_MAX` items.

A value stored before these bounds existed that does not fit (SQLite keeps whatever it is given) reads as
empty, with a warning in the log, instead of failing every page that loads its row (`MoneyField`).
"""

import decimal
import logging
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Col
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from pydantic import Field, WithJsonSchema

from greenbridge.core.widgets import DateInput

# Characters of search words: defined with text folding (reference sits below core and reads it too).
from greenbridge.reference.text import QUERY_MAX as QUERY_MAX

log = logging.getLogger(__name__)

# -- money --------------------------------------------------------------------------------------------------

MONEY_MAX_DIGITS = 20
MONEY_DECIMAL_PLACES = 2
CENT = Decimal(1).scaleb(-MONEY_DECIMAL_PLACES)
# Django reads SQLite's decimals through a float of 15 significant digits: a budget of 999,999,999,999,999,999 came
# back as NaN and was shown as no budget at all. The column holds 20 digits; people and sources may give 15.
MONEY_SIGNIFICANT = 15
MONEY_MAX = Decimal(10) ** (MONEY_SIGNIFICANT - MONEY_DECIMAL_PLACES) - CENT  # 9,999,999,999,999.99
_WIDE = decimal.Context(prec=MONEY_MAX_DIGITS + 10)


def is_money(value: Any) -> bool:
    """Whether `value` is a Decimal amount that fits: finite, from 0 to MONEY_MAX, at most two decimals."""
    return (
        isinstance(value, Decimal)
        and value.is_finite()
        and 0 <= value <= MONEY_MAX
        and value.quantize(CENT, context=_WIDE) == value
    )


def money_or_none(value: Decimal | None) -> Decimal | None:
    """An amount from a data source, or None when it cannot be one (negative, infinite, absurdly large):
    a notice with an unreadable value is kept, without the value. Extra decimals are rounded to cents."""
    if value is None or not value.is_finite() or not 0 <= value <= MONEY_MAX:
        return None
    return value.quantize(CENT, context=_WIDE)


def money_from(value: Any) -> Decimal | None:
    """An amount as a data source or a stored JSON document writes it ("1234.5", 1234.5), or None when it is
    not one (`money_or_none`'s rules)."""
    if value in (None, ""):
        return None
    try:
        return money_or_none(Decimal(str(value)))
    except (decimal.InvalidOperation, ValueError):
        return None


MONEY_MESSAGE = _("Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals.")


def validate_money(value: Any) -> None:
    if not is_money(value):
        raise ValidationError(MONEY_MESSAGE, code="money")


class MoneyField(models.DecimalField):
    """An amount of money: NUMERIC(20, 2), never negative, checked by `validate_money`.

    Reading never fails: SQLite keeps any number it is given, so a row saved before these bounds existed may
    hold 1e20 or infinity, which Django's converter cannot fit into 20 digits (decimal.InvalidOperation on
    every page that loads the row). Such a value reads as None, with a warning in the log; saving the row
    again stores it empty. Migrations see a plain DecimalField: the column is the same."""

    default_error_messages = {"invalid": MONEY_MESSAGE}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs

    @cached_property
    def validators(self):
        # One plain message instead of Django's DecimalValidator ("no more than 20 digits in total").
        return [*self._validators, validate_money]

    @cached_property
    def context(self):
        # The SQLite backend quantizes what it reads in this context: without traps, a number that does not
        # fit becomes NaN (not an exception), which from_db_value turns into None.
        return decimal.Context(prec=self.max_digits, traps=[])

    def from_db_value(self, value, expression, connection):
        if value is None or not isinstance(expression, Col):  # sums and other expressions pass as they are
            return value
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        if is_money(value):
            return value
        log.warning(
            "%s.%s holds %s, which is not an amount from 0 to %s: read as empty",
            self.model._meta.label if hasattr(self, "model") else "?",
            self.name,
            value,
            MONEY_MAX,
        )
        return None

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})


class MoneyFormField(forms.DecimalField):
    """A form field for an amount, with the same bounds and message as MoneyField (min, max and step of the
    HTML input too)."""

    default_error_messages = {"invalid": MONEY_MESSAGE}
    default_validators = [validate_money]

    def __init__(self, **kwargs):
        kwargs.pop("max_digits", None)  # validate_money says it once, in plain words
        kwargs.pop("decimal_places", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):  # "1 500 000" as people write it (and as WatchSpec reads it)
            value = "".join(value.split()).replace("_", "")
        return super().to_python(value)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            attrs.update(min="0", max=str(MONEY_MAX), step=str(CENT))
        return attrs


# -- days ---------------------------------------------------------------------------------------------------

DAY_MIN = date(1950, 1, 1)
DAY_MAX = date(2100, 12, 31)
DAY_MESSAGE = _("Choose a date from 1950 to 2100.")
_D = TypeVar("_D", bound=date)


def validate_day(value: date) -> None:
    """A date or a datetime within DAY_MIN..DAY_MAX (by its year, so that both kinds compare)."""
    if value is not None and not DAY_MIN.year <= value.year <= DAY_MAX.year:
        raise ValidationError(DAY_MESSAGE, code="day")


def day_or_none(value: _D | None) -> _D | None:
    """A date or datetime from a data source, or None when it is outside DAY_MIN..DAY_MAX (a typo)."""
    return value if value is not None and DAY_MIN.year <= value.year <= DAY_MAX.year else None


class DayFormField(forms.DateField):
    """A date within DAY_MIN..DAY_MAX, picked in a date input that knows the bounds."""

    default_validators = [validate_day]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DateInput)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "min": DAY_MIN.isoformat(), "max": DAY_MAX.isoformat()}


# -- integers -----------------------------------------------------------------------------------------------

SMALLINT_MAX = 32_767  # PostgreSQL smallint (PositiveSmallIntegerField)
INT_MAX = 2_147_483_647  # PostgreSQL integer (PositiveIntegerField)
ID_MAX = 9_223_372_036_854_775_807  # bigint: every primary key (BigAutoField)
PAGE_MAX = 10_000  # pages of a listing (page × page size stays far inside an SQL OFFSET)


def parse_id(text: Any) -> int | None:
    """An id typed in a form or a query string ("12"), or None: not only ASCII digits ("²" is a digit to
    str.isdigit), zero, or beyond what a primary key holds."""
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= ID_MAX else None


# -- text and lists in filters ------------------------------------------------------------------------------


PHRASE_MAX = 200  # characters of one keyword or phrase of a watch
SLUG_MAX = 80  # characters of a short name in an address (organisations, events)
LIST_MAX = 50  # items of a repeated filter (?country=MD&country=UA…) or a list in a request body
CODE_MAX = 20  # characters of one code (CPV "90400000-1", a country, a sector's slug, a source name)
NOTE_MAX = 2000  # characters of a note sent with a forward

# -- the same bounds as API (pydantic) types ----------------------------------------------------------------

# An amount as a JSON number or a string of digits (exact): the schema says so, with its bounds.
MONEY_PATTERN = r"^[0-9]{1,18}(\.[0-9]{1,2})?$"
Money = Annotated[
    Decimal,
    Field(ge=0, le=MONEY_MAX, max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": float(MONEY_MAX)},
                {"type": "string", "pattern": MONEY_PATTERN, "maxLength": MONEY_MAX_DIGITS + 1},
            ]
        }
    ),
]
Day = Annotated[date, Field(ge=DAY_MIN, le=DAY_MAX)]
Year = Annotated[int, Field(ge=DAY_MIN.year, le=DAY_MAX.year)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Page = Annotated[int, Field(ge=1, le=PAGE_MAX)]
Code = Annotated[str, Field(max_length=CODE_MAX)]
Slug = Annotated[str, Field(max_length=SLUG_MAX)]
Phrase = Annotated[str, Field(max_length=PHRASE_MAX)]
