from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from greenbridge.api import api
from greenbridge.core import views as core_views
from greenbridge.dashboard import views as dashboard_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("sources/", dashboard_views.sources, name="sources"),
    path("notices/", include("greenbridge.tenders.urls")),
    path("market/", include("greenbridge.market.urls")),
    path("strategies/", include("greenbridge.strategy.urls")),
    path("orgs/", include("greenbridge.orgs.urls")),
    path("codes/", include("greenbridge.reference.urls")),
    path("events/", include("greenbridge.events.urls")),
    path("", include("greenbridge.partnering.urls")),
    path("", include("greenbridge.matching.urls")),
    path("assessments/", include("greenbridge.assessments.urls")),
    path("services/", include("greenbridge.portfolio.urls")),
    path("help/articles/", include("greenbridge.knowledge.urls")),
    path("help/", include("greenbridge.helpdesk.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("time-zone/", core_views.time_zone, name="time_zone"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
