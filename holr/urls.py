from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from resilience.views import healthz

urlpatterns = [
    # Before the admin's own URLs, which end in a catch-all.
    path(settings.ADMIN_PATH, include("security.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("search/", include("search.urls")),
    path("api/", include("api.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    # Local development only; in production the web server or a CDN serves media.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "articles.views.server_error"
