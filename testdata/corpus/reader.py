#!/usr/bin/env python3
"""Independent reader of Binance recordings (`<ns> <json>` per line, gzip or plain):
an exact-decimal implementation of the Binance diff-depth sync that shares no code with
TickerML. It prints, per symbol, the facts the project's replay must reproduce.

    python3 testdata/corpus/reader.py FILE... > facts.json
    python3 testdata/corpus/reader.py --cryptofeed-binance-us PREFIX   (cryptofeed recording)

Rules: buffer diffs until the REST snapshot; drop diffs with u <= lastUpdateId; the
first applied diff needs U <= lastUpdateId + 1 <= u, later ones U == previous u + 1;
a gap clears the book and waits for a new snapshot. A bare snapshot (no symbol)
belongs to the stream whose diffs bridge its lastUpdateId (U <= id + 1 <= u), else the
single stream of the recording. A snapshot older than the synced book is ignored.
"""
import gzip
import json
import sys
from decimal import Decimal


def read(files):
    for name in files:
        opener = gzip.open if name.endswith(".gz") else open
        with opener(name, "rt") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                ns, frame = line.split(" ", 1)
                yield int(ns), json.loads(frame)


def read_cryptofeed(prefix):
    """A cryptofeed Binance.US recording: REST snapshots (`url -> t: body`, symbol in the
    URL) and WebSocket frames (`t: body`), merged by receive time (stable)."""
    import glob
    import re
    recs = []
    for name in sorted(glob.glob(prefix + ".http.*")) + sorted(glob.glob(prefix + ".ws.*")):
        with open(name) as f:
            for line in f:
                line = line.rstrip("\n")
                m = re.match(r"^(\S+) -> ([0-9.]+): (.*)$", line)
                if m and "/depth" in m.group(1):
                    sym = re.search(r"symbol=([A-Z0-9]+)", m.group(1)).group(1)
                    snap = json.loads(m.group(3))
                    snap["_symbol"] = sym
                    recs.append((float(m.group(2)), len(recs), snap))
                    continue
                m = re.match(r"^([0-9.]+): (.*)$", line)
                if m:
                    recs.append((float(m.group(1)), len(recs), json.loads(m.group(2))))
    recs.sort(key=lambda r: (r[0], r[1]))
    return [(t, m) for t, _, m in recs]


def body(msg):
    return msg["data"] if "stream" in msg else msg


def main(files):
    if files and files[0] == "--cryptofeed-binance-us":
        msgs = read_cryptofeed(files[1])
    else:
        msgs = list(read(files))
    ranges = {}
    for _, m in msgs:
        d = body(m)
        if d.get("e") == "depthUpdate":
            ranges.setdefault(d["s"], []).append((d["U"], d["u"]))

    def owner(last_id, named=None):
        if named:
            return named
        hits = [s for s, rs in ranges.items() if any(a <= last_id + 1 <= b for a, b in rs)]
        if len(hits) == 1:
            return hits[0]
        if len(ranges) == 1:
            return next(iter(ranges))
        raise SystemExit(f"ambiguous snapshot {last_id}")

    st = {}

    def state(s):
        return st.setdefault(s, dict(depth_msgs=0, applied=0, stale=0, gaps=0, snapshots=0,
                                     stale_snapshots=0, trades=0, synced=False, seq=None,
                                     bridged=False, buf=[], bids={}, asks={}))

    def apply_levels(book, levels):
        for p, q in levels:
            p, q = Decimal(p), Decimal(q)
            if q == 0:
                book.pop(p, None)
            else:
                book[p] = q

    def on_delta(x, d):
        if not x["synced"]:
            x["buf"].append(d)
            return
        if d["u"] <= x["seq"]:
            x["stale"] += 1
            return
        ok = d["U"] == x["seq"] + 1 if x["bridged"] else d["U"] <= x["seq"] + 1
        if not ok:
            x["gaps"] += 1
            x["synced"] = False
            x["bridged"] = False
            x["bids"], x["asks"] = {}, {}
            x["buf"] = [d]
            return
        apply_levels(x["bids"], d["b"])
        apply_levels(x["asks"], d["a"])
        x["bridged"] = True
        x["seq"] = d["u"]
        x["applied"] += 1

    for _, m in msgs:
        if "lastUpdateId" in m:
            x = state(owner(m["lastUpdateId"], m.get("_symbol")))
            x["snapshots"] += 1
            if x["synced"] and m["lastUpdateId"] < x["seq"]:
                x["stale_snapshots"] += 1
                continue
            x["bids"], x["asks"] = {}, {}
            apply_levels(x["bids"], m["bids"])
            apply_levels(x["asks"], m["asks"])
            x["synced"], x["bridged"], x["seq"] = True, False, m["lastUpdateId"]
            pending, x["buf"] = x["buf"], []
            for d in pending:
                on_delta(x, d)
            continue
        d = body(m)
        if d.get("e") == "depthUpdate":
            x = state(d["s"])
            x["depth_msgs"] += 1
            on_delta(x, d)
        elif d.get("e") in ("trade", "aggTrade"):
            state(d["s"])["trades"] += 1

    out = {}
    for s, x in st.items():
        bb = max(x["bids"]) if x["bids"] else None
        ba = min(x["asks"]) if x["asks"] else None
        out[s] = dict(
            depth_msgs=x["depth_msgs"], applied=x["applied"], stale=x["stale"], gaps=x["gaps"],
            snapshots=x["snapshots"], stale_snapshots=x["stale_snapshots"], trades=x["trades"],
            synced=x["synced"], last_update_id=x["seq"],
            best_bid=None if bb is None else f"{bb.normalize():f}",
            best_ask=None if ba is None else f"{ba.normalize():f}",
            best_bid_size=None if bb is None else f"{x['bids'][bb].normalize():f}",
            best_ask_size=None if ba is None else f"{x['asks'][ba].normalize():f}",
            bid_levels=len(x["bids"]), ask_levels=len(x["asks"]),
        )
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
