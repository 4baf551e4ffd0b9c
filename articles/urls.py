from django.urls import path

from . import icons, views

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("articles/<uslug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("sections/<uslug:slug>/", views.SectionView.as_view(), name="section"),
    path("authors/<uslug:slug>/", views.AuthorView.as_view(), name="author"),
    path("<vocabulary:vocabulary>/", views.TagIndexView.as_view(), name="tag-index"),
    path("<vocabulary:vocabulary>/<uslug:slug>/", views.TagView.as_view(), name="tag"),
    # Two segments under the vocabulary, so no tag's slug ("a", "other", "a-z") can take a
    # letter's address; a tag's own feeds end in feed/, which is not a letter.
    path("<vocabulary:vocabulary>/a-z/<letter:letter>/", views.TagLetterView.as_view(), name="tag-letter"),
    path("favicon.ico", icons.icon, {"name": "favicon.ico"}, name="favicon"),
    path("apple-touch-icon.png", icons.icon, {"name": "apple-touch-icon.png"}, name="apple-touch-icon"),
]
