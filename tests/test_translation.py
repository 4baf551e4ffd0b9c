"""The public site in French: every page type, no English left, French dates (docs/translation.md).

The English check is built from the catalogue itself: every word of an English msgid
that its French translations never use is an English UI word, and none may show on a
French page once the editors' own words (titles, deks, bodies, names) are taken out.
"""

import ast
import gettext
import json
import re
from datetime import UTC, datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from articles.models import Article, ArticleNote, NoteKind, Status
from pages.models import Page
from resilience.middleware import service_unavailable
from resilience.views import server_error

from .builders import make_article, make_author, make_image, make_section
from .surfaces import HTML, all_surfaces, walk

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "fr" / "LC_MESSAGES" / "django.mo"
SEARCH_TERMS = ["Vladimir Putin", "zzyzx"]
YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
SPOTIFY = "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC"
ENGLISH_DATE_WORDS = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
}
# Common English words, for UI text that was never marked for translation at all.
ENGLISH_COMMON_WORDS = {
    "the",
    "of",
    "and",
    "by",
    "to",
    "for",
    "with",
    "from",
    "yet",
    "your",
    "our",
    "this",
    "that",
    "is",
    "are",
    "be",
    "has",
    "have",
    "was",
    "were",
    "not",
    "at",
    "it",
    "we",
    "you",
    "here",
    "there",
    "about",
    "more",
    "all",
    "home",
    "back",
    "share",
    "posted",
    "published",
    "read",
    "view",
    "see",
    "new",
    "news",
}


def read_po(path):
    """The catalogue of a .po file as gettext.GNUTranslations holds it: {msgid: msgstr}.

    Contexts are "context\\x04msgid", plurals (msgid, n). Fuzzy entries are left out, as
    msgfmt leaves them out; the header is the "" entry.
    """
    catalog, entry, field = {}, {}, None

    def finish():
        if entry and "fuzzy" not in entry.get("flags", ""):
            msgid = entry.get("msgid", "")
            if "msgctxt" in entry:
                msgid = f"{entry['msgctxt']}\x04{msgid}"
            if "msgid_plural" in entry:
                for key, value in entry.items():
                    if key.startswith("msgstr["):
                        catalog[(msgid, int(key[7:-1]))] = value
            else:
                catalog[msgid] = entry.get("msgstr", "")
        entry.clear()

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            finish()
            field = None
        elif line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[field] += ast.literal_eval(line)
        else:
            field, _, value = line.partition(" ")
            entry[field] = ast.literal_eval(value)
    return catalog


def test_the_compiled_catalogue_matches_the_po_file():
    """django.mo holds exactly what django.po says: run `make messages` after editing the .po."""
    with MO.open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)._catalog
    written = read_po(PO)
    assert {key: value for key, value in compiled.items() if key != ""} == {
        key: value for key, value in written.items() if key != ""
    }


def test_every_message_is_translated_into_french():
    """No empty or fuzzy msgstr: a missing one would show English on a French page."""
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    untranslated = [key for key, value in read_po(PO).items() if key != "" and not value]
    assert untranslated == []
    assert len(read_po(PO)) > 90


def test_french_typography_in_the_catalogue():
    """A no-break space before ":" and inside « », a narrow one before ; ! ?, and no English quotes."""
    spaces = {":": "\u00a0", ";": "\u202f", "!": "\u202f", "?": "\u202f"}
    for key, french in read_po(PO).items():
        text = re.sub(r"<[^>]+>|%\(\w+\)s", "", french)
        if key == "" or not text:
            continue
        for match in re.finditer(r"[:;!?]", text):
            assert text[match.start() - 1] == spaces[match[0]], french
        assert text.count("«\u00a0") == text.count("«") and text.count("\u00a0»") == text.count("»"), french
        assert "“" not in text and '"' not in text and "'" not in text, french


