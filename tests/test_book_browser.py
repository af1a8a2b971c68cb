"""The rendered book, as a reader's browser shows it: every page of `_toc.yml` in headless Chromium.

The book is built first if `_build/html` is missing or older than its sources, served from
127.0.0.1, and each page is checked for its title, typeset math (MathJax is served by the book
itself, so this also proves math renders offline), loaded images, no console errors, no failed or
external requests, a sidebar that links every page, and hidden solutions that open on a click. A
screenshot of each page goes to `tests/screenshots/` (git-ignored).

Needs Debian's `chromium` on PATH and the `playwright` package (its own browser download is never
used). Without either the test skips locally, and fails under CI (`CI` set), where `.ci/run`
installs Chromium.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
BOOK_TITLE = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]

# Console errors that are known and harmless, matched by substring.
ALLOWED_CONSOLE_ERRORS = (
    # sphinx-thebe (loaded by Jupyter Book on every page) adds an inline script declaring
    # `const THEBE_JS_URL` after the builder has started; Sphinx 7.4 writes such inline scripts twice
    # (it re-adds them as filename '' next to None in prepare_writing), so the second copy throws.
    # The first copy defines the constant, and this book has no live-code (thebe) button anyway.
    "Identifier 'THEBE_JS_URL' has already been declared",
)

# The raw delimiters MathJax removes when it typesets; none may remain in the visible text.
RAW_MATH = ("$$", "\\(", "\\)", "\\[", "\\]")


def _toc_pages() -> list[str]:
    """Every page of `_toc.yml` (root first, then parts, chapters and sections in order), as the
    path of its source without extension, e.g. `chapters/03_xor`."""

    def walk(entry: dict):
        if "file" in entry:
            yield entry["file"]
        for key in ("parts", "chapters", "sections"):
            for child in entry.get(key, []):
                yield from walk(child)

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"], *walk(toc)]
    return [str(Path(p).with_suffix("")) if Path(p).suffix in (".md", ".ipynb") else p for p in pages]


PAGES = _toc_pages()


def _source_of(page: str) -> Path | None:
    return next((path for path in (ROOT / f"{page}.ipynb", ROOT / f"{page}.md") if path.exists()), None)


def _cells(page: str) -> list[dict]:
    """The cells of a notebook page ([] for a .md page)."""
    source = _source_of(page)
    notebook = source is not None and source.suffix == ".ipynb"
    return json.loads(source.read_text(encoding="utf-8"))["cells"] if notebook else []


def _hidden_cells(page: str) -> int:
    """How many code cells of a page are tagged to render collapsed."""
    tags = ({"hide-cell", "hide-input"} & set(c["metadata"].get("tags", [])) for c in _cells(page))
    return sum(c["cell_type"] == "code" and bool(t) for c, t in zip(_cells(page), tags))


def _solutions_in_source(page: str) -> int:
    """How many solutions (`solution-start` markers or `solution` directives) a page's source has."""
    source = _source_of(page)
    if source is None:
        return 0
    text = ("\n".join("".join(c["source"]) for c in _cells(page) if c["cell_type"] == "markdown")
            if source.suffix == ".ipynb" else source.read_text(encoding="utf-8"))
    return len(re.findall(r"^(?::::|```)\{solution(?:-start)?\}", text, re.MULTILINE))


def _book_is_stale() -> bool:
    """True if `_build/html/index.html` is missing or older than a source. The time of the last
    build is that of `.buildinfo`, which Sphinx rewrites at the end of every build (it leaves
    unchanged pages, and so index.html, untouched)."""
    index = HTML / "index.html"
    if not index.exists():
        return True
    stamp = HTML / ".buildinfo"
    built = (stamp if stamp.exists() else index).stat().st_mtime
    sources = [ROOT / "_config.yml", ROOT / "_toc.yml", ROOT / "references.bib"]
    sources += [s for s in map(_source_of, PAGES) if s is not None]
    sources += [p for p in (ROOT / "_assets").rglob("*") if p.is_file()]
    return any(s.exists() and s.stat().st_mtime > built for s in sources)


@pytest.fixture(scope="session")
def built_book(browser) -> Path:
    """The rendered book, built here (as `make book` does) if missing or stale (not without a browser)."""
    if _book_is_stale():
        jb = Path(sys.executable).with_name("jupyter-book")
        cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(ROOT), "-W", "-n", "--keep-going"]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"`{' '.join(cmd)}` failed:\n{(done.stdout + done.stderr)[-4000:]}")
    return HTML


