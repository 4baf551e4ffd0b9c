"""`manage.py populate --articles N --seed S`: a realistic synthetic archive, for benchmarks.

N articles over ten years with ~800-word bodies, 1–4 authors, a section, 2–8 people,
1–5 places and 0–3 events each; N/5 distinct tags whose popularity is Zipf-distributed
(demo/synthetic.py). Rows go in with bulk inserts, so 100,000 articles take minutes.
Bulk inserts skip Article.save(), so this command derives what save() would (sanitized
body, slug, word count, publication time) itself, and sends `content_changed` at the end.
"""

import random
from datetime import UTC, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article, ArticleAuthor, Author, Section, Status
from articles.slugs import unique_slug
from articles.vocabularies import VOCABULARIES
from demo import stories as demo
from demo.management.commands.load_demo import paint
from demo.synthetic import SECTION_WEIGHTS, SECTIONS, Archive
from holr.progress import command_progress
from holr.signals import content_changed
from images.models import Image
from richtext.sanitizer import sanitize_html

YEARS = 10
# Shares of articles that are not (yet) public: drafts, in review, scheduled for later.
DRAFT_SHARE, REVIEW_SHARE, SCHEDULED_SHARE = 0.015, 0.01, 0.005
LEAD_IMAGE_SHARE = 0.85
AUTHORS_PER_ARTICLE = ((1, 60), (2, 25), (3, 10), (4, 5))  # (how many, weight)


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic archive for benchmarks: N "
        "articles over ten years (about 97% published, the rest drafts, reviews and scheduled ones), each "
        "with ~800 words, 1-4 authors, a section, 2-8 people, 1-5 places and 0-3 events; "
        "N/5 distinct tags with Zipf-distributed popularity; a small pool of painted lead "
        "images whose renditions are made once. The same --seed and --until always make "
        "the same archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="How many articles (default 1000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--images",
            type=int,
            default=6,
            help="Lead images in the pool, reused by the articles (default 6).",
        )
        parser.add_argument(
            "--until",
            type=datetime.fromisoformat,
            default=None,
            help="The newest publication date, ISO format (default: today, midnight UTC). "
            "A handful of scheduled articles fall in the week after it.",
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per insert (default 1000).")

    def handle(self, *args, articles, seed, images, until, batch_size, verbosity, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if images < 0 or batch_size < 1:
            raise CommandError("--images must be 0 or more and --batch-size at least 1.")
        existing = [
            str(model._meta.verbose_name_plural)
            for model in (Article, Author, *(v.model for v in VOCABULARIES.values()))
            if model.objects.exists()
        ]
        if existing:
            raise CommandError(
                f"This database already has {', '.join(existing)}; populate fills an empty one. "
                "Point DATABASE_URL at a fresh database and run `manage.py migrate` first."
            )
        if until is None:
            until = datetime.combine(timezone.now().date(), time.min)
        if timezone.is_naive(until):
            until = timezone.make_aware(until, UTC)
        self.verbosity = verbosity
        rng = random.Random(seed)
        archive = Archive(rng, articles)
        with transaction.atomic():
            sections = self.make_sections()
            pool = self.make_images(images, seed)
            authors = self.make_authors(archive, max(10, articles // 400))
            tags = self.make_tags(archive)
            with command_progress(
                self, "Articles", articles, verbosity=verbosity, unit="articles"
            ) as progress:
                self.make_articles(
                    archive, rng, articles, until, sections, authors, tags, pool, batch_size, progress
                )
        content_changed.send(sender=Article)
        if connection.vendor == "postgresql":
            # What autovacuum would soon do by itself: planner statistics for the new rows.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if verbosity:
            published = Article.objects.published().count()
            self.stdout.write(
                f"Populated {articles} articles ({published} published), {len(authors)} authors, "
                f"{sum(len(t) for t in tags.values())} tags, {len(pool)} lead images."
            )

    def progress(self, message):
        if self.verbosity > 1:
            self.stdout.write(message)

    def make_sections(self):
        sections = []
        for position, (name, slug) in enumerate(SECTIONS, start=1):
            section = Section.objects.filter(slug=slug).first() or Section.objects.create(
                name=name, slug=slug, position=position
            )
            sections.append(section)
        return sections

    def make_images(self, count, seed):
        artworks = [item.artwork for item in demo.ARTICLES]
        pool = []
        for n in range(count):
            artwork = artworks[n % len(artworks)]
            data = paint(artwork, seed=f"populate-{seed}-{n}")
            # Saving through the model makes this image's renditions, once.
            pool.append(
                Image.objects.create(
                    file=ContentFile(data, name=f"populate-{n}.jpg"),
                    alt=artwork.alt,
                    credit=demo.IMAGE_CREDIT,
                )
            )
            self.progress(f"image {n + 1}/{count}")
        return pool

    def make_authors(self, archive, count):
        names = archive.author_names(count)
        slugs = unique_slugs(names)
        return Author.objects.bulk_create(
            Author(name=name, slug=slug, bio=f"{name} writes for the magazine.")
            for name, slug in zip(names, slugs, strict=True)
        )

    def make_tags(self, archive):
        tags = {}
        for key, names in archive.tag_names().items():
            model = VOCABULARIES[key].model
            slugs = unique_slugs(names)
            tags[key] = model.objects.bulk_create(
                model(name=name, slug=slug) for name, slug in zip(names, slugs, strict=True)
            )
            self.progress(f"{len(names)} {key}")
        return tags

    def make_articles(self, archive, rng, count, until, sections, authors, tags, pool, batch_size, progress):
        span = YEARS * 365 * 24 * 3600
        # Sorted, so ids grow with publication time as on a real site.
        seconds_before = sorted((rng.randrange(span) for _ in range(count)), reverse=True)
        # A few staff writers have most bylines; guest authors have a handful.
        author_weights = [1 / (rank + 2) for rank in range(len(authors))]
        how_many, how_many_weights = zip(*AUTHORS_PER_ARTICLE, strict=True)
        used_slugs = set()
        through = {key: VOCABULARIES[key].model.tagged_articles.rel.related_model for key in VOCABULARIES}
        for start in range(0, count, batch_size):
            batch, links = [], []
            for index in range(start, min(start + batch_size, count)):
                chosen = archive.tags_for(index)
                people = [tags["people"][rank] for rank in chosen["people"]]
                places = [tags["places"][rank] for rank in chosen["places"]]
                title = archive.headline(people[0].name, places[0].name)
                status, published_at = Status.PUBLISHED, until - timedelta(seconds=seconds_before[index])
                roll = rng.random()
                if roll < DRAFT_SHARE:
                    status, published_at = Status.DRAFT, None
                elif roll < DRAFT_SHARE + REVIEW_SHARE:
                    status, published_at = Status.REVIEW, None
                elif roll < DRAFT_SHARE + REVIEW_SHARE + SCHEDULED_SHARE:
                    published_at = until + timedelta(seconds=rng.randrange(7 * 24 * 3600))
                # What Article.save() derives, derived the same way.
                body = sanitize_html(archive.body([person.name for person in people]))
                image = rng.choice(pool) if pool and rng.random() < LEAD_IMAGE_SHARE else None
                batch.append(
                    Article(
                        title=title,
                        slug=next_unique_slug(title, used_slugs),
                        dek=archive.sentence(14, 30),
                        body=body,
                        word_count=len(strip_tags(body).split()),
                        status=status,
                        published_at=published_at,
                        section=rng.choices(sections, weights=SECTION_WEIGHTS)[0],
                        lead_image=image,
                        caption=archive.sentence(6, 12) if image else "",
                    )
                )
                byline = []
                for _ in range(min(len(authors), rng.choices(how_many, weights=how_many_weights)[0])):
                    author = rng.choices(authors, weights=author_weights)[0]
                    while author in byline:
                        author = rng.choice(authors)
                    byline.append(author)
                links.append(
                    (byline, {key: [tags[key][rank] for rank in ranks] for key, ranks in chosen.items()})
                )
            batch = Article.objects.bulk_create(batch)
            ArticleAuthor.objects.bulk_create(
                ArticleAuthor(article=article, author=author, position=position)
                for article, (byline, _) in zip(batch, links, strict=True)
                for position, author in enumerate(byline)
            )
            for key, model in through.items():
                model.objects.bulk_create(
                    model(content_object=article, tag=tag)
                    for article, (_, chosen) in zip(batch, links, strict=True)
                    for tag in chosen[key]
                )
            progress(len(batch))
        # created_at/updated_at are auto_now: a real archive was written when it was published.
        Article.objects.filter(published_at__isnull=False).update(
            created_at=F("published_at"), updated_at=F("published_at")
        )


def unique_slugs(names):
    used = set()
    return [next_unique_slug(name, used) for name in names]


def next_unique_slug(text, used):
    """The slug Article.save() would give `text` if the slugs in `used` were taken: base, base-2, …"""
    slug = unique_slug(text, used.__contains__)
    used.add(slug)
    return slug