def english_ui_words():
    """Words of the English messages that no French translation uses ("Search", "Latest"…)."""
    catalog = read_po(PO)
    english, french = set(), set()
    for key, value in catalog.items():
        if key == "":
            continue
        msgid = key[0] if isinstance(key, tuple) else key
        msgid = msgid.split("\x04")[-1]
        english |= _words(msgid)
        french |= _words(value)
    # msgid_plural forms are keys' second halves only in the .po: add them.
    for line in PO.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid_plural "):
            english |= _words(ast.literal_eval(line.partition(" ")[2]))
    return (english - french) | ENGLISH_DATE_WORDS | ENGLISH_COMMON_WORDS


def _words(text):
    text = re.sub(r"<[^>]+>|%\(\w+\)s|\\\w", " ", text)  # tags, placeholders, date-format escapes
    return {word.lower() for word in re.findall(r"[^\W\d_]{2,}", text)}


class _VisibleText(HTMLParser):
    """What a reader sees or hears: text outside <script>/<style>, and alt, aria-label,
    title and placeholder attributes, and the page's meta description."""

    SPOKEN = {"alt", "aria-label", "title", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in {"script", "style"}:
            self._skip += 1
        self.parts += [value for name, value in attrs if name in self.SPOKEN and value]
        if tag == "meta" and attributes.get("name") == "description":
            self.parts.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html):
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def content_strings():
    """Everything editors wrote, longest first, so it can be taken out before the check."""
    from articles.models import Author, Event, Person, Place, Section
    from images.models import Image

    strings = {settings.SITE_NAME, *SEARCH_TERMS}
    for article in Article.objects.all():
        strings |= {article.title, article.dek, article.caption, strip_tags(article.body)}
        strings |= _texts(article.body)
        strings |= {note.text for note in article.notes.all()}
    for page in Page.objects.all():
        strings |= {page.title, *_texts(page.body)}
    for author in Author.objects.all():
        strings |= {author.name, author.bio}
    strings |= {section.name for section in Section.objects.all()}
    for model in (Person, Place, Event):
        for tag in model.objects.all():
            strings |= {tag.name, tag.description}
    for image in Image.objects.all():
        strings |= {image.alt, image.credit}
    return sorted((s.strip() for s in strings if s and s.strip()), key=len, reverse=True)


def _texts(html):
    """The pieces of text between a body's tags: a figure's caption is rendered apart from its text."""
    return {part.strip() for part in re.split(r"<[^>]+>", html) if part.strip()}


def english_left(html, content, english):
    text = visible_text(html)
    for string in content:
        text = text.replace(string, " ")
    return sorted({word for word in _words(text) if word in english})


