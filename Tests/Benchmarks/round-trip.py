#!/usr/bin/env python3
"""The emulator's own round trip: what one request costs at its configured latency, with no client
work around it, so that a throughput row can say how close to the server's real limit it came.

  round-trip.py EMULATOR_URL [--requests N]

One keep-alive connection (http.client, no pool) takes an emulator token and then sends N GETs of
the emulator's demo flow spec one after another; prints the median, minimum and 90th percentile in
milliseconds as one JSON object. 2,000 writes at concurrency 8 cannot take less than 250 of these.
"""
import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse

FLOW_SPEC = "/data/foundation/flowservice/flowSpecs/6499120c-0b15-42dc-936e-847ea3c24d72"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=200)
    arguments = parser.parse_args()
    url = urllib.parse.urlparse(arguments.url)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    connection.request("POST", "/ims/token/v3", headers={"Content-Type": "application/x-www-form-urlencoded"},
                       body="client_id=specsync-emulator&client_secret=emulator-secret&grant_type=client_credentials&scope=openid")
    answer = connection.getresponse()
    token = json.loads(answer.read())["access_token"]
    headers = {"Authorization": "Bearer " + token, "x-api-key": "specsync-emulator",
               "x-gw-ims-org-id": "EMULATOR0000000000000000@AdobeOrg", "x-sandbox-name": "prod"}
    times = []
    for _ in range(arguments.requests):
        started = time.perf_counter()
        connection.request("GET", FLOW_SPEC, headers=headers)
        answer = connection.getresponse()
        answer.read()
        times.append((time.perf_counter() - started) * 1000)
        if answer.status != 200:
            sys.exit(f"round-trip.py: GET {FLOW_SPEC} answered {answer.status}")
    times.sort()
    print(json.dumps({"requests": len(times), "median_ms": round(statistics.median(times), 3),
                      "min_ms": round(times[0], 3), "p90_ms": round(times[int(len(times) * 0.9)], 3)}))


if __name__ == "__main__":
    main()