@pytest.fixture(scope="session")
def server(built_book: Path):
    """`_build/html` on http://127.0.0.1:<free port>/, in a thread, for the session."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_book))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


# Text of the visible, rendered page outside code, where raw TeX delimiters would show if MathJax
# had not typeset a formula (code cells may legitimately contain `$$` or `\(` in strings).
VISIBLE_PROSE_JS = """() => {
  const skip = 'pre, code, script, style, textarea, mjx-container';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility()) continue;
    parts.push(node.textContent);
  }
  return parts.join(' ');
}"""

# Every <img>, loaded eagerly and decoded; returns the sources of those that did not load.
BROKEN_IMAGES_JS = """async () => {
  const imgs = Array.from(document.images);
  for (const img of imgs) img.loading = 'eager';
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
  return imgs.filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.currentSrc || img.src);
}"""

# Formulas MathJax could not typeset: its message and the TeX source (repr shows stray control
# characters, such as a form feed where a notebook's "\frac" lost its backslash).
TEX_ERRORS_JS = """() => Array.from(document.querySelectorAll('mjx-merror')).map(e => {
  const items = MathJax.startup.document.getMathItemsWithin(e.closest('.math') || e);
  return {error: e.getAttribute('data-mjx-error') || e.textContent, tex: items.map(m => m.math).join(' | ')};
})"""

# The page's <h1> without its "#" permalink.
HEADING_JS = """() => {
  const h1 = document.querySelector('article h1, main h1');
  if (!h1) return null;
  const copy = h1.cloneNode(true);
  copy.querySelectorAll('.headerlink').forEach(a => a.remove());
  return copy.textContent.replace(/\\s+/g, ' ').trim();
}"""


@pytest.mark.parametrize("page_name", PAGES)
def test_page_renders(page_name: str, open_page, server: str) -> None:
    assert _source_of(page_name) is not None, f"{page_name} is in _toc.yml but has no .md/.ipynb source"
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    url = server + page_name + ".html"
    origin = urlsplit(server).netloc

    page = open_page(page_name)  # its screenshot, taken also when a check fails, shows opened solutions
    console_errors: list[str] = []
    failed: list[str] = []
    external: list[str] = []

    def on_error(text: str) -> None:
        if not any(allowed in text for allowed in ALLOWED_CONSOLE_ERRORS):
            console_errors.append(text)

    def on_request(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != origin:
            external.append(request.url)

    page.on("console", lambda msg: on_error(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: on_error(f"uncaught: {exc}"))
    page.on("request", on_request)
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: failed.append(f"{r.url} (HTTP {r.status})") if r.status >= 400 else None)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: {response and response.status}"

    # Math: wait for MathJax (loaded with `defer`) to finish typesetting the page.
    n_math = page.locator(".math").count()
    if n_math:
        try:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                                   timeout=20_000)
        except PlaywrightTimeout:
            pytest.fail(f"{page_name}: MathJax did not load; failed: {failed}; external: {external}")
        page.evaluate("() => MathJax.startup.promise")
    page.wait_for_load_state("networkidle")

    # Title: "<page heading> — <book title>".
    heading = page.evaluate(HEADING_JS)
    title = page.title()
    assert heading, f"{page_name}: no <h1>"
    assert BOOK_TITLE in title, f"{page_name}: title {title!r} lacks the book title"
    assert heading in title, f"{page_name}: title {title!r} lacks the heading {heading!r}"

    # Math: every formula typeset, none left raw, no TeX errors.
    untypeset = page.locator(".math:not(:has(mjx-container))").count()
    assert untypeset == 0, f"{page_name}: {untypeset} of {n_math} formulas not typeset by MathJax"
    if n_math:
        assert page.locator("mjx-container").count() >= 1
    tex_errors = page.evaluate(TEX_ERRORS_JS)
    assert not tex_errors, f"{page_name}: MathJax could not typeset: {tex_errors}"
    prose = page.evaluate(VISIBLE_PROSE_JS)
    raw = {d: prose[max(0, i - 40) : i + 40] for d in RAW_MATH if (i := prose.find(d)) >= 0}
    assert not raw, f"{page_name}: raw math delimiters in the visible text: {raw}"

    # Images: all loaded.
    broken = page.evaluate(BROKEN_IMAGES_JS)
    assert not broken, f"{page_name}: images that did not load: {broken}"

    # Sidebar: links every page of _toc.yml (the current page links to "#", itself).
    linked = set(page.eval_on_selector_all("nav.bd-docs-nav a[href]",
                                           "links => links.map(a => new URL(a.href).pathname)"))
    missing = [p for p in PAGES if f"/{p}.html" not in linked]
    assert not missing, f"{page_name}: sidebar lacks links to {missing}"

    # Hidden content (exercise solutions in `hide-cell` cells, dropdowns): each collapsed
    # <details> in the article is hidden, and shows its content when its summary is clicked.
    details = page.locator("article.bd-article details")
    n_hidden = page.locator("article.bd-article details.hide").count()
    assert n_hidden >= _hidden_cells(page_name), f"{page_name}: a hide-cell/hide-input cell has no toggle"
    is_open = details.evaluate_all("ds => ds.map(d => d.open)")
    closed = [i for i, opened in enumerate(is_open) if not opened]
    for i in closed:
        box = details.nth(i)
        content = box.locator(":scope > :not(summary)").first
        label = re.sub(r"\s+", " ", box.locator(":scope > summary").inner_text()).strip()
        assert not content.is_visible(), f"{page_name}: hidden block {i} ({label!r}) is already visible"
        box.locator(":scope > summary").click()
        content.wait_for(state="visible", timeout=5000)
        if box.locator("pre").count():
            assert box.locator("pre").first.is_visible(), f"{page_name}: code of block {i} not shown"
            assert box.locator("pre").first.inner_text().strip(), f"{page_name}: block {i} empty"

    assert not console_errors, f"{page_name}: console errors: {console_errors}"
    assert not failed, f"{page_name}: failed requests: {failed}"
    assert not external, f"{page_name}: requests leaving the book's server: {external}"


# Each sphinx-exercise solution in the article: its title, its classes (`:class: dropdown` makes
# sphinx-togglebutton turn it into a toggle), and whether any of its content is visible.
SOLUTIONS_JS = """() => Array.from(document.querySelectorAll('article.bd-article div.solution')).map(d => {
  const title = d.querySelector(':scope > .admonition-title');
  const content = Array.from(d.children).filter(c => c !== title);
  return {
    title: title ? title.innerText.replace(/\\s+/g, ' ').trim() : null,
    classes: d.className,
    visible: content.some(c => c.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})),
  };
})"""

EXERCISE_PAGES = [p for p in PAGES if _solutions_in_source(p)]


@pytest.mark.parametrize("page_name", sorted(set(EXERCISE_PAGES) | {"chapters/02_gradient_descent"}))
def test_solutions_are_closed_toggles_titled_solution(page_name: str, open_page, server: str) -> None:
    """Exercise solutions (sphinx-exercise, `:class: dropdown`) render as closed toggles titled
    "Solution to Exercise N (...)", one per solution in the source, each opening on a click.
    Chapter 2 is always checked: it is the chapter the exercise format was first written for."""
    expected = _solutions_in_source(page_name)
    assert expected > 0, f"{page_name} has no exercise solutions (`:::{{solution-start}} <label>`)"
    page = open_page("solutions/" + page_name)
    page.goto(server + page_name + ".html", wait_until="load")
    page.wait_for_load_state("networkidle")
    solutions = page.evaluate(SOLUTIONS_JS)
    assert len(solutions) == expected, f"{page_name}: {len(solutions)} toggles for {expected} solutions"
    for i, solution in enumerate(solutions):
        assert solution["title"] and solution["title"].startswith("Solution to Exercise"), (
            f"{page_name}: solution {i} is titled {solution['title']!r}")
        assert "dropdown" in solution["classes"].split(), f"{page_name}: solution {i} is not a dropdown"
        assert not solution["visible"], f"{page_name}: solution {i} ({solution['title']!r}) is open"
    # Each opens on a click on its toggle button (the title also holds a link to the exercise).
    boxes = page.locator("article.bd-article div.solution")
    for i in range(len(solutions)):
        box = boxes.nth(i)
        box.locator(":scope > .admonition-title button.toggle-button").click()
        box.locator(":scope > :not(.admonition-title)").first.wait_for(state="visible", timeout=5000)
