from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def serious_violations(page) -> list:
    """axe-core's serious and critical findings, with where they are."""
    results = _axe.run(page)
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def violations(page) -> list:
    """axe-core's findings of any impact (minor and moderate too), with where they are."""
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in _axe.run(page).response["violations"]
    ]
