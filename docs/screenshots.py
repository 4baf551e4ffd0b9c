"""Regenerate docs/home.png, docs/article.png, docs/article-mobile.png and docs/article-figures.png
(`make screenshots`).

Serves HOLR with the demo content from a throwaway SQLite database and media folder
(runserver on a free loopback port, or SCREENSHOTS_PORT), photographs the home page, its
lead article and the demo story with inline pictures, a gallery, an embed, a pull quote
and a table, full-page with Debian's headless Chromium, then stops the server.
"""

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MAX_HEIGHT = 12000  # px; a runaway page should not make a 100 MB PNG
# The demo story whose body shows figures of every kind (demo/content/stories/).
FIGURES_STORY = "/articles/swiss-glaciers-alps-retreat/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, server, log, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.2)
    sys.exit(f"The server did not answer {url}. Its log:\n{log.read_text()[-3000:]}")


def chromium(profile):
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver):
        sys.exit("Needs chromium and chromedriver: sudo apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = binary  # explicit paths: Selenium Manager downloads nothing
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--window-size=1440,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver))


def screenshot(browser, url, width, path, mobile=False):
    """A full-page PNG: the viewport grows to the page's height so lazy images load too."""

    def viewport(height):
        browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def images_loaded(_):
        return browser.execute_script("return [...document.images].every(img => img.complete)")

    viewport(1000)
    browser.get(url)
    height = browser.execute_script("return document.documentElement.scrollHeight")
    viewport(min(height, MAX_HEIGHT))
    WebDriverWait(browser, 20).until(images_loaded)
    png = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
    path.write_bytes(base64.b64decode(png))
    print(f"{path.relative_to(ROOT)}: {width}×{min(height, MAX_HEIGHT)} px, {path.stat().st_size // 1024} KB")


def main():
    with tempfile.TemporaryDirectory(prefix="holr-screenshots-") as tmp:
        env = {
            k: v
            for k, v in os.environ.items()
            if k
            not in {
                "DJANGO_SETTINGS_MODULE",
                "DJANGO_ALLOWED_HOSTS",
                "CACHE_URL",
                "REDIS_URL",
                "SCREENSHOTS_PORT",
            }
        }
        env.update(
            DJANGO_DEBUG="1",
            DJANGO_HTTPS="0",
            DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3",
            MEDIA_ROOT=f"{tmp}/media",
        )
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run([*manage, "load_demo"], env=env, cwd=ROOT, check=True)

        base = f"http://127.0.0.1:{os.environ.get('SCREENSHOTS_PORT') or free_port()}"
        log = Path(tmp) / "server.log"
        with log.open("w") as log_file:
            server = subprocess.Popen(
                [*manage, "runserver", "--noreload", base.removeprefix("http://")],
                env=env,
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        browser = None
        try:
            home = wait_for(f"{base}/", server, log)
            match = re.search(r'href="(?:https?://[^/"]+)?(/articles/[^"]+/)"', home)
            if not match:
                sys.exit("The home page links to no article: did load_demo publish any?")
            article = base + match.group(1)
            browser = chromium(Path(tmp) / "chromium-profile")
            DOCS.mkdir(exist_ok=True)
            browser.execute_cdp_cmd(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": "light"}]},
            )
            screenshot(browser, f"{base}/", 1440, DOCS / "home.png")
            screenshot(browser, article, 1440, DOCS / "article.png")
            screenshot(browser, article, 390, DOCS / "article-mobile.png", mobile=True)
            screenshot(browser, base + FIGURES_STORY, 1440, DOCS / "article-figures.png")
        finally:
            if browser:
                browser.quit()
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
