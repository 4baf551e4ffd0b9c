#!/usr/bin/env python3
"""Cache hit ratio while an editor saves a draft once a second (issue 12), in one process.

    python bench/draft_hit_ratio.py [--seconds 10] [--articles 200]

A throwaway SQLite database (tests' settings, page cache on, local memory), `--articles`
published articles and one draft; a reader fetches home, home page 2, the A–Z index and
the 60 newest article pages round-robin through Django's test client, while every second
the draft is saved (a new dek and a new tag: the article, its search entry, a new tag and
its through row). Prints the hit ratio and pages/s, with the "unseen" rule of
articles/unseen.py on, and off (every save retiring every page, as before issue 12).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--articles", type=int, default=200)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.PAGE_CACHE = True
    connection.creation.create_test_db(verbosity=0)

    from articles.models import Status
    from pagecache import versions
    from tests.builders import make_article

    for n in range(options.articles):
        make_article(title=f"Story {n}", slug=f"story-{n}", people=[f"Person {n % 40}"])
    draft = make_article(
        title="Work in progress", slug="work-in-progress", status=Status.DRAFT, published_at=None
    )
    reader = Client()
    newest = range(options.articles - 60, options.articles)
    urls = ["/", "/?page=2", "/people/"] + [f"/articles/story-{n}/" for n in newest]

    def save_draft(n):
        from articles.models import Article

        article = Article.objects.get(pk=draft.pk)
        article.dek = f"Draft save {n}"
        article.save()
        article.people.add(f"Drafted person {n}")

    def phase(label):
        for url in urls:
            reader.get(url)
        hits = total = saves = 0
        start = last_save = time.monotonic()
        while time.monotonic() - start < options.seconds:
            if time.monotonic() - last_save >= 1:
                save_draft(saves)
                saves += 1
                last_save = time.monotonic()
            response = reader.get(urls[total % len(urls)])
            hits += response.get("X-Page-Cache") == "hit"
            total += 1
        elapsed = time.monotonic() - start
        print(f"{label:<42} {saves:>5} saves {total / elapsed:>8.0f} pages/s  hit ratio {hits / total:.3f}")

    print(f"{options.articles} articles, SQLite + local memory, {options.seconds:.0f} s per phase")
    phase("draft saves, unseen changes retire nothing")
    deciders = list(versions._unseen_deciders)
    versions._unseen_deciders.clear()
    phase("draft saves, every save retires (before)")
    versions._unseen_deciders.extend(deciders)


if __name__ == "__main__":
    main()
