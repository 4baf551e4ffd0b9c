from django import template
from django.urls import reverse

from articles.models import Article, Status
from editorial.workflow import is_editor

register = template.Library()


@register.inclusion_tag("admin/articles/review_queue.html", takes_context=True)
def review_queue(context):
    """For editors on the admin index: how many articles wait for review, linking to them."""
    user = context["request"].user
    if not is_editor(user):
        return {"shown": False}
    return {
        "shown": True,
        "count": Article.objects.filter(status=Status.REVIEW).count(),
        "url": reverse("admin:articles_article_changelist") + f"?status__exact={Status.REVIEW}",
    }
