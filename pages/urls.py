from django.urls import re_path

from . import views

app_name = "pages"

# Mounted last in holr/urls.py: one segment, and never a route the site has (reserved.py).
urlpatterns = [
    re_path(r"^(?P<slug>[-\w]+)/$", views.PageView.as_view(), name="detail"),
]
