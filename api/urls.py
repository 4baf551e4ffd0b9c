from django.urls import path, re_path

from .endpoints import api
from .views import unknown_address

urlpatterns = [
    path("v1/", api.urls),
    # Anything else under /api/ is a JSON 404, never the site's HTML page.
    re_path(r"^", unknown_address),
]
