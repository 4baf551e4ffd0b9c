"""`manage.py load_demo`: the demo magazine from demo/content/, loaded once.

Idempotent: sections, authors and articles are matched by slug and tags by name, and
what exists is left exactly as it is, so a second run changes nothing. Lead images are
painted with Pillow (no downloads) and saved through the image library, which makes
their renditions; so are the illustrations a story shows in its body (its "figures"),
whose `@name` references become library ids before the story is saved.
"""

import functools
import io
import math
import random
import re
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageOps

from articles.models import Article, ArticleAuthor, ArticleNote, Author, Section, Status
from articles.vocabularies import VOCABULARIES
from demo import stories as demo
from images.models import Image
from images.renditions import delete_renditions
from pages.models import Page

SIZE = (1920, 1080)
# Shapes are drawn at twice the size and scaled down: ImageDraw does not anti-alias.
SCALE = 2
# A figure's reference to a picture by name in a demo body: data-image="@name",
# data-gallery="@a,@b,@c" (demo/stories.py).
REFERENCE = re.compile(r'(data-(?:image|gallery)=")([^"]*)(")')


class Command(BaseCommand):
    help = (
        f"Load HOLR's demo magazine: {len(demo.SECTIONS)} sections, {len(demo.AUTHORS)} "
        f"authors, {len(demo.ARTICLES)} published articles with people, places and events, "
        f"a generated lead illustration for each, and the magazine's {len(demo.PAGES)} own pages. Safe to "
        "run again: anything already there (matched by slug, tags by name) is left as it is."
    )

    def handle(self, *args, **options):
        self.created = {"articles": 0, "sections": 0, "authors": 0, "tags": 0, "images": 0, "pages": 0}
        self.saved_files = []
        try:
            with transaction.atomic():
                self.load()
        except BaseException:
            # The rollback forgets the Image rows; their files on disk must go too.
            for name in self.saved_files:
                delete_renditions(name)
                default_storage.delete(name)
            raise
        if options["verbosity"]:
            self.stdout.write(self.summary())

    def summary(self):
        if not any(self.created.values()):
            return "Demo content already loaded, nothing to do."
        counts = ", ".join(
            f"{count} {kind}" for kind, count in self.created.items() if kind != "articles" and count
        )
        details = f" ({counts})." if counts else "."
        return f"Demo content: {self.created['articles']} articles created{details}"

    def load(self):
        sections = {item.slug: self.section(item) for item in demo.SECTIONS}
        authors = {item.slug: self.author(item) for item in demo.AUTHORS}
        tags = {(item.vocabulary, item.name): self.tag(item) for item in demo.TAGS}
        now = timezone.now().replace(microsecond=0)  # publication times are kept to the second
        for item in demo.ARTICLES:
            article = Article.objects.filter(slug=item.slug).first()
            if article is None:
                self.article(item, sections, authors, tags, now)
            elif article.lead_image_id is None:
                # .update(): adding a missing picture is not an edit readers should see.
                Article.objects.filter(pk=article.pk).update(lead_image=self.image(item))
        for item in demo.PAGES:
            self.page(item)

    def page(self, item):
        page, created = Page.objects.get_or_create(
            slug=item.slug,
            defaults={
                "title": item.title,
                "body": item.body.strip(),
                "is_published": True,
                "footer_order": item.footer_order,
            },
        )
        self.created["pages"] += created
        return page

    def section(self, item):
        section = Section.objects.filter(Q(slug=item.slug) | Q(name=item.name)).first()
        if section is None:
            section = Section.objects.create(
                name=item.name, slug=item.slug, description=item.description, position=item.position
            )
            self.created["sections"] += 1
        return section

    def author(self, item):
        author, created = Author.objects.get_or_create(
            slug=item.slug, defaults={"name": item.name, "bio": item.bio}
        )
        self.created["authors"] += created
        return author

    def tag(self, item):
        model = VOCABULARIES[item.vocabulary].model
        # Tag names match case-insensitively (TAGGIT_CASE_INSENSITIVE), as the admin does.
        tag = model.objects.filter(name__iexact=item.name).first()
        if tag is None:
            tag = model.objects.create(name=item.name, description=item.description)
            self.created["tags"] += 1
        return tag

    def article(self, item, sections, authors, tags, now):
        published_at = now - item.age
        figures = {
            name: self.image(item, artwork=artwork, name=f"{item.slug}-{name}")
            for name, artwork in item.figures
        }
        article = Article.objects.create(
            title=item.title,
            slug=item.slug,
            dek=item.dek,
            body=resolve_figures(item.body.strip(), figures, item.slug),
            status=Status.PUBLISHED,
            published_at=published_at,
            section=sections[item.section],
            lead_image=self.image(item),
            caption=item.caption,
        )
        for position, slug in enumerate(item.authors):
            ArticleAuthor.objects.create(article=article, author=authors[slug], position=position)
        for vocabulary in VOCABULARIES:
            names = getattr(item, vocabulary)
            getattr(article, vocabulary).add(*(tags[vocabulary, name] for name in names))
        for kind, after, text in item.notes:
            ArticleNote.objects.create(article=article, kind=kind, noted_at=published_at + after, text=text)
        # updated_at is auto_now (and a note's save touches it): set the history the demo should
        # show after the saves; a correction or update is an edit too.
        edits = [item.edited_after or timedelta(0), *(after for _, after, _ in item.notes)]
        Article.objects.filter(pk=article.pk).update(
            created_at=published_at - timedelta(hours=3),
            updated_at=published_at + max(edits),
        )
        self.created["articles"] += 1
        return article

    def image(self, item, artwork=None, name=None):
        """The article's lead illustration, or with `artwork` and `name` one of its figures."""
        artwork, name = artwork or item.artwork, name or item.slug
        data = paint(artwork, seed=name)
        image = Image.objects.create(
            file=ContentFile(data, name=f"{name}.jpg"),
            alt=artwork.alt,
            credit=demo.IMAGE_CREDIT,
        )
        self.saved_files.append(image.file.name)
        self.created["images"] += 1
        return image


