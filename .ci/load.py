"""`make load`: drive the portal (gunicorn, bench data) with locust and print one table.

Three runs against the same server: /healthz alone (the ceiling), varied resident traffic at 16 clients (throughput,
p50, p99, ratio to /healthz) and at 32 clients (errors). Clients wait for each answer and ask again at once.
Usage: python .ci/load.py http://127.0.0.1:8001 [seconds]
"""

import random
import sys
import time

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment

HOST = sys.argv[1]
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 60
# The bench data (portal/management/commands/bench.py): its slugs, its country box, its words.
HUBS, COMMUNES = 100_000, 35_000
WORDS = ["kine", "maison sante", "generaliste", "kinesiterapeute", "quartier", "centre", "sante commune"]
TARGETS = {"ratio": 0.20, "p99_ms": 500}


class Health(FastHttpUser):
    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="/healthz")


class Resident(FastHttpUser):
    """What residents do, weighted: search by words or near a point, open hubs, page through, use the map."""

    wait_time = constant(0)

    @task(3)
    def text(self):
        self.client.get(f"/hubs/?q={random.choice(WORDS)}", name="hubs, text")

    @task(3)
    def near(self):
        lat, lng = random.uniform(43.5, 50.5), random.uniform(-4.0, 7.5)
        self.client.get(f"/hubs/?lat={lat:.4f}&lng={lng:.4f}&radius_km=10", name="hubs, near")

    @task(4)
    def hub(self):
        self.client.get(f"/hubs/maison-de-sante-{random.randrange(HUBS)}/", name="hub page")

    @task(2)
    def page(self):
        self.client.get(f"/hubs/?page={random.randint(2, 100)}", name="hubs, page n")

    @task(1)
    def professionals(self):
        self.client.get(f"/professionals/?q={random.choice(WORDS)}", name="professionals, text")

    @task(1)
    def commune(self):
        self.client.get(f"/districts/commune-{random.randrange(COMMUNES)}/", name="a commune")

    @task(1)
    def city_map(self):
        west, south = random.uniform(-4.0, 7.3), random.uniform(43.5, 50.3)
        box = f"{west:.3f},{south:.3f},{west + 0.15:.3f},{south + 0.12:.3f}"
        self.client.get(f"/hubs/map.geojson?zoom=13&bbox={box}", name="map, city")


def run(user_class, users: int, seconds: int) -> dict:
    env = Environment(user_classes=[user_class], host=HOST)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    gevent.sleep(1)  # every client started: measure from here
    env.stats.reset_all()
    started = time.monotonic()
    gevent.sleep(seconds)
    elapsed = time.monotonic() - started
    runner.quit()
    total = env.stats.total
    return {
        "rps": total.num_requests / elapsed,
        "p50": total.get_response_time_percentile(0.5),
        "p99": total.get_response_time_percentile(0.99),
        "errors": total.num_failures,
        "requests": total.num_requests,
        "entries": env.stats.entries,
    }


def row(label, users, result, ceiling=None):
    ratio = f"{result['rps'] / ceiling:.2f}" if ceiling else "-"
    return (
        f"| {label} | {users} | {result['rps']:,.1f} | {result['p50']:.0f} | {result['p99']:.0f} | "
        f"{result['errors']} of {result['requests']:,} | {ratio} |"
    )


def main():
    health = run(Health, 16, SECONDS // 2)
    residents = run(Resident, 16, SECONDS)
    crowd = run(Resident, 32, SECONDS // 2)
    ceiling = health["rps"]
    print("| traffic | clients | req/s | p50 ms | p99 ms | errors | ratio to /healthz |")
    print("|---|---|---|---|---|---|---|")
    print(row("/healthz", 16, health))
    print(row("residents", 16, residents, ceiling))
    print(row("residents", 32, crowd, ceiling))
    print("\n| at 16 clients | requests | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
    for name, entry in sorted(residents["entries"].items()):
        print(
            f"| {name[0]} | {entry.num_requests:,} | {entry.get_response_time_percentile(0.5):.0f} | "
            f"{entry.get_response_time_percentile(0.99):.0f} | {entry.num_failures} |"
        )
    verdicts = {
        "resident req/s ≥ 0.20 × /healthz": residents["rps"] >= TARGETS["ratio"] * ceiling,
        "p99 ≤ 500 ms at 16 clients": residents["p99"] <= TARGETS["p99_ms"],
        "no error at 32 clients": crowd["errors"] == 0,
    }
    print("\n" + "; ".join(f"{name}: {'ok' if met else 'MISSED'}" for name, met in verdicts.items()))


if __name__ == "__main__":
    main()
