"""The XSS corpus (tests/fixtures/xss.txt) and a magazine made of it, for the XSS tests."""

from pathlib import Path

from articles.models import ArticleNote
from images.models import Image
from tests.builders import make_article, make_author, make_image, make_page, make_section

XSS_FILE = Path(__file__).parent / "fixtures" / "xss.txt"


def load_payloads():
    lines = XSS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


PAYLOADS = load_payloads()


def figures(payload, image, original):
    """The payload in every part of every kind of figure, and as a figure's attributes (issue 10)."""
    return (
        f'<figure data-image="{image.pk}" data-size="wide"><figcaption>{payload}</figcaption></figure>'
        f'<figure data-gallery="{original.pk},{image.pk}"><figcaption>{payload}</figcaption></figure>'
        f'<figure data-embed="https://youtu.be/dQw4w9WgXcQ"><figcaption>{payload}</figcaption></figure>'
        f'<figure data-pullquote=""><blockquote><p>{payload}</p></blockquote><figcaption>{payload}</figcaption></figure>'
        f"<figure data-embed='{payload}' data-image='{payload}' data-size='{payload}'><figcaption>x</figcaption></figure>"
        f"<table><tr><th>{payload}</th></tr><tr><td>{payload}</td></tr></table>"
    )


def make_hostile_magazine():
    """One published article per payload, with the payload in every field a person types.

    Title, dek, body, caption, the lead image's alt text and credit, a person, a place
    and an event named after it, and an author whose bio (and a section whose
    description) is it, and a correction saying it; five pages carry every payload in
    their bodies. Returns the articles in payload order.
    """
    section = make_section(
        name="<b onmouseover=window.__xss()>News</b>", slug="news", description=PAYLOADS[0]
    )
    # One real upload with renditions; the other library entries share its file, so the
    # pages render full <picture> elements without 80 more uploads.
    original = make_image(alt=PAYLOADS[0], credit=PAYLOADS[0])
    images = [original] + Image.objects.bulk_create(
        Image(
            file=original.file.name,
            width=original.width,
            height=original.height,
            alt=payload[:300],
            credit=payload[:200],
        )
        for payload in PAYLOADS[1:]
    )
    articles = []
    for n, (payload, image) in enumerate(zip(PAYLOADS, images, strict=True)):
        author = make_author(name=f"Writer {n} {payload}"[:150], slug=f"writer-{n}", bio=payload)
        name = payload[:100]
        articles.append(
            make_article(
                title=payload[:200],
                slug=f"hostile-{n}",
                dek=payload[:400],
                body=payload + figures(payload, image, original),
                caption=payload[:500],
                lead_image=image,
                section=section,
                authors=[author],
                people=[name],
                places=[name],
                events=[name],
            )
        )
        ArticleNote.objects.create(article=articles[-1], text=payload)
    # The magazine's own pages: each payload in a page's body (and some as titles), five pages.
    for k in range(5):
        body = "".join(payload + figures(payload, original, original) for payload in PAYLOADS[k::5])
        make_page(title=PAYLOADS[k][:200], slug=f"hostile-page-{k}", body=body)
    return articles
