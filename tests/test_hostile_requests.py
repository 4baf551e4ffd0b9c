"""Random paths, query strings and headers on every public URL: never a 500.

The answer is always 200, 301/302, 400 or 404 (410 for something deleted).
Property-based (hypothesis), deterministic and kept small so the suite stays fast.
"""

from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.builders import make_article, make_author, make_section

ALLOWED = {200, 301, 302, 400, 404, 410}
# Deterministic, no example database on disk, and modest counts (about 1 s each here).
requests_settings = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Real slugs (so the pages that exist are hit too), and the hostile kinds of text.
KNOWN_SLUGS = ["moscow-talks", "vladimir-putin", "moscow", "state-visit", "news", "anna-k", "习近平"]
hostile_text = st.one_of(
    st.sampled_from(KNOWN_SLUGS),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "..",
            "%00",
            "%ff",
            "%",
            "../../etc/passwd",
            "' OR 1=1 --",
            "<script>",
            "x" * 5000,
            "é" * 300,
            "\ud7ff",
            "1e9",
            "-1",
            "0",
            "99999999999999999999",
            " ",
            "\t\n",
        ]
    ),
)
# Strings whose UTF-8 form is then percent-encoded into the path.
segment = hostile_text.map(lambda text: quote(text.encode("utf-8", "surrogatepass"), safe=""))
raw_segment = st.sampled_from(["%ff", "%c0%ae", "%", "%zz", "%2e%2e", "%00", ";", "..", "~", "@"])

PUBLIC_PATHS = [
    "/",
    "/admin/",
    "/admin/login/",
    "/admin/{}/{}/",
    "/static/{}",
    "/media/{}",
    "/articles/{}/",
    "/sections/{}/",
    "/authors/{}/",
    "/people/",
    "/places/",
    "/events/",
    "/people/{}/",
    "/places/{}/",
    "/events/{}/",
    "/{}/",
    "/{}/{}/",
    "/articles/{}/{}/",
    # built in parallel (404 here until merged): feeds, search, sitemaps, share links, health
    "/feed/",
    "/feed/atom/",
    "/people/{}/feed/",
    "/sections/{}/feed/",
    "/authors/{}/feed/",
    "/search/",
    "/sitemap.xml",
    "/news-sitemap.xml",
    "/robots.txt",
    "/preview/{}/",
    "/healthz",
]


@st.composite
def paths(draw):
    template = draw(st.sampled_from(PUBLIC_PATHS))
    parts = [draw(st.one_of(segment, raw_segment)) for _ in range(template.count("{}"))]
    return template.format(*parts)


query_values = st.one_of(hostile_text, st.integers(min_value=-(10**20), max_value=10**20).map(str))
queries = st.dictionaries(
    st.sampled_from(["page", "q", "p", "o", "format", "vocabulary", "utm_source", "\x00", "page[]"])
    | st.text(max_size=8),
    query_values,
    max_size=4,
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "Accept": st.sampled_from(["*/*", "application/json", "text/html;q=abc", "\x00", "x" * 3000]),
        "Accept-Language": st.sampled_from(["en", "zh-Hans-CN", "*;q=0", "xx-yy-zz-" * 50, "é", "\x00"]),
        "User-Agent": hostile_text,
        "Cookie": st.sampled_from(
            ["sessionid=garbage", "csrftoken=" + "x" * 4000, "=;=;", "sessionid=\x00", "a=b; a=c"]
        ),
        "If-Modified-Since": st.sampled_from(["yesterday", "Sat, 29 Feb 2100 00:00:00 GMT", "\x00"]),
        "If-None-Match": st.sampled_from(['"abc"', "*", "W/", "\x00"]),
        "Range": st.sampled_from(["bytes=0-0", "bytes=-1", "bytes=9-1", "lines=1"]),
        "X-Forwarded-Proto": st.sampled_from(["https", "gopher", ""]),
        "X-Forwarded-For": st.sampled_from(["1.2.3.4", "not-an-ip", "::1, ::1"]),
        "Host": st.sampled_from(
            ["testserver", "evil.example", "testserver:99999", "", "a" * 300, "testserver\x00"]
        ),
        "Referer": hostile_text,
    },
)


class HostileRequestTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        section = make_section(name="News", slug="news")
        author = make_author(name="Anna K", slug="anna-k")
        make_article(
            title="Moscow talks",
            slug="moscow-talks",
            section=section,
            authors=[author],
            people=["Vladimir Putin", "习近平"],
            places=["Moscow"],
            events=["State visit"],
        )

    def assertAnswered(self, response, request):
        self.assertIn(response.status_code, ALLOWED, request)

    @requests_settings
    @given(path=paths(), query=queries)
    def test_random_paths_and_query_strings_never_error(self, path, query):
        url = f"{path}?{urlencode(query)}" if query else path
        self.assertAnswered(self.client.get(url), url)

    @requests_settings
    @given(
        path=st.sampled_from(
            ["/", "/articles/moscow-talks/", "/people/", "/people/vladimir-putin/", "/sections/news/"]
        ),
        query=queries,
        request_headers=headers,
    )
    def test_random_headers_never_error(self, path, query, request_headers):
        response = self.client.get(path, query, headers=request_headers)
        self.assertAnswered(response, (path, query, request_headers))

    @requests_settings
    @given(
        path=paths(),
        method=st.sampled_from(["POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "BREW"]),
        body=st.binary(max_size=200),
    )
    def test_other_methods_never_error(self, path, method, body):
        response = self.client.generic(method, path, body, content_type="application/octet-stream")
        self.assertIn(response.status_code, ALLOWED | {403, 405}, (method, path))
