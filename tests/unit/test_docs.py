"""The documentation site builds offline with no broken link (MkDocs strict, then every link and
anchor of the built HTML), loads nothing off-site, and shows only screenshots the browser test makes."""
from __future__ import annotations

import struct

import pytest
from docs_site import (
    README,
    SCREENSHOT_DIR,
    SCREENSHOTS,
    build_site,
    check_built_links,
    check_readme_links,
    referenced_images,
    unrendered_fences,
)

TWO_COMMANDS = (
    "make serve   # set everything up, create the demo cohort on an embedded SQLite, serve on http://localhost:8866\n"
    "make test    # set everything up (Debian's Chromium included) and run every test\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site built once for this module: (its folder, MkDocs' warnings)."""
    site_dir = tmp_path_factory.mktemp("site")
    return site_dir, build_site(site_dir)


def test_docs_site_builds_with_no_broken_link(site):
    site_dir, warnings = site
    assert not warnings, "mkdocs build --strict:\n" + "\n".join(warnings)
    report = check_built_links(site_dir)
    assert report.checked > 100, f"only {report.checked} links checked: is the site built?"
    assert not report.broken, "broken links in the built site:\n" + "\n".join(report.broken)
    assert not report.offsite_resources, "pages load something from another site (the site must work offline):\n" + "\n".join(report.offsite_resources)
    assert not unrendered_fences(site_dir), f"code blocks shown as inline text (a fence inside a list item?): {unrendered_fences(site_dir)}"
    broken = check_readme_links(site_dir)
    assert not broken, "\n".join(broken)
    print(f"\n{report.checked} internal links and images checked; external links (listed, not fetched):")
    print("\n".join(f"  {url}" for url in sorted(report.external)))


def test_the_site_has_every_role_guide_and_reference_page(site):
    tmp_path = site[0]
    for page in ["index", "guides/trainee", "guides/coach", "guides/hr", "guides/rater", "operator/install", "operator/serve", "operator/database",
                 "operator/upgrade", "operator/settings", "operator/jupyterhub", "reference/architecture", "reference/faults",
                 "reference/benchmarks", "reference/languages", "changelog"]:
        assert (tmp_path / f"{page}.html").is_file(), f"{page}.html is not in the built site"
    changelog = (tmp_path / "changelog.html").read_text(encoding="utf-8")
    first_entry = next(line for line in (README.parent / "CHANGELOG.md").read_text(encoding="utf-8").splitlines() if line.startswith("- "))
    assert first_entry[2:40].split("`")[0] in changelog, "the changelog page is not CHANGELOG.md"


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_every_image_shown_is_a_screenshot_the_browser_test_makes():
    shown = referenced_images()
    unknown = sorted(set(shown) - set(SCREENSHOTS))
    assert not unknown, f"images shown but not made by tests/browser/test_docs_screenshots.py: {unknown} in {[shown[u] for u in unknown]}"
    stale = sorted(p.name for p in SCREENSHOT_DIR.glob("*") if p.name not in SCREENSHOTS)
    assert not stale, f"files in docs/screenshots/ that no test makes (remove them): {stale}"
    for name in SCREENSHOTS:
        width, height = png_size(SCREENSHOT_DIR / name)
        assert width >= 600 and height >= 200, f"{name}: {width}x{height}"
    assert "trainee-home.png" in shown and "README.md" in shown["trainee-home.png"], "the README shows no screenshot"


def test_readme_keeps_its_two_commands_at_the_top():
    text = README.read_text(encoding="utf-8")
    assert text.startswith("# Servuction Workbook\n\n```bash\n" + TWO_COMMANDS + "```\n")
