"""Two-factor sign-in for staff: TOTP authenticator apps, through django-otp.

Any staff member may set it up (the "Two-factor sign-in" link in the admin). Members of
the groups named in settings.TWO_FACTOR_REQUIRED_GROUPS (DJANGO_2FA_REQUIRED_GROUPS)
must, before they can use the admin. Once a staff member has a confirmed authenticator,
every password sign-in is followed by a code.
"""

import base64
import io

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def two_factor_state(user):
    """What a signed-in staff member owes: "verify" (enter a code), "enrol" (set up an
    authenticator first) or None (nothing)."""
    if not (user.is_authenticated and user.is_staff) or user.is_verified():
        return None
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return "verify"
    required = settings.TWO_FACTOR_REQUIRED_GROUPS
    if required and user.groups.filter(name__in=required).exists():
        return "enrol"
    return None


class CodeForm(forms.Form):
    token = forms.RegexField(
        label="Six-digit code",
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": "Enter the six digits your authenticator app shows."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self):
        return self.cleaned_data["token"].strip()


WRONG_CODE = "That code is not right, or it has expired. Enter the code your app shows now."
TOO_MANY = "Too many wrong codes. Wait a few seconds, then enter the code your app shows now."


def wrong_code_message(devices):
    """Say so when django-otp is throttling guesses, so a right code is not refused unexplained."""
    if any(not device.verify_is_allowed()[0] for device in devices):
        return TOO_MANY
    return WRONG_CODE


def next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def page(request, template, **context):
    return render(
        request, template, {**admin.site.each_context(request), "next": next_url(request), **context}
    )


staff_only = login_required(login_url="admin:login")


@never_cache
@staff_only
def verify(request):
    """Ask a staff member with an authenticator for the current code."""
    if not request.user.is_staff:
        return redirect("admin:login")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        # Decided before the attempt: a failure starts django-otp's throttling.
        message = wrong_code_message(TOTPDevice.objects.devices_for_user(request.user))
        device = django_otp.match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(next_url(request))
        form.add_error("token", message)
    return page(request, "security/two_factor_verify.html", form=form, title="Enter your sign-in code")


@never_cache
@staff_only
def enrol(request):
    """Set up an authenticator app: scan the code (or type the key), then confirm with a code."""
    if not request.user.is_staff:
        return redirect("admin:login")
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        messages.info(request, "Two-factor sign-in is already set up for your account.")
        return redirect(next_url(request))
    # The same unconfirmed key across reloads, so a half-finished set-up can be completed.
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        message = wrong_code_message([device])
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(
                request, "Two-factor sign-in is on. You will be asked for a code each time you sign in."
            )
            return redirect(next_url(request))
        form.add_error("token", message)
    return page(
        request,
        "security/two_factor_enrol.html",
        form=form,
        title="Set up two-factor sign-in",
        qr_code=qr_code_data_url(device.config_url),
        secret=base64.b32encode(device.bin_key).decode(),
        is_required=two_factor_state(request.user) == "enrol",
    )


def qr_code_data_url(text):
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
