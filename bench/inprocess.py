"""In-process half of the benchmark: which URLs to load, and what each costs on the server.

Run by bench/run.py with the same environment as the gunicorn it benchmarks (settings
bench.settings). Prints one JSON object: the pages to load (found in the database: the
newest article, the most-tagged person, …), and for each its status, size, queries per
request in the steady state (the third request) and median server time through the test
client; the admin changelist at this size; the cost of a big tag's count; the sitemap
section's peak memory. Changes nothing: the admin user it needs is rolled back.
"""

import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup()

from django.contrib.auth import get_user_model
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.letters import letter_initials, page_starts
from articles.models import Article, Person
from articles.vocabularies import VOCABULARIES
from bench.run import search_table
from search.backends import search
from search.query import parse

MID_FREQUENCY = 800  # the search table's mid-frequency name: the person on the most articles up to this
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL")
DEEP_PAGE = 200
DEEPEST_PAGE = 1000  # the deep-pagination target: a 30,000-article tag's page 1,000
ARTICLES_PER_PAGE = 20


def biggest_person():
    """The person on the most published articles, with `article_count`."""
    return (
        Person.objects.filter(tagged_articles__content_object__in=Article.objects.published())
        .annotate(article_count=Count("tagged_articles"))
        .order_by("-article_count")
        .first()
    )


