#!/usr/bin/env python3
"""Benchmark: how fast does a program folder become an image, and how big is it?

On a copy of examples/iris, in one run, side by side:
  (a) cold build (no layer cache for this program), (b) rebuild after a one-line code change,
  (c) rerun with nothing changed,
each through `make dockerize`, through a plain `docker build` of the same generated Dockerfile, and through a
naive Dockerfile in the older tool's style (COPY . /program, then pip install -r requirements.txt); plus the
final image sizes against the base image plus the installed dependencies; and a cold build from the lock
`make lock` writes (the lock made once, timed apart); make push after a code-only change (bytes uploaded); and a
fresh CI runner (an engine without the program's images) pushing a code-only change without and with
CACHE_FROM=registry (`bench.py fresh-runner` runs that case alone).

Every build goes through BuildKit (make dockerize through community.docker.docker_image_build and the CLI's buildx
plugin; the plain and naive builds through docker build, which is BuildKit's with buildx installed); the engine, the
builder and its driver are printed first.

Prints a table (and writes bench/results/dockerize.json). Targets (issue "Build with BuildKit"): a cold build from the
lock at most 0.5x the naive Dockerfile's; one dependency added, rebuilt in at most 0.5x the cold build, downloading
only the new package; (b) via make at most 1.5 s; (c) at most 1.5 s, or at most 2.5x a trivial ansible-playbook, with
changed=0; image size at most 1.05x base + dependencies + code; make push after a code-only change at most 3 s, and
with nothing to push at most 2 s; the fresh runner at least 3.5x faster with the registry cache than without (the
docker driver's inline cache).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from servers import moto_process, registry_process  # noqa: E402  (the local registry and moto, as the tests run them)

BASE = "python:3.11-slim"
NAIVE = """FROM {base}
COPY . /program
WORKDIR /program
RUN python -m venv /venv && PIP_CERT=/program/ca.crt /venv/bin/pip install --no-cache-dir -r requirements.txt
CMD ["/venv/bin/python", "train.py"]
"""
ENV = {**os.environ, "ANSIBLE_NOCOLOR": "1"}
CA_BUNDLE = os.environ.get("PIP_CERT") or "/etc/ssl/certs/ca-certificates.crt"
# A plain build lends the CA bundle as the generated Dockerfile's header says.
CA_SECRET = ["--secret", f"id=build-ca,src={CA_BUNDLE}"]
TRIVIAL = "- hosts: localhost\n  gather_facts: false\n  tasks: []\n"


def builder():
    """The engine, the buildx plugin and the builder's driver, as the machine reports them."""
    engine = run(["docker", "version", "--format", "{{.Server.Version}}"], check=False)[1].strip()
    buildx = run(["docker", "buildx", "version"], check=False)[1].split()
    driver = re.search(r"Driver:\s+(\S+)", run(["docker", "buildx", "inspect"], check=False)[1])
    return {"engine": engine, "buildx": buildx[1] if len(buildx) > 1 else "", "driver": driver.group(1) if driver
            else ""}


def cache_records():
    return set(re.findall(r"^ID:\s+(\S+)", run(["docker", "buildx", "du", "--verbose"])[1], re.M))


def run(cmd, cwd=ROOT, check=True):
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if check and proc.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout + proc.stderr


def size(ref):
    return int(run(["docker", "image", "inspect", "--format", "{{.Size}}", ref])[1].strip())


def changed(output):
    match = re.search(r"changed=(\d+)", output)
    return int(match.group(1)) if match else -1


def edit(folder, n):
    train = folder / "train.py"
    train.write_text(re.sub(r'GREETING = "[^"]*"', f'GREETING = "iris model edit {n} {time.time()}"',
                            train.read_text()))


def registry_bytes(root):
    return sum(p.stat().st_size for p in (root / "docker" / "registry" / "v2" / "blobs").rglob("*") if p.is_file()) \
        if (root / "docker").exists() else 0


