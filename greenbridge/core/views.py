from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from greenbridge.tenders.models import Notice


def home(request):
    now = timezone.now()
    stats = {
        "open_notices": Notice.objects.filter(deadline__gte=now).count(),
        "notices": Notice.objects.count(),
        "countries": Notice.objects.exclude(buyer_country="").aggregate(n=Count("buyer_country", distinct=True))["n"],
    }
    closing = Notice.objects.filter(deadline__gte=now).order_by("deadline")[:5]
    return render(request, "core/home.html", {"stats": stats, "closing": closing})
