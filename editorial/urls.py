from django.urls import path

from .previews import SharedPreviewView

app_name = "editorial"

urlpatterns = [
    path("preview/<str:token>/", SharedPreviewView.as_view(), name="preview"),
]
