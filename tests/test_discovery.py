"""Discovery: related stories under an article, "often with" on tag pages, letter jumps on the A–Z indexes."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from articles.models import Status
from tests.builders import make_article

pytestmark = pytest.mark.django_db


def related_titles(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return [story.title for story in response.context["related_articles"]]


# Related stories


def test_related_stories_rank_by_shared_tags_people_and_events_above_places(client):
    now = timezone.now()
    article = make_article(
        title="Xi in Moscow",
        people=["Xi Jinping", "Vladimir Putin"],
        places=["Moscow", "Kremlin"],
        events=["State visit"],
    )
    make_article(
        title="Two people", people=["Xi Jinping", "Vladimir Putin"], published_at=now - timedelta(days=30)
    )
    make_article(title="One place", places=["Moscow"], published_at=now)  # newest, but a place weighs 1
    make_article(title="One event", events=["State visit"], published_at=now - timedelta(days=5))
    make_article(title="One person", people=["Xi Jinping"], published_at=now - timedelta(days=9))
    make_article(title="Nothing shared", people=["Someone else"], places=["Paris"])
    # 4, then 2 and 2 (newer first), then 1; at most four
    make_article(title="Two places, old", places=["Moscow", "Kremlin"], published_at=now - timedelta(days=60))
    assert related_titles(client, article) == ["Two people", "One event", "One person", "Two places, old"]


def test_related_stories_break_ties_newest_first_and_never_show_the_article(client):
    now = timezone.now()
    article = make_article(title="Subject", people=["Ada Lovelace"])
    for days in (3, 1, 2):
        make_article(
            title=f"{days} days ago", people=["Ada Lovelace"], published_at=now - timedelta(days=days)
        )
    assert related_titles(client, article) == ["1 days ago", "2 days ago", "3 days ago"]


def test_related_stories_are_only_published_ones(client):
    article = make_article(title="Subject", people=["Ada Lovelace"])
    make_article(title="Draft", status=Status.DRAFT, people=["Ada Lovelace"])
    make_article(title="Scheduled", published_at=timezone.now() + timedelta(days=1), people=["Ada Lovelace"])
    make_article(title="Visible", people=["Ada Lovelace"])
    assert related_titles(client, article) == ["Visible"]


def test_related_candidates_are_each_shared_tags_newest_articles(client, monkeypatch):
    """A tag on thousands of articles offers only its newest as candidates; a rarer tag still finds its own."""
    monkeypatch.setattr("articles.querysets.RELATED_CANDIDATES_PER_TAG", 2)
    make_article(title="Old summit", people=["Xi Jinping", "Li Qiang"])
    for n in range(3):
        make_article(title=f"Older Xi story {n}", people=["Xi Jinping"])
    make_article(title="Newest Xi story", people=["Xi Jinping"])
    article = make_article(title="Xi and Li", people=["Xi Jinping", "Li Qiang"])
    # Xi Jinping's two newest taggings (the article itself and the newest story), and Li
    # Qiang's: the old summit, which shares both and so comes first.
    assert related_titles(client, article) == ["Old summit", "Newest Xi story"]


def test_related_stories_show_at_the_foot_of_the_article(client):
    article = make_article(title="Subject", people=["Ada Lovelace"])
    other = make_article(title="A related story", people=["Ada Lovelace"])
    content = client.get(article.get_absolute_url()).content.decode()
    foot = content.split('<h2 id="related-heading">Related stories</h2>')[1]
    assert f'href="{other.get_absolute_url()}"' in foot


def test_article_without_tags_has_no_related_section(client):
    article = make_article(title="Lonely")
    make_article(title="Other")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "Related stories" not in content


# Often with


def test_tag_page_offers_the_tags_most_often_seen_with_it(client):
    make_article(people=["Vladimir Putin", "Xi Jinping"], places=["Moscow"])
    make_article(people=["Vladimir Putin", "Xi Jinping"], events=["State visit"])
    make_article(people=["Vladimir Putin"], places=["Moscow"])
    make_article(people=["Vladimir Putin", "Xi Jinping"], places=["Kremlin"])
    make_article(people=["Someone apart"])
    response = client.get("/people/vladimir-putin/")
    names = [tag.name for tag in response.context["often_with"]]
    assert names == ["Xi Jinping", "Moscow", "Kremlin", "State visit"]
    assert Section(response.content.decode(), 'class="often-with"').links == [
        ("/people/xi-jinping/", "Xi Jinping"),
        ("/places/moscow/", "Moscow"),
        ("/places/kremlin/", "Kremlin"),
        ("/events/state-visit/", "State visit"),
    ]


def test_often_with_counts_published_articles_only(client):
    make_article(people=["Vladimir Putin"], places=["Moscow"])
    for status in (Status.DRAFT, Status.REVIEW):
        make_article(people=["Vladimir Putin"], places=["Secret Dacha"], status=status)
    make_article(
        people=["Vladimir Putin"], places=["Secret Dacha"], published_at=timezone.now() + timedelta(days=1)
    )
    response = client.get("/people/vladimir-putin/")
    assert [tag.name for tag in response.context["often_with"]] == ["Moscow"]
    assert "Secret Dacha" not in response.content.decode()


def test_often_with_counts_the_tags_newest_articles(client, monkeypatch):
    monkeypatch.setattr("articles.discovery.OFTEN_WITH_ARTICLES", 2)
    make_article(people=["Xi Jinping"], places=["Beijing"])
    make_article(people=["Xi Jinping"], places=["Moscow"])
    make_article(people=["Xi Jinping"], places=["Moscow"])
    response = client.get("/people/xi-jinping/")
    assert [tag.name for tag in response.context["often_with"]] == ["Moscow"]


def test_tag_seen_alone_offers_nothing(client):
    make_article(people=["Hermit"])
    response = client.get("/people/hermit/")
    assert response.context["often_with"] == []
    assert "Often with" not in response.content.decode()


# A–Z letter jumps


def test_index_letter_jumps_link_each_letter_with_names_to_its_page(client):
    make_article(
        people=["Vladimir Putin", "Xi Jinping", "Angela Merkel", "Ángela Ruiz", "Antony Blinken", "习近平"]
    )
    content = client.get("/people/").content.decode()
    assert content.count('id="letter-A"') == 1  # accented names join their letter's one group
    jumps = Section(content, 'class="letter-jumps"')
    # Each letter with names links to its page, with how many names it holds.
    assert jumps.links == [
        ("/people/a-z/a/", "A 3 names"),
        ("/people/a-z/v/", "V 1 name"),
        ("/people/a-z/x/", "X 1 name"),
        ("/people/a-z/other/", "#Other 1 name"),  # "#" hidden from screen readers, "Other" shown to them
    ]
    for href, _ in jumps.links:
        assert client.get(href).status_code == 200
    # Every letter is shown, those without names as plain text.
    assert [word for word in jumps.text.split() if not word.isdigit() and "name" not in word] == [
        *"ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "#",
        "Other",
    ]


class Section(HTMLParser):
    """The links (href, text) and the text inside the first element whose start tag contains `marker`."""

    def __init__(self, source, marker):
        super().__init__()
        self.marker, self.depth, self.links, self.text, self.href = marker, 0, [], "", None
        self.feed(source)

    def handle_starttag(self, tag, attrs):
        if self.depth or (not self.links and not self.text and self.marker in self.get_starttag_text()):
            self.depth += 1
        if self.depth and tag == "a":
            self.href, self.link_text = dict(attrs)["href"], ""

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag == "a" and self.href is not None:
            self.links.append((self.href, self.link_text.strip()))
            self.href = None
        self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text += f" {data} "
            if self.href is not None:
                self.link_text += data
