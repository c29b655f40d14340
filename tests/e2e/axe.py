from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def violations(page) -> list:
    """axe-core's findings of any impact (minor and moderate too), with where they are."""
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in _axe.run(page).response["violations"]
    ]
