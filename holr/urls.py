from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from resilience.views import healthz

urlpatterns = [
    # Before the admin's own URLs, which end in a catch-all.
    path(settings.ADMIN_PATH, include("security.urls")),
    path(f"{settings.ADMIN_PATH}editor/", include("bodyeditor.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("", include("syndication.urls")),
    path("", include("editorial.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Local development only; in production the web server or a CDN serves media.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Last: the magazine's own pages take any one-segment address the site does not use
# (pages/reserved.py keeps them off the routes above).
urlpatterns.append(path("", include("pages.urls")))

handler500 = "resilience.views.server_error"