def find_pages():
    """(name, path) for every page the benchmark loads, in table order."""
    pages = [("floor: fixed 20 KB", "/bench/fixed/"), ("floor: 20 KB template", "/bench/template/")]
    pages.append(("home", "/"))
    article = Article.objects.published().exclude(lead_image=None).first()
    if article:
        pages.append(("article", article.get_absolute_url()))
    tag = biggest_person()
    if tag:
        last_page = max(1, -(-tag.article_count // ARTICLES_PER_PAGE))
        url = tag.get_absolute_url()
        pages.append((f"tag page 1 ({tag.article_count} articles)", url))
        pages.append((f"tag page {min(DEEP_PAGE, last_page)}", f"{url}?page={min(DEEP_PAGE, last_page)}"))
        if last_page >= DEEPEST_PAGE:
            pages.append((f"tag page {DEEPEST_PAGE}", f"{url}?page={DEEPEST_PAGE}"))
    pages.append(("api: article list", "/api/v1/articles/"))
    if article:
        pages.append(("api: article", f"/api/v1/articles/{quote(article.slug)}/"))
    pages.append(("people A–Z", "/people/"))
    # The letter with the most names, and its last page (issue 12: a page per letter).
    letters = letter_initials(VOCABULARIES["people"])
    if letters:
        letter = max(letters, key=lambda letter: letters[letter][0])
        url = reverse("articles:tag-letter", kwargs={"vocabulary": "people", "letter": letter})
        pages.append((f"people A–Z, {letter} ({letters[letter][0]} names)", url))
        last_page = len(page_starts(VOCABULARIES["people"], letter, letters))
        if last_page > 1:
            pages.append((f"people A–Z, {letter} page {last_page}", f"{url}?page={last_page}"))
    if tag:
        pages.append((f"search “{tag.name}”", f"/search/?q={quote(tag.name)}"))
    pages.append(("feed", "/feed/"))
    pages.append(("sitemap section", sitemap_section()))
    pages.append(("static CSS", staticfiles_storage.url("css/holr.css")))
    return pages, tag


def sitemap_section():
    """The first section of /sitemap.xml when it is an index, else /sitemap.xml itself."""
    response = Client(raise_request_exception=False).get("/sitemap.xml")
    content = response.content.decode(errors="replace") if response.status_code == 200 else ""
    if "<sitemapindex" in content and "<loc>" in content:
        location = content.split("<loc>", 1)[1].split("</loc>", 1)[0].strip()
        parts = urlsplit(location.replace("&amp;", "&"))
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/sitemap.xml"


def measure(client, path, repeat):
    """Status, size, steady-state queries and median server time (ms) of one page."""
    client.get(path)
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    query_count = len(queries)  # now: the next request clears the connection's query log
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    content = (
        getattr(response, "content", b"") if not response.streaming else b"".join(response.streaming_content)
    )
    return {
        "status": response.status_code,
        "bytes": len(content),
        "queries": query_count,
        "server_ms": round(statistics.median(times), 2),
    }


def search_queries(tag):
    """(name, q) for the search table: the most-tagged person's name, a mid-frequency one, a rare one, no match."""
    searches = [(f"most-tagged person “{tag.name}”", tag.name)] if tag else []
    counted = (
        Person.objects.filter(tagged_articles__content_object__in=Article.objects.published())
        .annotate(article_count=Count("tagged_articles"))
        .order_by()
    )
    middle = counted.filter(article_count__lte=MID_FREQUENCY).order_by("-article_count").first()
    rare = counted.filter(article_count__gte=1).order_by("article_count", "name").first()
    if middle:
        searches.append((f"a person on {middle.article_count} articles “{middle.name}”", middle.name))
    if rare:
        searches.append((f"a person on {rare.article_count} “{rare.name}”", rare.name))
    searches.append(("no match “zyzzyva”", "zyzzyva"))
    return searches


def search_figures(tag, runs):
    """Server time of /search/ (page cache off): p50 and p99 over `runs`, matches found, queries that read."""
    client = Client(raise_request_exception=False)
    figures = []
    for name, q in search_queries(tag):
        path = f"/search/?q={quote(q)}"
        response = client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        # Now: the next request clears the connection's query log.
        reads = sum(not query["sql"].startswith(TRANSACTION_CONTROL) for query in queries)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        results = search(Article.objects.published(), parse(q).terms)
        figures.append(
            {
                "name": name,
                "path": path,
                "status": response.status_code,
                "found": len(results.ids),
                "has_more": results.has_more,
                "queries": reads,
                "p50_ms": round(statistics.median(times), 2),
                "p99_ms": round(times[min(len(times) - 1, round(len(times) * 0.99) - 1)], 2),
            }
        )
    return figures


def sitemap_memory(path):
    """Peak Python memory (MB) while rendering a sitemap section."""
    client = Client(raise_request_exception=False)
    client.get(path)
    tracemalloc.start()
    response = client.get(path)
    if response.streaming:
        b"".join(response.streaming_content)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def admin_figures(tag, repeat):
    """The article changelist at this size, as a superuser; nothing is kept."""
    figures = {}
    with transaction.atomic():
        user = get_user_model().objects.create_superuser("bench-admin-inprocess", "bench@example.org", None)
        client = Client(raise_request_exception=False)
        client.force_login(user)
        paths = {"admin changelist": "/admin/articles/article/"}
        if tag:
            paths["admin changelist, person filter"] = f"/admin/articles/article/?people__id__exact={tag.pk}"
        paths["admin changelist, search"] = "/admin/articles/article/?q=summit"
        for name, path in paths.items():
            figures[name] = {"path": path, **measure(client, path, repeat)}
        transaction.set_rollback(True)
    return figures


def tag_count_ms(tag, repeat):
    """What the paginator's count of the biggest tag costs, in ms (median)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        Article.objects.published().filter(people=tag).count()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def database_version():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return f"{connection.vendor} {cursor.fetchone()[0]}"


def main():
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    if "--search" in sys.argv:  # only the search table, for a person: `bench/inprocess.py --search [RUNS]`
        runs = int(sys.argv[-1]) if sys.argv[-1].isdigit() else 30
        print(f"{database_version()}, {Article.objects.count()} articles, {runs} runs each")
        print(search_table(search_figures(biggest_person(), runs)))
        return
    pages, tag = find_pages()
    client = Client(raise_request_exception=False)
    result = {
        "database": database_version(),
        "articles": Article.objects.count(),
        "published": Article.objects.published().count(),
        "pages": [{"name": name, "path": path, **measure(client, path, repeat)} for name, path in pages],
        "admin": admin_figures(tag, repeat),
        "search": search_figures(tag, max(repeat * 3, 15)),
        "big_tag": {"name": tag.name, "articles": tag.article_count, "count_ms": tag_count_ms(tag, repeat)}
        if tag
        else None,
    }
    sitemap = next(page for page in result["pages"] if page["name"] == "sitemap section")
    if sitemap["status"] == 200:
        sitemap["peak_python_mb"] = sitemap_memory(sitemap["path"])
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
