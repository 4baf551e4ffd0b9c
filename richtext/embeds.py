"""The embed providers: a pasted link → the provider and its (privacy-friendly) player URL.

Resolved from the URL alone: no oEmbed call and no network request, when saving or
rendering. The reader's page shows a placeholder of ours until the reader clicks play
(static/js/embeds.js); the CSP `frame-src` lists exactly `EMBED_HOSTS` (holr/settings.py).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from django.utils.translation import gettext_lazy as _

MAX_URL_LENGTH = 500


@dataclass(frozen=True)
class Provider:
    name: str
    hosts: tuple  # hosts a pasted link may name (without "www.")
    embed_host: str  # the host of the iframe, the only one the CSP allows
    action: str  # translatable, with the provider's name: "Play on %(provider)s"

    def resolve(self, parts):
        raise NotImplementedError


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str  # the link the editor pasted, normalised: what readers without JS follow
    embed_url: str  # the iframe's src, inserted only after the reader's click

    @property
    def button_label(self):
        """ "Play on YouTube", "Listen on Spotify", "View on Instagram", in the site's language."""
        return self.provider.action % {"provider": self.provider.name}


_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_PATH_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _path(parts):
    return [segment for segment in parts.path.split("/") if segment]


class YouTube(Provider):
    def resolve(self, parts):
        path = _path(parts)
        if parts.hostname.endswith("youtu.be"):
            video = path[0] if len(path) == 1 else ""
        elif path == ["watch"]:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(path) == 2 and path[0] in {"shorts", "embed", "live", "v"}:
            video = path[1]
        else:
            return None
        if not _YOUTUBE_ID.fullmatch(video):
            return None
        return f"https://{self.embed_host}/embed/{video}", f"https://www.youtube.com/watch?v={video}"


class Vimeo(Provider):
    def resolve(self, parts):
        path = _path(parts)
        if parts.hostname.startswith("player.") and len(path) == 2 and path[0] == "video":
            path = path[1:]
        if len(path) != 1 or not path[0].isdigit() or len(path[0]) > 12:
            return None
        return f"https://{self.embed_host}/video/{path[0]}?dnt=1", f"https://vimeo.com/{path[0]}"


class Dailymotion(Provider):
    def resolve(self, parts):
        path = _path(parts)
        if parts.hostname.endswith("dai.ly") and len(path) == 1:
            video = path[0]
        elif len(path) == 2 and path[0] == "video":
            video = path[1].split("_")[0]
        else:
            return None
        if not re.fullmatch(r"[a-z0-9]{5,12}", video):
            return None
        return (
            f"https://{self.embed_host}/player.html?video={video}",
            f"https://www.dailymotion.com/video/{video}",
        )


class Spotify(Provider):
    KINDS = {"track", "album", "playlist", "episode", "show", "artist"}

    def resolve(self, parts):
        path = _path(parts)
        if path and path[0].startswith("intl-"):  # open.spotify.com/intl-de/track/…
            path = path[1:]
        if path[:1] == ["embed"]:
            path = path[1:]
        if len(path) != 2 or path[0] not in self.KINDS or not re.fullmatch(r"[A-Za-z0-9]{22}", path[1]):
            return None
        kind, item = path
        return f"https://{self.embed_host}/embed/{kind}/{item}", f"https://open.spotify.com/{kind}/{item}"


class SoundCloud(Provider):
    def resolve(self, parts):
        path = _path(parts)
        if len(path) not in (2, 3) or not all(_PATH_ID.fullmatch(segment) for segment in path):
            return None
        original = "https://soundcloud.com/" + "/".join(path)
        return f"https://{self.embed_host}/player/?url={quote(original, safe='')}", original


class Bluesky(Provider):
    def resolve(self, parts):
        path = _path(parts)
        # bsky.app/profile/<handle or did>/post/<record key>
        if len(path) != 4 or path[0] != "profile" or path[2] != "post":
            return None
        author, post = path[1], path[3]
        if not re.fullmatch(r"[A-Za-z0-9._:-]{3,253}", author) or not re.fullmatch(r"[a-z0-9]{6,20}", post):
            return None
        return (
            f"https://{self.embed_host}/embed/{author}/app.bsky.feed.post/{post}",
            f"https://bsky.app/profile/{author}/post/{post}",
        )


class Instagram(Provider):
    def resolve(self, parts):
        path = _path(parts)
        if len(path) != 2 or path[0] not in {"p", "reel", "tv"} or not _PATH_ID.fullmatch(path[1]):
            return None
        return f"https://{self.embed_host}/p/{path[1]}/embed", f"https://www.instagram.com/p/{path[1]}/"


class Twitter(Provider):
    def resolve(self, parts):
        path = _path(parts)
        if len(path) != 3 or path[1] != "status" or not path[2].isdigit() or len(path[2]) > 20:
            return None
        if not re.fullmatch(r"[A-Za-z0-9_]{1,15}", path[0]):
            return None
        return (
            f"https://{self.embed_host}/embed/Tweet.html?id={path[2]}&dnt=true",
            f"https://x.com/{path[0]}/status/{path[2]}",
        )


PLAY, LISTEN, VIEW = _("Play on %(provider)s"), _("Listen on %(provider)s"), _("View on %(provider)s")
PROVIDERS = (
    YouTube(
        "YouTube",
        ("youtube.com", "m.youtube.com", "youtu.be", "youtube-nocookie.com"),
        "www.youtube-nocookie.com",
        PLAY,
    ),
    Vimeo("Vimeo", ("vimeo.com", "player.vimeo.com"), "player.vimeo.com", PLAY),
    Dailymotion("Dailymotion", ("dailymotion.com", "dai.ly"), "geo.dailymotion.com", PLAY),
    Spotify("Spotify", ("open.spotify.com",), "open.spotify.com", LISTEN),
    SoundCloud("SoundCloud", ("soundcloud.com", "m.soundcloud.com"), "w.soundcloud.com", LISTEN),
    Bluesky("Bluesky", ("bsky.app",), "embed.bsky.app", VIEW),
    Instagram("Instagram", ("instagram.com",), "www.instagram.com", VIEW),
    Twitter("X", ("x.com", "twitter.com", "mobile.twitter.com"), "platform.twitter.com", VIEW),
)
EMBED_HOSTS = tuple(dict.fromkeys(provider.embed_host for provider in PROVIDERS))
PROVIDER_NAMES = (
    ", ".join(provider.name for provider in PROVIDERS[:-1]) + f" and {PROVIDERS[-1].name} (Twitter)"
)


def resolve(url):
    """The Embed for a pasted link, or None when it is not a link to a known provider's item."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH or any(ord(c) <= 0x20 for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        _ = parts.port  # a malformed port raises here
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or parts.username or parts.password:
        return None
    host = host.removeprefix("www.")
    for provider in PROVIDERS:
        if host in provider.hosts:
            resolved = provider.resolve(parts._replace(netloc=host))
            return Embed(provider, resolved[1], resolved[0]) if resolved else None
    return None
