"""Time /search/ and count its queries over a few thousand generated articles.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python bench/search_bench.py --articles 3000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/search_bench.py

Migrates the database it is given, adds articles whose slugs start with "bench-"
(deleting earlier ones first), rebuilds the search index and prints a table. Use a
scratch database: it writes to whatever DATABASE_URL names.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.utils import timezone

from articles.models import Article, Person, Place, Status, TaggedPerson, TaggedPlace
from search.documents import rebuild_index

WORDS = [
    "harbour",
    "glacier",
    "election",
    "summit",
    "market",
    "river",
    "council",
    "budget",
    "museum",
    "treaty",
    "border",
    "energy",
    "pipeline",
    "housing",
    "festival",
    "court",
    "verdict",
    "strike",
    "railway",
    "drought",
    "harvest",
    "vaccine",
    "satellite",
    "archive",
    "orchestra",
    "novel",
    "painting",
    "referendum",
    "ministry",
    "parliament",
    "coalition",
    "protest",
    "ceasefire",
]
PEOPLE = ["Vladimir Putin", "Xi Jinping", "Angela Merkel", "Anne Hidalgo", "Lise Meitner", "Otto Hahn"]
PLACES = ["Moscow", "Beijing", "Paris", "Zürich", "Lisbon", "Vienna", "Berlin"]
QUERIES = ["glacier", "putin", "harbour election", '"energy pipeline"', "zürich", "nothingmatcheshere"]


# Filler words, so the topic words above are as rare as real topics (each in about a
# fifth of the articles) rather than in every one.
FILLER = ["".join(random.Random(n).choices("abcdefghijklmnoprstuvw", k=3 + n % 7)) for n in range(5000)]


def sentence(rng, n):
    words = rng.choices(FILLER, k=n - 1) + [rng.choice(WORDS)]
    rng.shuffle(words)
    return " ".join(words).capitalize() + "."


def make_articles(count, rng):
    Article.objects.filter(slug__startswith="bench-").delete()
    people = [
        Person.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})[0]
        for name in PEOPLE
    ]
    places = [Place.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0] for name in PLACES]
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            title=sentence(rng, 6)[:-1],
            slug=f"bench-{n}",
            dek=sentence(rng, 18),
            body="".join(f"<p>{sentence(rng, 60)}</p>" for _ in range(rng.randint(2, 8))),
            status=Status.PUBLISHED if n % 10 else Status.DRAFT,
            published_at=now - timezone.timedelta(minutes=n),
            word_count=480,
        )
        for n in range(count)
    )
    TaggedPerson.objects.bulk_create(
        TaggedPerson(content_object=article, tag=tag) for article in articles for tag in rng.sample(people, 2)
    )
    TaggedPlace.objects.bulk_create(
        TaggedPlace(content_object=article, tag=rng.choice(places)) for article in articles
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()  # so responses carry their context
    call_command("migrate", verbosity=0)
    rng = random.Random(4)
    started = time.perf_counter()
    with transaction.atomic():
        make_articles(args.articles, rng)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic():
        indexed = rebuild_index()
    rebuilt = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live site

    client = Client()
    print(
        f"{connection.vendor}: {args.articles} articles ({indexed} indexed); generated in {generated:.1f} s, "
        f"index rebuilt in {rebuilt:.2f} s"
    )
    print(f"{'query':<24} {'results':>8} {'queries':>8} {'median ms':>10} {'p90 ms':>8}")
    for q in QUERIES:
        client.get("/search/", {"q": q})  # warm the masthead cache
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/search/", {"q": q})
                timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        timings.sort()
        print(
            f"{q:<24} {response.context['paginator'].count:>8} {len(queries.captured_queries):>8} "
            f"{statistics.median(timings):>10.1f} {timings[int(len(timings) * 0.9) - 1]:>8.1f}"
        )


if __name__ == "__main__":
    main()
