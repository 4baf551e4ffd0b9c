"""The walkers themselves: every surface must answer, and what it answers is checked."""

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from articles.models import Article, Status
from holr import urls as site_urls
from tests.builders import make_article
from tests.surfaces import Surface, all_surfaces, walk


def leaky_feed(request):
    """A feed as a careless branch might write it: every article, published or not."""
    titles = "".join(f"<item><title>{a.title}</title></item>" for a in Article.objects.all())
    return HttpResponse(f"<rss><channel>{titles}</channel></rss>", content_type="application/rss+xml")


urlpatterns = [path("feed/", leaky_feed), *site_urls.urlpatterns]


@pytest.mark.django_db
def test_walk_refuses_a_surface_that_answers_404(client):
    with pytest.raises(AssertionError, match="answered 404"):
        list(walk(client, [Surface("/no-such-page/")]))


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_leaky_surface_is_walked_and_its_body_handed_to_the_checks(client):
    make_article(title="Draft only", status=Status.DRAFT, published_at=None)
    bodies = {
        surface.url: response.content.decode() for surface, response in walk(client, all_surfaces(["x"]))
    }
    assert "Draft only" in bodies["/feed/"]  # so the visibility test, which scans every body, would fail
