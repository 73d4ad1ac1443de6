from django.shortcuts import render

from .selectors import cpv_search, nace_search


def cpv_picker(request):
    """htmx partial: CPV codes matching ?q= (by code, or by words in any language)."""
    q = request.GET.get("q", "")
    return render(request, "reference/code_options.html", {"codes": cpv_search(query=q), "q": q, "kind": "cpv"})


def nace_picker(request):
    q = request.GET.get("q", "")
    return render(request, "reference/code_options.html", {"codes": nace_search(query=q), "q": q, "kind": "nace"})
