"""Calibrate a few sensor readings with a table made at build time, using jq (a Debian package) to read it."""

import json
import subprocess

from tabulate import tabulate

READINGS = {"north": 10.0, "south": 12.5, "east": 9.0}


def calibration():
    out = subprocess.run(["jq", "-c", ".", "/opt/sensors/calibration.json"], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def main():
    cal = calibration()
    rows = [(name, value, value * cal["scale"] + cal["offset"]) for name, value in sorted(READINGS.items())]
    print(tabulate(rows, headers=["sensor", "raw", "calibrated"]))
    print(f"sensors calibrated: {len(rows)}")


if __name__ == "__main__":
    main()
