from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from greenbridge.tenders.models import Notice
from greenbridge.tenders.selectors import notices_closing_soon


def home(request):
    now = timezone.now()
    stats = {
        "open_notices": Notice.objects.filter(deadline__gte=now).count(),
        "notices": Notice.objects.count(),
        "countries": Notice.objects.exclude(buyer_country="").aggregate(n=Count("buyer_country", distinct=True))["n"],
    }
    closing = notices_closing_soon(user=request.user)
    return render(request, "dashboard/home.html", {"stats": stats, "closing": closing})
