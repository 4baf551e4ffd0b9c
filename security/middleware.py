"""Response headers and sign-in rules that apply site-wide.

- ContentSecurityPolicyMiddleware: django-csp's middleware with one policy for public
  pages (settings.CONTENT_SECURITY_POLICY) and that policy plus
  settings.CONTENT_SECURITY_POLICY_ADMIN_ADDITIONS for the admin.
- PermissionsPolicyMiddleware: the Permissions-Policy header (Django has no setting).
- TwoFactorMiddleware: staff who have set up two-factor sign-in, or must, enter a code
  before they use the admin.
"""

from contextvars import ContextVar
from urllib.parse import urlencode

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import lazy

from .two_factor import two_factor_state


def is_admin_path(request):
    return request.path_info.startswith("/" + settings.ADMIN_PATH)


_current_request = ContextVar("csp_current_request", default=None)


def current_nonce():
    """The CSP nonce of the request being served ("" outside a request)."""
    request = _current_request.get()
    return str(request.csp_nonce) if request is not None and hasattr(request, "csp_nonce") else ""


# A stand-in for the nonce that form media can hold at import time: it reads the nonce
# of whichever request renders it (see SecurityConfig.ready).
request_nonce = lazy(current_nonce, str)()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return super().__call__(request)
        finally:
            _current_request.reset(token)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and is_admin_path(request):
            parts.update = {**settings.CONTENT_SECURITY_POLICY_ADMIN_ADDITIONS, **(parts.update or {})}
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class TwoFactorMiddleware:
    """Send staff who owe a two-factor code to the page that asks for it.

    "Owe" means: signed in with a password, not yet verified with a code in this
    session, and either they have a confirmed authenticator or their group must use one.
    Sign-out and the two-factor pages themselves stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_admin_path(request) and request.path_info not in self.exempt_paths():
            state = two_factor_state(request.user)
            if state in ("verify", "enrol"):
                target = reverse(f"security:two-factor-{state}")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def exempt_paths():
        return {
            reverse("admin:login"),
            reverse("admin:logout"),
            reverse("security:two-factor-verify"),
            reverse("security:two-factor-enrol"),
        }
