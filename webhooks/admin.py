from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from .delivery import RefusedTarget, check_target, send_again
from .models import Delivery, Endpoint, Event


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label="URL",
        max_length=500,
        assume_scheme="https",
        help_text="Where to POST events. Addresses on this machine or a private network are refused.",
    )
    events = forms.MultipleChoiceField(
        choices=Event.choices, widget=forms.CheckboxSelectMultiple, help_text="The events sent to this URL."
    )

    class Meta:
        model = Endpoint
        fields = ["url", "events", "secret", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_target(url)
        except RefusedTarget as err:
            raise ValidationError(str(err)) from err
        return url


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "event_list", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url"]

    @admin.display(description="events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "short_error",
        "created_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    search_fields = ["subject", "endpoint__url", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["endpoint"]
    actions = ["send_again_action"]
    readonly_fields = [field.name for field in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False  # deliveries are queued by publishing, not typed in

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="last error")
    def short_error(self, delivery):
        return delivery.last_error[:80]

    @admin.action(description="Send again", permissions=["view"])
    def send_again_action(self, request, queryset):
        count = send_again(queryset)
        self.message_user(
            request,
            f"{count} deliver{'y' if count == 1 else 'ies'} queued again; "
            "deliver_webhooks sends them on its next pass.",
            messages.SUCCESS,
        )