def resolve_figures(body, images, slug):
    """`body` with each `@name` in data-image and data-gallery replaced by that image's id."""

    def ids(match):
        names = match.group(2).split(",")
        unknown = [name for name in names if not name.startswith("@") or name[1:] not in images]
        if unknown:
            raise ValueError(
                f"{slug}: {match.group(0)} names no figure of the story ({', '.join(unknown)}); "
                'write data-image="@name" with a name from its "figures".'
            )
        return match.group(1) + ",".join(str(images[name[1:]].pk) for name in names) + match.group(3)

    return REFERENCE.sub(ids, body)


def paint(artwork, seed):
    """A 1920×1080 JPEG of `artwork`; the same seed always paints the same picture."""
    rng = random.Random(seed)
    width, height = SIZE[0] * SCALE, SIZE[1] * SCALE
    column = PILImage.linear_gradient("L").resize((1, height), PILImage.Resampling.BILINEAR)
    gradient = column.resize((width, height), PILImage.Resampling.NEAREST)
    canvas = ImageOps.colorize(gradient, *artwork.background).convert("RGBA")
    MOTIFS[artwork.motif](canvas, rng, artwork.colours)
    picture = canvas.convert("RGB").reduce(SCALE)
    # A faint grain, so large flat areas read as printed rather than rendered. Drawn
    # from the seeded generator (Pillow's effect_noise is not reproducible).
    grain = PILImage.frombytes("L", SIZE, rng.randbytes(SIZE[0] * SIZE[1])).point(lambda v: 112 + v // 8)
    picture = ImageChops.soft_light(picture, grain.convert("RGB"))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88, optimize=True, progressive=True)
    return buffer.getvalue()


def layer(canvas, draw_shapes):
    """Draw translucent shapes on their own layer and composite it: ImageDraw does not blend."""
    overlay = PILImage.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw_shapes(ImageDraw.Draw(overlay))
    canvas.alpha_composite(overlay)


def rgba(colour, alpha=255):
    return (*colour, alpha)


def disc(draw, x, y, radius, fill):
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


def orbits(canvas, rng, colours):
    """Two large overlapping discs, ringed by thin concentric lines."""
    width, height = canvas.size
    first, second, line = colours
    cx, cy = width * rng.uniform(0.47, 0.53), height * rng.uniform(0.46, 0.54)
    radius = height * rng.uniform(0.27, 0.31)
    offset = radius * rng.uniform(0.55, 0.7)
    tilt = rng.uniform(-0.35, 0.35)
    centres = [
        (cx - offset * math.cos(tilt), cy - offset * math.sin(tilt)),
        (cx + offset * math.cos(tilt), cy + offset * math.sin(tilt)),
    ]

    def rings(draw):
        for step in range(1, 9):
            r = radius * (1.15 + step * rng.uniform(0.16, 0.2))
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=rgba(line, 70), width=2 * SCALE)

    layer(canvas, rings)
    for (x, y), colour, alpha in zip(centres, (first, second), (235, 200), strict=True):
        layer(canvas, functools.partial(disc, x=x, y=y, radius=radius, fill=rgba(colour, alpha)))


def bands(canvas, rng, colours):
    """Parallel diagonal bands of varying width, with the field showing between them."""
    width, height = canvas.size
    slant = height * rng.uniform(0.55, 0.8)
    x = -slant

    def draw_bands(draw):
        nonlocal x
        index = 0
        while x < width:
            band = width * rng.uniform(0.025, 0.09)
            colour = colours[index % len(colours)]
            draw.polygon(
                [(x, height), (x + band, height), (x + band + slant, 0), (x + slant, 0)],
                fill=rgba(colour, rng.choice((215, 235, 255))),
            )
            x += band + width * rng.uniform(0.03, 0.08)
            index += 1

    layer(canvas, draw_bands)


