"""Write a WordPress export (WXR 1.2) of N posts, to time `manage.py import_wordpress` on it.

    python bench/wxr_generate.py --posts 10000 --out /tmp/wp-10000.xml [--images 50]

Posts are classic and block-editor in turn, ~700 words each with a [caption], a [gallery]
and a bare YouTube URL now and then, in 12 nested categories, with 3–8 of 400 tags each;
one in twenty is a draft, a private or a scheduled post. `--images N` adds N attachments
and writes their JPEGs into an uploads folder next to the export (pass it as --uploads).
Deterministic for a given N (seeded), so runs compare.
"""

import argparse
import random
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = [
    "the",
    "kremlin",
    "said",
    "on",
    "tuesday",
    "that",
    "talks",
    "with",
    "beijing",
    "would",
    "continue",
    "after",
    "a",
    "week",
    "of",
    "meetings",
    "in",
    "moscow",
    "where",
    "officials",
    "discussed",
    "trade",
    "energy",
    "and",
    "security",
    "while",
    "analysts",
    "warned",
    "that",
    "sanctions",
    "and",
    "the",
    "war",
    "in",
    "ukraine",
    "shaped",
    "every",
    "decision",
    "made",
    "by",
    "both",
    "sides",
]
STATUSES = ["publish"] * 17 + ["draft", "private", "future"]


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def paragraph(rng, words=60):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def body(rng, n, images):
    paragraphs = [paragraph(rng) for _ in range(12)]
    if images and n % 3 == 0:
        a = 1 + n % images
        paragraphs.insert(
            2,
            f'[caption id="attachment_{a}" align="aligncenter" width="640"]'
            f'<img class="wp-image-{a}" src="http://bench.example/wp-content/uploads/2020/01/image-{a}-640x360.jpg" />'
            f" A caption for image {a}[/caption]",
        )
    if images and n % 7 == 0:
        paragraphs.insert(5, f'[gallery ids="{1 + n % images},{1 + (n + 1) % images}"]')
    if n % 11 == 0:
        paragraphs.insert(4, "https://www.youtube.com/watch?v=bench" + str(n))
    paragraphs.insert(3, "<!--more-->")
    if n % 2:
        return "\n\n".join(f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->" for p in paragraphs)
    return "\n\n".join(p.replace(". ", ".\n", 1) for p in paragraphs)


def write(out, posts, images, seed=11):
    rng = random.Random(seed)
    out = Path(out)
    categories = [("world", "World", "")] + [(f"region-{i}", f"Region {i}", "world") for i in range(11)]
    tags = [(f"topic-{i}", f"Topic {i}") for i in range(400)]
    with open(out, "w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
            'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Bench Magazine</title><link>http://bench.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>http://bench.example</wp:base_site_url>"
            "<wp:base_blog_url>http://bench.example</wp:base_blog_url>\n"
        )
        for i in range(5):
            f.write(
                f"<wp:author><wp:author_login>{cdata(f'writer{i}')}</wp:author_login>"
                f"<wp:author_display_name>{cdata(f'Writer {i}')}</wp:author_display_name></wp:author>\n"
            )
        for slug, name, parent in categories:
            f.write(
                f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
            )
        for slug, name in tags:
            f.write(
                f"<wp:tag><wp:tag_slug>{slug}</wp:tag_slug><wp:tag_name>{cdata(name)}</wp:tag_name></wp:tag>\n"
            )
        for a in range(1, images + 1):
            f.write(
                f"<item><title>Image {a}</title><link>http://bench.example/image-{a}/</link>"
                f"<wp:post_id>{a}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>"
                f"<wp:attachment_url>http://bench.example/wp-content/uploads/2020/01/image-{a}.jpg</wp:attachment_url>"
                f"<wp:postmeta><wp:meta_key>_wp_attached_file</wp:meta_key><wp:meta_value>2020/01/image-{a}.jpg</wp:meta_value></wp:postmeta>"
                f"<excerpt:encoded>{cdata(f'Caption {a}')}</excerpt:encoded></item>\n"
            )
        for n in range(1, posts + 1):
            post_id = 1000 + n
            status = STATUSES[n % len(STATUSES)]
            year = 2005 + n % 19 if status != "future" else 2099
            date = f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}:00"
            slug = f"story-{n}-" + "-".join(rng.choice(WORDS) for _ in range(4))
            title = escape(" ".join(rng.choice(WORDS) for _ in range(7)).capitalize() + f" {n}")
            cat = categories[n % len(categories)]
            f.write(
                f"<item><title>{title}</title><link>http://bench.example/{year}/{1 + n % 12:02d}/{slug}/</link>"
                f"<dc:creator>{cdata(f'writer{n % 5}')}</dc:creator>"
                f"<content:encoded>{cdata(body(rng, n, images))}</content:encoded>"
                f"<excerpt:encoded>{cdata(paragraph(rng, 20))}</excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date}</wp:post_date>"
                f"<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>"
                f"<wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>"
                f'<category domain="category" nicename="{cat[0]}">{cdata(cat[1])}</category>'
            )
            for slug_, name in rng.sample(tags, rng.randint(3, 8)):
                f.write(f'<category domain="post_tag" nicename="{slug_}">{cdata(name)}</category>')
            if images and n % 4 == 0:
                f.write(
                    f"<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{1 + n % images}</wp:meta_value></wp:postmeta>"
                )
            f.write("</item>\n")
        f.write("</channel>\n</rss>\n")
    if images:
        from PIL import Image

        folder = out.parent / f"{out.stem}-uploads" / "2020" / "01"
        folder.mkdir(parents=True, exist_ok=True)
        for a in range(1, images + 1):
            Image.new("RGB", (1280, 720), (a * 37 % 256, a * 91 % 256, a * 53 % 256)).save(
                folder / f"image-{a}.jpg", quality=80
            )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--images", type=int, default=0, help="attachments (and JPEG files) to add")
    parser.add_argument("--out", default="wp-export.xml")
    args = parser.parse_args()
    out = write(args.out, args.posts, args.images)
    print(f"{out}: {args.posts} posts, {args.images} images, {out.stat().st_size / 1e6:.1f} MB")
    if args.images:
        print(f"uploads: {out.parent / (out.stem + '-uploads')}")


if __name__ == "__main__":
    main()
