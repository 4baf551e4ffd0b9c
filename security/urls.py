from django.urls import path

from . import two_factor

app_name = "security"

urlpatterns = [
    path("two-factor/", two_factor.verify, name="two-factor-verify"),
    path("two-factor/set-up/", two_factor.enrol, name="two-factor-enrol"),
]
