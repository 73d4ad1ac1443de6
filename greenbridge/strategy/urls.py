from django.urls import path

from . import views

app_name = "strategy"
urlpatterns = [
    path("", views.strategy_list, name="list"),
    path("new/", views.strategy_new, name="new"),
    path("<int:pk>/", views.strategy_detail, name="detail"),
    path("<int:pk>/text/<str:group>/", views.text_edit, name="text_edit"),
    path("<int:pk>/items/<str:section>/", views.item_add, name="item_add"),
    path("<int:pk>/items/<str:section>/<int:item>/remove/", views.item_remove, name="item_remove"),
    path("<int:pk>/items/<str:section>/<int:item>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/markets/", views.market_add, name="market_add"),
    path("<int:pk>/markets/choose/", views.markets_choose, name="markets"),
    path("<int:pk>/markets/<int:market>/remove/", views.market_remove, name="market_remove"),
    path("<int:pk>/comments/<str:section>/", views.comment_add, name="comment"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/changes/", views.changes, name="changes"),
    path("<int:pk>/members/", views.member_set, name="member_set"),
    path("<int:pk>/strategy.docx", views.export_docx, name="docx"),
    path("<int:pk>/strategy.pdf", views.export_pdf, name="pdf"),
    path("<int:pk>/roadmap.ics", views.roadmap_ics, name="ics"),
]
