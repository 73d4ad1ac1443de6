from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema

from .selectors import cpv_search, nace_search
from .text import QUERY_MAX

router = Router(tags=["codes"])
Query = Annotated[str, Field(max_length=QUERY_MAX)]


class CodeOut(Schema):
    code: str
    label: str


@router.get("/codes/cpv", response=list[CodeOut], summary="Search CPV codes by code or label")
def search_cpv(request: HttpRequest, q: Query = ""):
    lang = get_language()
    return [{"code": c.code, "label": c.label(lang)} for c in cpv_search(query=q)]


@router.get("/codes/nace", response=list[CodeOut], summary="Search NACE Rev. 2 codes by code or label")
def search_nace(request: HttpRequest, q: Query = ""):
    lang = get_language()
    return [{"code": c.code, "label": c.label(lang)} for c in nace_search(query=q)]
