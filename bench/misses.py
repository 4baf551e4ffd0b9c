#!/usr/bin/env python3
"""What a page-cache miss costs, and where it goes: numbers for issue 12's "misses get cheap".

    python bench/misses.py [--rounds 2000] [--articles 60]

1. The bench's template floor (bench/templates/bench/floor.html: 72 teasers, about 20 KB)
   rendered by Django's template language and by Django's built-in Jinja2 backend
   (bench/jinja2/bench/floor.html, the same markup), with the same context processors.
2. Where an uncached article page, the home page and a tag page spend their server
   time, through the test client on a throwaway SQLite database (tests' settings, page
   cache off): rendering templates (queries made from inside them included), and
   database queries. What a faster engine could save at most is the template share.

3. The home page and a tag page made again after an edit retired them (the page cache on,
   one published story edited before each request), with kept teasers
   (pagecache/fragments.py) and without.

Prints all three; writes nothing outside a temporary database.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
BENCH = Path(__file__).resolve().parent


def median_microseconds(render, rounds):
    for _ in range(50):
        render()
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        render()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1e6


def engines(rounds):
    from django.conf import settings
    from django.template import engines as configured
    from django.template.backends.django import DjangoTemplates
    from django.template.backends.jinja2 import Jinja2
    from django.test import RequestFactory

    from bench.urls import TEASERS

    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    django_engine = DjangoTemplates(
        {
            "NAME": "floor-django",
            "DIRS": [BENCH / "templates"],
            "APP_DIRS": False,
            "OPTIONS": {"context_processors": processors},
        }
    )
    jinja_engine = Jinja2(
        {
            "NAME": "floor-jinja2",
            "DIRS": [BENCH / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {"context_processors": processors},
        }
    )
    assert configured.all()  # the project's own engines load as usual
    request = RequestFactory().get("/bench/template/")
    context = {"teasers": TEASERS}
    by_django = django_engine.get_template("bench/floor.html")
    by_jinja = jinja_engine.get_template("bench/floor.html")
    same = " ".join(by_django.render(context, request).split()) == " ".join(
        by_jinja.render(context, request).split()
    )
    return {
        "django": median_microseconds(lambda: by_django.render(context, request), rounds),
        "jinja2": median_microseconds(lambda: by_jinja.render(context, request), rounds),
        "same_output": same,
        "size": len(by_django.render(context, request)),
    }


def share_of_templates(url, client, rounds=30):
    """(median ms per request, share of it rendering templates, share in database queries).

    Templates: the time inside the backend's Template.render of the outermost template
    (includes and inclusion tags are inside it), queries included; the database: the
    time inside the driver's execute, wherever it is called from.
    """
    from django.db import connection
    from django.template.backends.django import Template

    spent = {"templates": 0.0, "database": 0.0, "depth": 0}
    real_render = Template.render

    def timed_render(self, *args, **kwargs):
        spent["depth"] += 1
        start = time.perf_counter()
        try:
            return real_render(self, *args, **kwargs)
        finally:
            spent["depth"] -= 1
            if not spent["depth"]:
                spent["templates"] += time.perf_counter() - start

    def timed_query(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["database"] += time.perf_counter() - start

    for _ in range(3):
        client.get(url)
    timings = []
    Template.render = timed_render
    try:
        with connection.execute_wrapper(timed_query):
            for _ in range(rounds):
                start = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
    finally:
        Template.render = real_render
    total = sum(timings)
    return statistics.median(timings) * 1000, spent["templates"] / total, spent["database"] / total


def pages(articles):
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PAGE_CACHE = False
    connection.creation.create_test_db(verbosity=0)
    from tests.builders import make_article, make_author, make_image, make_section

    sections = [make_section() for _ in range(4)]
    authors = [make_author() for _ in range(6)]
    image = make_image()
    paragraphs = "".join(
        f"<p>Paragraph {n} of a story of the usual length, with a few sentences in it.</p>" for n in range(30)
    )
    for n in range(articles):
        make_article(
            title=f"Story {n}",
            slug=f"story-{n}",
            body=paragraphs,
            section=sections[n % 4],
            authors=[authors[n % 6], authors[(n + 1) % 6]],
            people=[f"Person {n % 12}", f"Person {(n + 5) % 12}"],
            places=[f"Place {n % 7}"],
            lead_image=image,
        )
    client = Client()
    shares = {
        "article": share_of_templates(f"/articles/story-{articles - 1}/", client),
        "home": share_of_templates("/", client),
        "tag page": share_of_templates("/people/person-1/", client),
    }
    return shares, remade_after_an_edit(client, articles)


def tag_page(articles):
    """A person page the newest story (the one edited) is on."""
    return f"/people/person-{(articles - 1) % 12}/"


def remade_after_an_edit(client, articles, rounds=40):
    """Median ms of a miss right after a published story on the page was edited."""
    from django.conf import settings

    from articles.models import Article
    from pagecache import fragments

    settings.PAGE_CACHE = True
    edited = Article.objects.get(slug=f"story-{articles - 1}")  # the newest: on both pages
    results = {}
    for fragments_on in (False, True):
        settings.PAGE_CACHE_FRAGMENTS = 5000 if fragments_on else 0
        fragments.clear()
        for url in ("/", tag_page(articles)):
            client.get(url)
            timings = []
            for n in range(rounds):
                edited.dek = f"Edit {n}"
                edited.save()
                start = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - start)
                assert response["X-Page-Cache"] == "miss", url
            results[(url, fragments_on)] = statistics.median(timings) * 1000
    settings.PAGE_CACHE = False
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--articles", type=int, default=60)
    options = parser.parse_args()

    import django

    django.setup()
    floor = engines(options.rounds)
    print(
        f"template floor ({floor['size']:,} bytes, same output: {floor['same_output']}), median of {options.rounds}:"
    )
    print(f"  Django templates  {floor['django']:8.0f} µs")
    print(
        f"  Jinja2            {floor['jinja2']:8.0f} µs   ({floor['django'] / floor['jinja2']:.1f}× faster)"
    )
    print("\nuncached pages (SQLite, test client): median ms; share rendering templates; share in queries")
    shares, remade = pages(options.articles)
    for name, (ms, templates, database) in shares.items():
        print(f"  {name:9} {ms:7.1f} ms   templates {templates:5.0%}   database {database:5.0%}")
    print("\nmade again right after a published story was edited (page cache on): median ms")
    for url in ("/", tag_page(options.articles)):
        without, with_kept = remade[(url, False)], remade[(url, True)]
        print(
            f"  {url:18} without kept teasers {without:6.1f}   with {with_kept:6.1f}   ({without / with_kept:.1f}×)"
        )


if __name__ == "__main__":
    main()