@pytest.fixture
def magazine(db):
    """A magazine with every page type filled in: 23 articles (two pages), a lead image,
    authors, a section, three vocabularies, a draft; one article deleted (410); an article
    with a correction and an update; an article with every kind of figure (image, gallery,
    video and audio embeds, pull quote) and a table; a page of the magazine's own, in the footer."""
    section = make_section(name="Monde", slug="monde")
    author = make_author(name="Marie Tremblay", slug="marie-tremblay", bio="Correspondante à Moscou.")
    second = make_author(name="Jean Roy", slug="jean-roy")
    image = make_image(alt="Deux dirigeants se serrent la main", credit="Photo HOLR")
    lead = make_article(
        title="Poutine et Xi au Kremlin",
        slug="poutine-xi-kremlin",
        dek="Une visite d’État de trois jours.",
        body="<p>Le président chinois est arrivé lundi.</p>",
        section=section,
        lead_image=image,
        caption="À Moscou, en mars.",
        published_at=datetime(2026, 3, 21, 9, 30, tzinfo=UTC),
        authors=[author, second],
        people=["Vladimir Putin", "Xi Jinping"],
        places=["Moscou"],
        events=["Visite d’État de Xi"],
    )
    for n in range(21):
        make_article(
            title=f"Dépêche {n}",
            slug=f"depeche-{n}",
            dek=f"Résumé de la dépêche {n}.",
            body=f"<p>Texte de la dépêche {n}.</p>",
            section=section,
            authors=[author],
            people=["Vladimir Putin"],
        )
    make_article(title="Brouillon secret", slug="brouillon", status=Status.DRAFT, published_at=None)
    make_article(title="Article retiré", slug="retire").delete()
    ArticleNote.objects.create(
        article=lead,
        kind=NoteKind.CORRECTION,
        noted_at=datetime(2026, 3, 22, 8, tzinfo=UTC),
        text="Une version précédente se trompait sur la durée de la visite.",
    )
    ArticleNote.objects.create(
        article=lead,
        kind=NoteKind.UPDATE,
        noted_at=datetime(2026, 3, 23, 8, tzinfo=UTC),
        text="Ajoute la réponse du Kremlin.",
    )
    foule = make_image(alt="La foule sur la place Rouge", credit="Anna Petrova")
    garde = make_image(alt="Une garde d’honneur", credit="")
    make_article(
        title="La visite en images",
        slug="visite-en-images",
        dek="Trois jours à Moscou.",
        section=section,
        authors=[author],
        body=(
            "<p>Le cortège est arrivé à midi.</p>"
            f'<figure data-image="{foule.pk}" data-size="wide">'
            "<figcaption>La foule a attendu des heures</figcaption></figure>"
            f'<figure data-gallery="{foule.pk},{image.pk},{garde.pk}">'
            "<figcaption>Le premier jour</figcaption></figure>"
            f'<figure data-embed="{YOUTUBE}"><figcaption>L’arrivée, filmée</figcaption></figure>'
            f'<figure data-embed="{SPOTIFY}"></figure>'
            '<figure data-pullquote=""><blockquote><p>Personne n’attendait un accord si tôt.</p></blockquote>'
            "<figcaption>Un diplomate occidental</figcaption></figure>"
            "<table><thead><tr><th>Jour</th><th>Rencontre</th></tr></thead>"
            "<tbody><tr><td>Lundi</td><td>Entretiens</td></tr></tbody></table>"
        ),
    )
    Page.objects.create(
        title="À propos", slug="a-propos", is_published=True, body="<p>Un magazine canadien.</p>"
    )
    return lead


class _Written:
    """A page render_error_pages wrote for nginx to serve, standing in for a response."""

    status_code = 414

    def __init__(self, path):
        self.content = path.read_bytes()


def french_pages(client, error_pages):
    """(url, response) for every HTML page a reader can reach, with the error pages,
    including the 414 page that nginx serves from render_error_pages' output."""
    pages = [(s.url, r) for s, r in walk(client, all_surfaces(SEARCH_TERMS)) if s.kind == HTML]
    pages.append(("/search/ (empty)", client.get(reverse("search:search"))))
    pages.append(("404", client.get("/articles/no-such-article/")))
    pages.append(("410", client.get(reverse("articles:detail", args=["retire"]))))
    pages.append(("500", server_error(RequestFactory().get("/"))))
    pages.append(("503", service_unavailable()))
    call_command("render_error_pages", str(error_pages), verbosity=0)
    pages.append(("414", _Written(error_pages / "414.html")))
    return pages


@override_settings(LANGUAGE_CODE="fr")
def test_every_public_page_type_in_french_has_no_english_ui_left(client, magazine, tmp_path):
    """Home (both pages), articles (with corrections, with figures), A–Z indexes, tag,
    section, author, the magazine's own page, search (with and without results), 404,
    410, 414, 500 and 503: nothing of the interface is left in English."""
    english = english_ui_words()
    assert {"search", "latest", "related", "skip", "older", "updated", "read"} <= english
    assert {"corrections", "play", "listen", "cookies", "magazine"} - english == {"corrections", "magazine"}
    with translation.override("fr"):
        pages = french_pages(client, tmp_path / "error-pages")
        content = content_strings()
        statuses = sorted({response.status_code for _, response in pages})
        assert statuses == [200, 404, 410, 414, 500, 503]
        left = {url: english_left(r.content.decode(), content, english) for url, r in pages}
    assert {url: words for url, words in left.items() if words} == {}
    kinds = {url.split("/")[1] for url, _ in pages if url.startswith("/")}
    assert {"", "articles", "people", "places", "events", "sections", "authors", "search"} <= kinds
    assert "a-propos" in kinds
    walked = {url for url, _ in pages}
    assert {"/articles/poutine-xi-kremlin/", "/articles/visite-en-images/", "/a-propos/"} <= walked


