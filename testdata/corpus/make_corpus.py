#!/usr/bin/env python3
"""Builds the corpus of unseen recordings in testdata/corpus/ from the shared Binance
BTCUSDT recording (nkaz001/hftbacktest, MIT; see testdata/SOURCES.md) by re-encoding it
to other symbols, precisions and venues. Exact: prices and sizes are scaled with Decimal.

    python3 testdata/corpus/make_corpus.py [SOURCE_DIR]

SOURCE_DIR defaults to testdata/binance-spot. Deterministic: the same input gives the
same files (gzip mtime 0). Shares no code with the project.
"""
import gzip
import json
import os
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "binance-spot")


def source_lines(limit):
    out = []
    with gzip.open(os.path.join(SRC, "btcusdt_20240808.gz"), "rt") as f:
        for line in f:
            if len(out) >= limit:
                break
            out.append(line.rstrip("\n"))
    return out


def fmt(d, places=8):
    q = Decimal(1).scaleb(-places)
    v = d.quantize(q)
    if v != d:
        raise ValueError(f"{d} does not fit {places} decimals")
    return f"{v:.{places}f}"


def recode(lines, symbol, price_div, size_mul, id_shift, trade_shift, keep_ticker=False):
    low = symbol.lower()
    out = []
    for line in lines:
        ns, frame = line.split(" ", 1)
        msg = json.loads(frame)
        lv = lambda levels: [[fmt(Decimal(p) / price_div), fmt(Decimal(q) * size_mul)] for p, q in levels]
        if "lastUpdateId" in msg:
            msg = {"lastUpdateId": msg["lastUpdateId"] + id_shift, "bids": lv(msg["bids"]), "asks": lv(msg["asks"])}
        else:
            stream = msg["stream"]
            d = msg["data"]
            if stream.endswith("@depth@100ms"):
                d = dict(d, s=symbol, U=d["U"] + id_shift, u=d["u"] + id_shift, b=lv(d["b"]), a=lv(d["a"]))
            elif stream.endswith("@trade"):
                d = dict(d, s=symbol, t=d["t"] + trade_shift, p=fmt(Decimal(d["p"]) / price_div),
                         q=fmt(Decimal(d["q"]) * size_mul))
            elif keep_ticker:
                d = dict(d, s=symbol)
            else:
                continue
            msg = {"stream": low + "@" + stream.split("@", 1)[1], "data": d}
        out.append(ns + " " + json.dumps(msg, separators=(",", ":")))
    return out


def write(name, lines):
    path = os.path.join(HERE, name)
    data = ("\n".join(lines) + "\n").encode()
    if name.endswith(".gz"):
        with open(path, "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
                g.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def main():
    base = source_lines(6000)
    eth = recode(base, "ETHUSDT", Decimal(16), Decimal(16), -10_000_000_000, -1_000_000_000)
    write("ethusdt_div16.gz", eth)
    nkn = recode(base, "NKNUSDT", Decimal(100000), Decimal(1000), -30_000_000_000, -2_000_000_000)
    write("nknusdt_tiny_price.gz", nkn)
    btc = recode(base, "BTCUSDT", Decimal(1), Decimal(1), 0, 0)
    both = sorted(eth[:3000] + btc[:3000], key=lambda l: int(l.split(" ", 1)[0]))
    write("two_streams.gz", both)
    usd = recode(base[:3000], "BTCUSD", Decimal(1), Decimal(1), -50_000_000_000, 0, keep_ticker=True)
    write("binance_us_btcusd.gz", usd)


if __name__ == "__main__":
    main()
