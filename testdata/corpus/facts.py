#!/usr/bin/env python3
"""Writes facts.json: what the independent reader (reader.py) computes for every
recording of the corpus. The project's tests (edge/replay/corpus_test.ts) assert that
TickerML's replay reproduces these facts.

    python3 testdata/corpus/facts.py
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = {
    "ethusdt_div16": ["ethusdt_div16.gz"],
    "nknusdt_tiny_price": ["nknusdt_tiny_price.gz"],
    "two_streams": ["two_streams.gz"],
    "binance_us_btcusd": ["binance_us_btcusd.gz"],
    "solusdt_stale_snapshot": ["solusdt_stale_snapshot.txt"],
    "gap_no_resync": ["gap_no_resync.txt"],
    "btcusdt_bundled": ["../binance-spot/btcusdt_20240808.gz", "../binance-spot/btcusdt_20240809.gz"],
    # cryptofeed Binance.US recording (COMP, CRV, OMG/BUSD, ZRX: none in the built-in table)
    "cryptofeed_binance_us": ["--cryptofeed-binance-us", "../cryptofeed/BINANCE_US"],
}

out = {}
for name, files in CASES.items():
    text = subprocess.run([sys.executable, os.path.join(HERE, "reader.py"), *files], cwd=HERE,
                          check=True, capture_output=True, text=True).stdout
    out[name] = {"files": files, "symbols": json.loads(text)}
with open(os.path.join(HERE, "facts.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