@override_settings(LANGUAGE_CODE="fr")
def test_corrections_figures_pages_and_the_414_page_speak_french(client, magazine, tmp_path):
    """The strings merged since the first translation, each where a reader meets it."""
    with translation.override("fr"):
        corrected = client.get(magazine.get_absolute_url()).content.decode()
        figures = client.get(reverse("articles:detail", args=["visite-en-images"])).content.decode()
        page = client.get("/a-propos/").content.decode()
        feed = unescape(client.get(reverse("syndication:feed")).content.decode())
    assert '<h2 id="article-notes">Corrections et mises à jour</h2>' in corrected
    assert re.findall(r"<strong>([^<]+), <time[^>]*>([^<]+)</time>\u00a0:</strong>", corrected) == [
        ("Mise à jour", "23 mars 2026"),
        ("Correction", "22 mars 2026"),
    ]
    assert '<button type="button" class="embed__play" hidden>Regarder sur YouTube</button>' in figures
    assert '<button type="button" class="embed__play" hidden>Écouter sur Spotify</button>' in figures
    assert f'<a class="embed__link" href="{YOUTUBE}" rel="noopener">Ouvrir sur YouTube</a>' in figures
    assert "La lecture charge du contenu de YouTube, qui peut déposer des témoins de connexion." in figures
    assert 'data-embed-title="YouTube\u00a0: L’arrivée, filmée"' in figures
    link = f'<a href="{YOUTUBE}" rel="noopener">Regarder sur YouTube</a>'
    assert f"<p>{link}\u00a0: L’arrivée, filmée</p>" in feed
    assert '<nav aria-label="À propos du magazine">' in page
    assert re.search(r'>Dernière mise à jour le <time datetime="[^"]+">\d{1,2} \w+ \d{4}</time></p>', page)

    with override_settings(LANGUAGE_CODE="fr-ca"):
        translation.deactivate()  # as `manage.py render_error_pages` runs: the setting alone decides
        call_command("render_error_pages", str(tmp_path), verbosity=0)
    written = (tmp_path / "414.html").read_text(encoding="utf-8")
    assert '<html lang="fr-ca">' in written
    assert "<title>Requête trop longue · " in written
    assert '<p class="kicker">Erreur 414</p>' in written
    assert "<h1>Cette requête était trop longue pour que nous puissions la lire</h1>" in written


@override_settings(LANGUAGE_CODE="fr")
def test_the_staff_preview_of_a_draft_is_in_french(client, magazine):
    """The banner over an unpublished article names its state in French."""
    client.force_login(User.objects.create_superuser("editrice", "e@example.com", "x"))
    with translation.override("fr"):
        content = client.get(reverse("articles:detail", args=["brouillon"])).content.decode()
    banner = "<strong>Non publié.</strong> Ceci est un aperçu (Brouillon)\u202f; le lectorat ne peut pas voir"
    assert banner in content


