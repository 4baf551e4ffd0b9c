from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Security"

    def ready(self):
        # The admin index names apps by verbose_name; say what these two hold.
        from django.apps import apps

        apps.get_app_config("axes").verbose_name = "Sign-in attempts"
        apps.get_app_config("otp_totp").verbose_name = "Two-factor devices"

        from axes.signals import user_locked_out

        from .lockout import log_lockout

        user_locked_out.connect(log_lockout, dispatch_uid="security.log_lockout")

        # django-prose-editor renders an inline <script type="importmap">, which the
        # admin's policy allows only with the request's nonce. js_asset's Media carries
        # a nonce through every merge into the admin form's media; give it ours.
        from django_prose_editor import widgets

        from .middleware import request_nonce

        for media in (widgets.prose_editor_base_media, widgets.prose_editor_admin_media):
            media.nonce = request_nonce
