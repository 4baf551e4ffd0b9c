from django.urls import path

from . import views

app_name = "bodyeditor"

urlpatterns = [
    path("images/", views.image_search, name="images"),
    path("images/upload/", views.image_upload, name="image-upload"),
    path("embeds/check/", views.embed_check, name="embed-check"),
]