@override_settings(LANGUAGE_CODE="fr-ca")
def test_a_regional_code_shows_the_site_in_french_with_french_dates(client, magazine):
    """DJANGO_LANGUAGE_CODE=fr-ca: no activation needed, fr-ca falls back to the fr catalogue
    and formats; lang and inLanguage name the region."""
    translation.deactivate()  # as in a server process: the setting alone decides
    response = client.get(magazine.get_absolute_url())
    content = response.content.decode()
    assert '<html lang="fr-ca">' in content
    assert '<time datetime="2026-03-21T09:30:00+00:00">21 mars 2026, 9 h 30</time>' in content
    assert 'Par <a href="/authors/marie-tremblay/">Marie Tremblay</a> et <a' in content
    assert '>Classé dans la rubrique <a href="/sections/monde/">Monde</a><' in content
    graph = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)[1])
    assert graph["@graph"][0]["inLanguage"] == "fr-CA"
    home = client.get(reverse("articles:home")).content.decode()
    assert '<h2 id="latest-heading" class="rule-heading">Derniers articles</h2>' in home
    older = client.get(reverse("articles:home"), {"page": 2}).content.decode()
    assert ">21 mars 2026</time>" in older  # the oldest article, on the second page
    assert "<title>Derniers articles, page 2 · " in older


@override_settings(LANGUAGE_CODE="fr")
def test_feeds_describe_themselves_in_french(client, magazine):
    """The site feed and a tag's feed: their descriptions are French sentences."""
    with translation.override("fr"):
        site = ElementTree.fromstring(client.get(reverse("syndication:feed")).content)
        tag = ElementTree.fromstring(client.get("/people/vladimir-putin/feed/").content)
        author = ElementTree.fromstring(client.get("/authors/jean-roy/feed/").content)
    site_name = settings.SITE_NAME
    assert site.findtext("channel/description") == f"Les derniers articles de {site_name}."
    assert tag.findtext("channel/description") == f"Les derniers articles de {site_name} sur Vladimir Putin."
    assert author.findtext("channel/description") == f"Les derniers articles de Jean Roy dans {site_name}."


@pytest.mark.parametrize(
    ("language_code", "errors"), [("fr-ca", []), ("en-gb", []), ("de", ["translation.E004"])]
)
def test_only_a_language_the_site_is_translated_into_passes_the_checks(language_code, errors):
    """fr-ca and en-gb fall back to fr and en; a language with no catalogue is refused."""
    with override_settings(LANGUAGE_CODE=language_code):
        found = [error.id for error in run_checks(tags=["translation"])]
    assert found == errors


def test_english_stays_the_default(client, magazine):
    """Without DJANGO_LANGUAGE_CODE the site is in British English, as before."""
    content = client.get(magazine.get_absolute_url()).content.decode()
    assert '<html lang="en-gb">' in content
    assert '<time datetime="2026-03-21T09:30:00+00:00">21 March 2026, 09:30</time>' in content
    assert '"inLanguage": "en-GB"' in content


@override_settings(LANGUAGE_CODE="fr")
def test_the_admin_overrides_follow_the_admin_into_french(client, magazine):
    """Django's admin has its own French; HOLR's additions to it (review queue, 2FA link) join it."""
    make_article(title="En attente", status=Status.REVIEW, published_at=None)
    client.force_login(User.objects.create_superuser("editrice", "e@example.com", "x"))
    with translation.override("fr"):
        html = client.get(reverse("admin:index")).content.decode()
    assert "<h2>File de révision</h2>" in html
    assert ">1 article soumis pour révision</a>" in html
    assert ">Connexion à deux facteurs</a>" in html
    assert f"<title>Site d’administration | Administration de {settings.SITE_NAME}</title>" in html


@override_settings(LANGUAGE_CODE="fr")
def test_an_overlong_tag_name_is_refused_in_french(admin_client):
    """The tag fields' length error, and the tag filters' titles, speak the admin's language."""
    from editorial.admin.filters import tag_filter

    from .test_admin import ADD_URL, article_data

    with translation.override("fr"):
        response = admin_client.post(ADD_URL, article_data(title="Gardé", places=f"Moscou, {'N' * 101}"))
        assert str(tag_filter("places").title) == "lieux"
    assert response.context["adminform"].form.errors["places"] == [
        f"«\u00a0{'N' * 40}…\u00a0» compte 101 caractères\u202f; "
        "les noms de la catégorie «\u00a0lieu\u00a0» en comptent au plus 100."
    ]
    with translation.override("en"):
        assert str(tag_filter("places").title) == "places"
