"""Which embed providers the editor's embed dialog accepts, from the URL alone.

Interim: issue 10 part A writes the real provider registry (`richtext/embeds.py`), which
the sanitizer and renderer use. At merge, `provider_for` and `PROVIDERS` here should
become imports from that module, so the dialog and the sanitizer can never disagree.
No network request is made: the host says which provider it is.
"""

from urllib.parse import urlsplit

# provider name -> hosts its links live on
PROVIDERS = {
    "YouTube": {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"},
    "Vimeo": {"vimeo.com", "www.vimeo.com", "player.vimeo.com"},
    "Dailymotion": {"dailymotion.com", "www.dailymotion.com", "dai.ly"},
    "Spotify": {"open.spotify.com"},
    "SoundCloud": {"soundcloud.com", "www.soundcloud.com", "on.soundcloud.com"},
    "Bluesky": {"bsky.app"},
    "Instagram": {"instagram.com", "www.instagram.com"},
    "X/Twitter": {"x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"},
}


def provider_for(url):
    """The provider's name for an http(s) link to a post on it, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path in {"", "/"}:
        return None
    return next((name for name, hosts in PROVIDERS.items() if parts.hostname in hosts), None)
