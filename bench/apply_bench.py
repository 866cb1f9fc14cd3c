#!/usr/bin/python3
"""Apply time: `k8tls-wizard --answers A --output DIR --apply` to 1..N contexts (ECDSA bundle,
generation included) against `kubectl apply -k DIR --server-side` in each context, one after
the other, on loopback fake API servers (tests/kube/fakeapi.py, one per context). Rounds are
interleaved; medians and the median of the pairwise ratios are printed (goal: <= 1.2x).
Prints figures; asserts nothing. Needs kubectl and /usr/bin/python3 with PyYAML.

Usage: bench/apply_bench.py [--bin ./k8tls-wizard] [--rounds 5] [--contexts 5]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FAKEAPI = os.path.join(HERE, "..", "tests", "kube", "fakeapi.py")
ANSWERS = """\
apiVersion: k8tls-wizard/v1
cluster: {name: test, namespace: k8ssandra-operator}
ca:
  key: {algorithm: ecdsa, curve: P-256}
"""


def timed(cmd, env):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        sys.exit("apply_bench: %s failed: %s" % (" ".join(cmd[:3]), p.stderr.decode()[-500:]))
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="./k8tls-wizard")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--contexts", type=int, default=5)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    if not shutil.which("kubectl"):
        sys.exit("apply_bench: kubectl is required")
    tmp = tempfile.mkdtemp(prefix="k8tls-apply-bench.")
    os.makedirs(os.path.join(tmp, "home"))
    env = dict(os.environ, LC_ALL="C", HOME=os.path.join(tmp, "home"))
    env.pop("KUBECONFIG", None)
    ports = os.path.join(tmp, "ports")
    cmd = ["/usr/bin/python3", FAKEAPI, "--port-file", ports, "--log", os.devnull,
           "--timeout", "3600"]
    for _ in range(args.contexts):
        cmd += ["--listener", "ok"]
    fake = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if os.path.exists(ports):
                break
            time.sleep(0.1)
        kc = os.path.join(tmp, "kubeconfig")
        with open(ports) as f, open(kc, "w") as out:
            ps = [int(x) for x in f.read().split()]
            out.write("apiVersion: v1\nkind: Config\nclusters:\n")
            for i, p in enumerate(ps):
                out.write("- {name: c%d, cluster: {server: \"http://127.0.0.1:%d\"}}\n" % (i, p))
            out.write("users: [{name: u, user: {}}]\ncontexts:\n")
            for i in range(len(ps)):
                out.write("- {name: ctx%d, context: {cluster: c%d, user: u}}\n" % (i, i))
            out.write("current-context: ctx0\n")
        answers = os.path.join(tmp, "answers.yaml")
        with open(answers, "w") as f:
            f.write(ANSWERS)
        bundle = os.path.join(tmp, "bundle")
        timed([binary, "--answers", answers, "--output", bundle], env)
        print("# apply benchmark, %s, load %s" % (time.strftime("%Y-%m-%d %H:%M %Z"),
              " ".join("%.2f" % x for x in os.getloadavg())))
        print("| contexts | wizard --apply (median) | kubectl apply -k per context, "
              "sequential (median) | ratio (median of pairs) |")
        print("|---|---|---|---|")
        n_run = 0
        for n in range(1, args.contexts + 1):
            ctxs = ["ctx%d" % i for i in range(n)]
            wiz, ref, ratios = [], [], []
            for r in range(args.rounds + 1):       # round 0 warms the discovery cache
                t = 0.0
                for c in ctxs:
                    t += timed(["kubectl", "--kubeconfig", kc, "--context", c, "apply", "-k",
                                bundle, "--server-side", "--field-manager=k8tls-wizard"], env)
                n_run += 1
                out = os.path.join(tmp, "out%d" % n_run)
                w = [binary, "--answers", answers, "--output", out, "--apply",
                     "--kubeconfig", kc]
                for c in ctxs:
                    w += ["--context", c]
                tw = timed(w, env)
                shutil.rmtree(out, ignore_errors=True)
                if r == 0:
                    continue
                wiz.append(tw)
                ref.append(t)
                ratios.append(tw / t)
            print("| %d | %.2f s | %.2f s | **%.2f** |" % (n, statistics.median(wiz),
                  statistics.median(ref), statistics.median(ratios)))
    finally:
        fake.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
