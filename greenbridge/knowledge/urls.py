from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:org>/", views.base, name="base"),
    # The staff's pages before the articles: "manage" is no article's address (models.RESERVED_SLUGS).
    path("<slug:org>/manage/", views.manage, name="manage"),
    path("<slug:org>/manage/new/", views.article_new, name="new"),
    path("<slug:org>/manage/categories/", views.categories, name="categories"),
    path("<slug:org>/manage/categories/<int:pk>/", views.category_edit, name="category"),
    path("<slug:org>/manage/<int:pk>/", views.article_edit, name="edit"),
    path("<slug:org>/manage/<int:pk>/translate/", views.article_translate, name="translate"),
    path("<slug:org>/manage/<int:pk>/publish/", views.article_publish, name="publish"),
    path("<slug:org>/manage/<int:pk>/delete/", views.article_delete, name="delete"),
    # An article's address may have any letters (Ukrainian titles keep theirs).
    path("<slug:org>/<str:slug>/", views.article, name="article"),
    path("<slug:org>/<str:slug>/vote/", views.vote, name="vote"),
    path("<slug:org>/<str:slug>/answered/", views.answered, name="answered"),
]