def blocks(canvas, rng, colours):
    """A facade: a grid of rectangles, most of them lit in the palette, some left dark."""
    width, height = canvas.size
    columns, rows = 14, 7
    margin_x, margin_y = width * 0.06, height * 0.09
    cell_w = (width - 2 * margin_x) / columns
    cell_h = (height - 2 * margin_y) / rows
    gap = min(cell_w, cell_h) * 0.18

    def windows(draw):
        for row in range(rows):
            for column in range(columns):
                if rng.random() < 0.22:
                    continue
                colour = rng.choices(colours, weights=(4, 3, 2))[0]
                left = margin_x + column * cell_w + gap / 2
                top = margin_y + row * cell_h + gap / 2
                draw.rectangle(
                    (left, top, left + cell_w - gap, top + cell_h - gap),
                    fill=rgba(colour, rng.choice((200, 230, 255))),
                )

    layer(canvas, windows)


def stripes(canvas, rng, colours):
    """Vertical stripes of varying width, crossed by one disc in the last colour."""
    width, height = canvas.size
    *stripe_colours, disc_colour = colours
    x = width * rng.uniform(0.04, 0.1)

    def draw_stripes(draw):
        nonlocal x
        while x < width * 0.94:
            stripe = width * rng.uniform(0.012, 0.06)
            colour = rgba(rng.choice(stripe_colours), rng.choice((190, 225, 255)))
            draw.rectangle((x, 0, x + stripe, height), fill=colour)
            x += stripe + width * rng.uniform(0.008, 0.035)

    layer(canvas, draw_stripes)
    radius = height * rng.uniform(0.17, 0.22)
    cx, cy = width * rng.uniform(0.58, 0.7), height * rng.uniform(0.38, 0.5)
    layer(canvas, lambda draw: disc(draw, cx, cy, radius, rgba(disc_colour, 245)))


def waves(canvas, rng, colours):
    """Stacked horizontal waves over a dark band along the bottom."""
    width, height = canvas.size
    light, mid, dark = colours

    def wave_band(draw, baseline, amplitude, wavelength, phase, colour, alpha):
        points = [
            (x, baseline + amplitude * math.sin(2 * math.pi * x / wavelength + phase))
            for x in range(0, width + 40, 40)
        ]
        draw.polygon([*points, (width, height), (0, height)], fill=rgba(colour, alpha))

    def draw_waves(draw):
        for step in range(7):
            baseline = height * (0.3 + step * 0.075)
            wave_band(
                draw,
                baseline,
                amplitude=height * rng.uniform(0.015, 0.035),
                wavelength=width * rng.uniform(0.35, 0.7),
                phase=rng.uniform(0, 2 * math.pi),
                colour=light if step % 2 == 0 else mid,
                alpha=rng.choice((110, 140, 170)),
            )
        wave_band(draw, height * 0.84, height * 0.01, width * 0.9, rng.uniform(0, 6), dark, 255)

    layer(canvas, draw_waves)


def rays(canvas, rng, colours):
    """Thin lines bursting from between two small discs."""
    width, height = canvas.size
    line, core = colours
    cx, cy = width * rng.uniform(0.46, 0.54), height * rng.uniform(0.46, 0.54)

    def draw_rays(draw):
        for _ in range(150):
            angle = rng.uniform(0, 2 * math.pi)
            start, end = height * rng.uniform(0.06, 0.12), height * rng.uniform(0.2, 0.75)
            draw.line(
                (
                    cx + start * math.cos(angle),
                    cy + start * math.sin(angle),
                    cx + end * math.cos(angle),
                    cy + end * math.sin(angle),
                ),
                fill=rgba(line, rng.randint(60, 200)),
                width=rng.choice((1, 2, 2, 3)) * SCALE,
            )

    layer(canvas, draw_rays)
    radius, apart = height * 0.035, height * 0.06
    angle = rng.uniform(0, math.pi)

    def draw_cores(draw):
        for sign in (-1, 1):
            x, y = cx + sign * apart * math.cos(angle), cy + sign * apart * math.sin(angle)
            disc(draw, x, y, radius, rgba(core))

    layer(canvas, draw_cores)


def horizon(canvas, rng, colours):
    """A low sun half hidden behind horizontal bands."""
    width, height = canvas.size
    sun, *band_colours = colours
    radius = height * rng.uniform(0.2, 0.25)
    cx, horizon_y = width * rng.uniform(0.35, 0.65), height * rng.uniform(0.56, 0.62)
    layer(canvas, lambda draw: disc(draw, cx, horizon_y, radius, rgba(sun)))

    def draw_bands(draw):
        y = horizon_y
        index = 0
        while y < height:
            band = height * rng.uniform(0.035, 0.08)
            draw.rectangle((0, y, width, y + band), fill=rgba(band_colours[index % len(band_colours)], 245))
            y += band + height * rng.uniform(0.006, 0.02)
            index += 1

    layer(canvas, draw_bands)


MOTIFS = {
    "orbits": orbits,
    "bands": bands,
    "blocks": blocks,
    "stripes": stripes,
    "waves": waves,
    "rays": rays,
    "horizon": horizon,
}
