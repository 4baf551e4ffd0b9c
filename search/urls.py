from django.urls import path

from articles.cache_scope import EDITED
from pagecache.dependencies import records

from . import views

app_name = "search"

urlpatterns = [
    # An edit can move an article into, out of, or up the results.
    path("", records(EDITED)(views.SearchView.as_view()), name="search"),
]
