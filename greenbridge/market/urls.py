from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("", views.market_page, name="market"),
    path("market.csv", views.market_download, {"fmt": "csv"}, name="download_csv"),
    path("market.xlsx", views.market_download, {"fmt": "xlsx"}, name="download_xlsx"),
    path("notices/", views.market_notices, name="notices"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_profile, name="country"),
    path("ranking/", views.ranking_start, name="ranking_start"),
    path("ranking/<slug:slug>/", views.ranking_page, name="ranking"),
]
