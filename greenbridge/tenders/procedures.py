"""Procedure types in words.

`Notice.procedure_type` keeps the value the source gives: an OCDS `tender.procurementMethod` (open, selective,
limited, direct) or an eForms procurement-procedure-type code (BT-105: open, restricted, neg-w-call, …). Pages
and cards show `procedure_label(value)` instead, in the reader's language, and `procedure_hint(value)` says in a
sentence who may bid, after the OCDS method the OCDS for eForms mapping gives each eForms code
(data/eforms/mapping/ocds_eforms_codelist_map_procurement-procedure-type.csv).

A value that is not a code is already words, in the publisher's language (Taiwan's procurementMethod is
"公開招標", open tendering): it is shown as it is.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Who may bid, by the OCDS procurementMethod the procedure belongs to.
_HINTS = {
    "open": _("Any company may submit a tender."),
    "selective": _("Any company may ask to take part; the buyer then invites the qualified ones to tender."),
    "limited": _("The buyer invites the suppliers of its choice: there is no open call."),
    "direct": _("The buyer awards the contract to one supplier of its choice."),
}

# code -> (label, who may bid: the OCDS procurementMethod of the mapping, "" where the code does not say it
# plainly: competitive tendering is "open to any interested economic operator" though mapped to selective, and
# the rail notice is an announcement, not a call)
PROCEDURES: dict[str, tuple[Promise, str]] = {
    # OCDS procurementMethod (closed codelist)
    "open": (_("Open procedure"), "open"),
    "selective": (_("Selective procedure"), "selective"),
    "limited": (_("Limited procedure"), "limited"),
    "direct": (_("Direct award"), "direct"),
    # eForms procurement-procedure-type (BT-105)
    "restricted": (_("Restricted procedure"), "selective"),
    "neg-w-call": (_("Negotiated procedure with a prior call for competition"), "selective"),
    "neg-wo-call": (_("Negotiated procedure without a prior call for competition"), "limited"),
    "comp-dial": (_("Competitive dialogue"), "selective"),
    "innovation": (_("Innovation partnership"), "selective"),
    "comp-tend": (_("Competitive tendering (public passenger transport)"), ""),
    "exp-int-rail": (_("Intention to award a rail passenger transport contract"), ""),
    "oth-single": (_("Other single-stage procedure"), ""),
    "oth-mult": (_("Other multiple-stage procedure"), ""),
}


def _key(value: object) -> str:
    return str(value or "").strip().lower()


def procedure_label(value: object) -> str:
    """ "neg-w-call" -> "Negotiated procedure with a prior call for competition" (in the reader's language);
    a value that is not a known code, as it is; "" for none."""
    known = PROCEDURES.get(_key(value))
    return str(known[0]) if known else str(value or "").strip()


def procedure_method(value: object) -> str:
    """The OCDS method (open, selective, limited, direct) a procedure says; "" when it does not say."""
    known = PROCEDURES.get(_key(value))
    return known[1] if known else ""


def procedure_hint(value: object) -> str:
    """Who may bid under this procedure, in a sentence ("" when the code does not say)."""
    method = procedure_method(value)
    return str(_HINTS[method]) if method else ""