def bench_push():
    """Seconds and bytes pushed after a code-only change vs after a dependency change (local registry + moto)."""
    work = Path(tempfile.mkdtemp(prefix="dockwright-bench-push."))
    program = work / "iris"
    shutil.copytree(ROOT / "examples" / "iris", program, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
    rows = []
    with contextlib.ExitStack() as stack:  # undone in reverse order: environment, images, servers, folder
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        registry = stack.enter_context(registry_process("docker-registry", work))
        moto = stack.enter_context(moto_process(str(Path(sys.executable).parent / "moto_server")))
        stack.callback(run, ["docker", "rmi", "-f", "bench-push:b", f"{registry}/bench/iris:b"], check=False)
        env = {"AWS_ENDPOINT_URL": moto, "AWS_ACCESS_KEY_ID": "bench", "AWS_REGION": "eu-west-1",
               "AWS_SECRET_ACCESS_KEY": "bench"}
        ENV.update(env)
        for key in env:
            stack.callback(ENV.pop, key, None)
        push = ["make", "--no-print-directory", "push", f"PROGRAM={program}", "IMAGE=bench-push", "VERSION=b",
                "REPOSITORY=bench/iris", f"REGISTRY={registry}", f"OUTPUT={work}/out.json"]
        for label, change in (("first push", None), ("code-only change", "code"), ("no change", None),
                              ("dependency change", "deps")):
            if change == "code":
                edit(program, 9)
            elif change == "deps":
                with open(program / "requirements.txt", "a") as handle:
                    handle.write("six==1.16.0\n")
            before = registry_bytes(work / "data")
            t, out = run(push)
            rows.append((label, t, registry_bytes(work / "data") - before, changed(out)))
    print(f"\n{'make push after':<20}{'seconds':>10}{'bytes uploaded':>18}{'changed':>9}")
    for label, t, sent, chg in rows:
        print(f"{label:<20}{t:>8.2f} s{sent / 1e6:>15.2f} MB{chg:>9}")
    code, deps = rows[1], rows[3]
    print(f"code-only push uploads {code[2] / max(deps[2], 1):.4%} of a dependency change's bytes, "
          f"in {code[1] / deps[1]:.1%} of its time")
    return {"push": [{"after": r[0], "seconds": r[1], "bytes": r[2], "changed": r[3]} for r in rows]}


def bench_fresh_runner():
    """A CI runner's engine starts empty: make push after a code-only change with every image of the program gone
    (the base stays), without and with CACHE_FROM=registry, in the same run. The requirement line is made unique so
    that no other image on a shared engine holds the program's dependency layers."""
    work = Path(tempfile.mkdtemp(prefix="dockwright-bench-fresh."))
    program = work / "iris"
    shutil.copytree(ROOT / "examples" / "iris", program, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
    with open(program / "requirements.txt", "a") as handle:
        handle.write(f"# bench {os.urandom(6).hex()}\n")
    rows = []

    records = cache_records()

    def forget():
        """Remove every image of the program (local name and registry references) and the BuildKit cache records
        made since the bench began (layers and download caches); the base and everything older stay."""
        listed = run(["docker", "images", "--format", "{{.Repository}} {{.ID}}"])[1].splitlines()
        ids = sorted({line.split()[1] for line in listed if line.split()[0].endswith(("bench-fresh", "bench/fresh"))})
        if ids:
            run(["docker", "rmi", "-f", *ids], check=False)
        for record in sorted(cache_records() - records):
            run(["docker", "builder", "prune", "-f", "--filter", f"id={record}"], check=False)
        # A fresh runner has no download cache either: BuildKit's cache mounts are emptied (every build's: they
        # are caches, and the next build fills them again).
        run(["docker", "builder", "prune", "-f", "--filter", "type=exec.cachemount"], check=False)

    with contextlib.ExitStack() as stack:  # undone in reverse order: environment, images, servers, folder
        stack.callback(shutil.rmtree, work, ignore_errors=True)
        registry = stack.enter_context(registry_process("docker-registry", work))
        moto = stack.enter_context(moto_process(str(Path(sys.executable).parent / "moto_server")))
        stack.callback(forget)
        env = {"AWS_ENDPOINT_URL": moto, "AWS_ACCESS_KEY_ID": "bench", "AWS_REGION": "eu-west-1",
               "AWS_SECRET_ACCESS_KEY": "bench"}
        ENV.update(env)
        for key in env:
            stack.callback(ENV.pop, key, None)
        push = ["make", "--no-print-directory", "push", f"PROGRAM={program}", "IMAGE=bench-fresh", "VERSION=b",
                "REPOSITORY=bench/fresh", f"REGISTRY={registry}", f"OUTPUT={work}/out.json"]
        # The first push of the repository, with the cache: it points the cache tag at the image.
        t, out = run([*push, "CACHE_FROM=registry"])
        rows.append(("first push (publishes the cache)", t, changed(out)))
        for n, (label, knobs) in enumerate((("fresh runner, no cache", []),
                                            ("fresh runner, CACHE_FROM=registry", ["CACHE_FROM=registry"])), 1):
            forget()
            edit(program, 20 + n)
            t, out = run([*push, *knobs])
            rows.append((label, t, changed(out)))
    print(f"\n{'make push, code-only change':<38}{'seconds':>10}{'changed':>9}")
    for label, t, chg in rows:
        print(f"{label:<38}{t:>8.2f} s{chg:>9}")
    ratio = rows[1][1] / rows[2][1]
    print(f"fresh runner: the registry cache is {ratio:.1f}x faster than no cache (goal: at least 3.5x)")
    return {"fresh_runner": [{"case": r[0], "seconds": r[1], "changed": r[2]} for r in rows],
            "fresh_runner_ratio": ratio}


def main():
    work = Path(tempfile.mkdtemp(prefix="dockwright-bench."))
    ours, naive = work / "iris", work / "iris-naive"
    shutil.copytree(ROOT / "examples" / "iris", ours, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
    shutil.copytree(ours, naive)
    shutil.copy(CA_BUNDLE, naive / "ca.crt")
    (naive / "Dockerfile").write_text(NAIVE.format(base=BASE))
    make = ["make", "--no-print-directory", "dockerize", f"PROGRAM={ours}", "IMAGE=bench-make", "VERSION=b"]
    results = {}
    records = cache_records()
    machine = builder()
    print(f"engine {machine['engine']}, buildx {machine['buildx']}, driver {machine['driver']}")
    trivial_playbook = work / "trivial.yml"
    trivial_playbook.write_text(TRIVIAL)
    try:
        # (a) cold: no layer cache for this program.
        t, out = run([*make, "ANSIBLE_ARGS=-e image_nocache=true"])
        results["make", "cold"] = (t, changed(out))
        # The plain build works on its own copy of the folder, with the Dockerfile make wrote.
        plain_dir = work / "iris-plain"
        shutil.copytree(ours, plain_dir)
        plain = ["docker", "build", "-q", *CA_SECRET, "-t", "bench-plain:b", str(plain_dir)]
        results["plain", "cold"] = (run([*plain[:3], "--no-cache", *plain[3:]])[0], None)
        naive_cmd = ["docker", "build", "-q", "-t", "bench-naive:b", str(naive)]
        results["naive", "cold"] = (run([*naive_cmd[:3], "--no-cache", *naive_cmd[3:]])[0], None)
        # (b) one-line code change.
        edit(ours, 1)
        t, out = run(make)
        results["make", "code change"] = (t, changed(out))
        edit(plain_dir, 2)
        results["plain", "code change"] = (run(plain)[0], None)
        edit(naive, 3)
        results["naive", "code change"] = (run(naive_cmd)[0], None)
        # (c) nothing changed, next to a trivial ansible-playbook in the same sitting.
        t, out = run(make)
        results["make", "no change"] = (t, changed(out))
        results["trivial playbook", "no change"] = (run([str(Path(sys.executable).parent / "ansible-playbook"),
                                                         str(trivial_playbook)])[0], None)
        results["plain", "no change"] = (run(plain)[0], None)
        results["naive", "no change"] = (run(naive_cmd)[0], None)
        # Cold build from the lock make lock writes (resolving is timed on its own: it happens once). Last: a build
        # without cache leaves a second chain of the shared first steps, and the classic builder, following the
        # newest, would then miss the other scenarios' cache where the chains part.
        locked = work / "iris-locked"
        shutil.copytree(ours, locked, ignore=shutil.ignore_patterns("Dockerfile", ".dockerignore"))
        lock_seconds = run(["make", "--no-print-directory", "lock", f"PROGRAM={locked}"])[0]
        t, out = run(["make", "--no-print-directory", "dockerize", f"PROGRAM={locked}", "IMAGE=bench-locked",
                      "VERSION=b", "ANSIBLE_ARGS=-e image_nocache=true"])
        results["locked", "cold"] = (t, changed(out))
        # The same Dockerfile through a plain docker build: what the Dockerfile costs without dockwright's own run.
        plain_locked = ["docker", "build", "-q", "--no-cache", *CA_SECRET, "-t", "bench-plain-locked:b", str(locked)]
        results["plain locked", "cold"] = (run(plain_locked)[0], None)
        # One dependency added to the locked program, locked again and rebuilt: BuildKit reruns the install step, and
        # uv's cache mount holds every other download. Timed through make against the locked cold build (the build
        # before it, which emptied the cache mounts as --no-cache does, filled them again); what uv had to fetch is
        # read from a plain build's log of a second such change (make's build log is not shown).
        relock = ["make", "--no-print-directory", "lock", f"PROGRAM={locked}"]
        with open(locked / "requirements.txt", "a") as handle:
            handle.write("six==1.16.0\n")
        run(relock)
        t, out = run(["make", "--no-print-directory", "dockerize", f"PROGRAM={locked}", "IMAGE=bench-locked",
                      "VERSION=b"])
        results["locked", "dependency added"] = (t, changed(out))
        with open(locked / "requirements.txt", "a") as handle:
            handle.write("idna==3.10\n")
        run(relock)
        log = run(["docker", "build", "--progress", "plain", *CA_SECRET, "-t", "bench-plain-locked:b", str(locked)])[1]
        prepared = [int(n) for n in re.findall(r"Prepared (\d+) packages?", log)]
        installed = [int(n) for n in re.findall(r"Installed (\d+) packages?", log)]
        # Sizes: ours against base + the installed dependencies (the virtualenv) + the code.
        du = ["docker", "run", "--rm", "--entrypoint", "du", "bench-make:b", "-sb", "/opt/venv"]
        venv = int(run(du)[1].split()[0])
        code = sum(p.stat().st_size for p in ours.rglob("*") if p.is_file())
        sizes = {"base": size(BASE), "dependencies": venv, "make": size("bench-make:b"),
                 "plain": size("bench-plain:b"), "naive": size("bench-naive:b")}
    finally:
        for ref in ("bench-make:b", "bench-plain:b", "bench-naive:b", "bench-locked:b", "bench-plain-locked:b"):
            run(["docker", "rmi", "-f", ref], check=False)
        shutil.rmtree(work, ignore_errors=True)
        # The --no-cache builds made a second set of cache records for steps every build shares (the user, the
        # virtualenv); BuildKit would then pick either, and later builds' layers would differ from earlier ones'.
        for record in sorted(cache_records() - records):
            run(["docker", "builder", "prune", "-f", "--filter", f"id={record}"], check=False)

    print(f"\n{'scenario':<14}{'make dockerize':>17}{'plain build':>14}{'naive':>10}{'naive/make':>12}")
    for scenario in ("cold", "code change", "no change"):
        m, p, n = (results[k, scenario][0] for k in ("make", "plain", "naive"))
        print(f"{scenario:<14}{m:>12.2f} s{'':>3}{p:>11.2f} s{n:>8.2f} s{n / m:>11.1f}x"
              f"   (make reported changed={results['make', scenario][1]})")
    locked_cold, naive_cold = results["locked", "cold"][0], results["naive", "cold"][0]
    print(f"{'cold, locked':<14}{locked_cold:>12.2f} s  (make lock once: {lock_seconds:.2f} s;"
          f" {locked_cold / naive_cold:.2f}x the naive cold build)")
    plain_locked = results["plain locked", "cold"][0]
    print(f"{'':<14}{'':>14}{plain_locked:>11.2f} s  (the locked Dockerfile by plain docker build:"
          f" {plain_locked / naive_cold:.2f}x the naive cold build)")
    reference = sizes["base"] + sizes["dependencies"] + code
    print(f"\n{'image':<14}{'size':>12}{'vs base+deps+code':>20}")
    for key in ("make", "plain", "naive"):
        print(f"{key:<14}{sizes[key] / 1e6:>9.1f} MB{sizes[key] / reference:>19.1%}")
    print(f"(base {sizes['base'] / 1e6:.1f} MB + dependencies {sizes['dependencies'] / 1e6:.1f} MB + code "
          f"{code / 1e3:.1f} kB = {reference / 1e6:.1f} MB)")
    make_b, make_c = results["make", "code change"][0], results["make", "no change"]
    trivial = results["trivial playbook", "no change"][0]
    added = results["locked", "dependency added"][0]
    print(f"no change: make {make_c[0]:.2f} s, a trivial ansible-playbook {trivial:.2f} s ({make_c[0] / trivial:.2f}x)")
    print(f"one dependency added to the lock: make {added:.2f} s, {added / locked_cold:.2f}x the locked cold build; a"
          f" plain build of another such change: uv prepared (fetched) {prepared} and installed {installed} packages")
    checks = {
        "(a) cold build from the lock <= 0.5x naive": locked_cold <= 0.5 * naive_cold,
        "one dependency added <= 0.5x the cold build": added <= 0.5 * locked_cold,
        "one dependency added downloads only it": prepared == [1] and installed and installed[-1] > 1,
        "(b) make at most 1.5 s": make_b <= 1.5,
        "(c) make at most 1.5 s or 2.5x a trivial playbook, changed=0": (make_c[0] <= 1.5 or make_c[0] <= 2.5 * trivial)
                                                                          and make_c[1] == 0,
        "size <= 105% of base + deps + code": sizes["make"] <= 1.05 * reference,
    }
    pushed = bench_push()
    code_push, noop_push = pushed["push"][1], pushed["push"][2]
    checks["make push after a code-only change at most 3 s"] = code_push["seconds"] <= 3
    checks["make push with nothing to push at most 2 s, changed=0"] = (noop_push["seconds"] <= 2
                                                                       and noop_push["changed"] == 0)
    fresh = bench_fresh_runner()
    checks["fresh runner: registry cache >= 3.5x faster than none"] = fresh["fresh_runner_ratio"] >= 3.5
    print()
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'MISS'}  {name}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "dockerize.json").write_text(json.dumps(
        {"builder": machine, "seconds": {f"{k[0]}/{k[1]}": v[0] for k, v in results.items()},
         "lock_seconds": lock_seconds, "dependency_added": {"prepared": prepared, "installed": installed},
         "sizes": sizes, "checks": checks,
         **pushed, **fresh}, indent=2))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    # bench.py fresh-runner: that case alone (the machine is shared; the whole bench takes minutes).
    if sys.argv[1:] == ["fresh-runner"]:
        print(json.dumps(bench_fresh_runner()["fresh_runner_ratio"]))
        sys.exit(0)
    sys.exit(main())
