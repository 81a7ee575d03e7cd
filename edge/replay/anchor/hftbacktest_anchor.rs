// Anchor for `deno task bench:native`: the L2 depth of hftbacktest's `HashMapMarketDepth`
// (https://github.com/nkaz001/hftbacktest, hftbacktest/src/depth/hashmapmarketdepth.rs,
// MIT, Copyright (c) 2021 nkaz001), re-created as a standalone program because crates.io
// is not reachable here: the same data structure and update rules (std HashMap<i64, f64>
// per side keyed by price tick; best bid/ask ticks tracked; when the best level is
// deleted, the next one is found by stepping tick by tick towards low_bid_tick /
// high_ask_tick; a crossing update moves the other side's best), with prices and sizes
// given as f64 and rounded to ticks/lots as hftbacktest does. Its L3 order handling,
// snapshots-as-events and Python bindings are left out: the benchmark does not use them.
//
// Build (not part of the tests): rustc --edition 2021 -O -C target-cpu=native -o <out> hftbacktest_anchor.rs
//
// Modes (input files are written by edge/replay/native_bench.ts):
//   depth EVENTS ROUNDS   apply the snapshot + every level update; prints ms per round
//   replay EVENTS ROUNDS  the replay loop: depth + trades + a momentum signal per book event
//   convert               read the recording's text on stdin (gunzipped by `gzip -dc`),
//                         decode depth/trade frames into f64 events; prints counts and ms
//   e2e                   convert + replay once (whole-process figure)
//
// EVENTS: little-endian f64 records of 4: [kind, side, price, qty]; kind 0 snapshot level,
// 1 delta level, 2 end of one depth message, 3 trade (side 1 = buyer was the taker).

use std::collections::HashMap;
use std::io::Read;
use std::time::Instant;

const INVALID_MIN: i64 = i64::MIN;
const INVALID_MAX: i64 = i64::MAX;

struct Depth {
    tick_size: f64,
    lot_size: f64,
    ask: HashMap<i64, f64>,
    bid: HashMap<i64, f64>,
    best_bid: i64,
    best_ask: i64,
    low_bid: i64,
    high_ask: i64,
}

fn next_below(m: &HashMap<i64, f64>, start: i64, end: i64) -> i64 {
    let mut t = start - 1;
    while t >= end {
        if m.get(&t).copied().unwrap_or(0.0) > 0.0 {
            return t;
        }
        t -= 1;
    }
    INVALID_MIN
}

fn next_above(m: &HashMap<i64, f64>, start: i64, end: i64) -> i64 {
    let mut t = start + 1;
    while t <= end {
        if m.get(&t).copied().unwrap_or(0.0) > 0.0 {
            return t;
        }
        t += 1;
    }
    INVALID_MAX
}

impl Depth {
    fn new(tick_size: f64, lot_size: f64) -> Self {
        Depth {
            tick_size,
            lot_size,
            ask: HashMap::new(),
            bid: HashMap::new(),
            best_bid: INVALID_MIN,
            best_ask: INVALID_MAX,
            low_bid: INVALID_MAX,
            high_ask: INVALID_MIN,
        }
    }

    fn clear(&mut self) {
        self.ask.clear();
        self.bid.clear();
        self.best_bid = INVALID_MIN;
        self.best_ask = INVALID_MAX;
        self.low_bid = INVALID_MAX;
        self.high_ask = INVALID_MIN;
    }

    fn update_bid(&mut self, price: f64, qty: f64) {
        let tick = (price / self.tick_size).round() as i64;
        let lots = (qty / self.lot_size).round() as i64;
        if lots > 0 {
            self.bid.insert(tick, qty);
            if tick > self.best_bid {
                self.best_bid = tick;
                if self.best_bid >= self.best_ask {
                    self.best_ask = next_above(&self.ask, self.best_bid, self.high_ask);
                }
            }
            self.low_bid = self.low_bid.min(tick);
        } else {
            self.bid.remove(&tick);
            if tick == self.best_bid {
                self.best_bid = next_below(&self.bid, self.best_bid, self.low_bid);
                if self.best_bid == INVALID_MIN {
                    self.low_bid = INVALID_MAX;
                }
            }
        }
    }

    fn update_ask(&mut self, price: f64, qty: f64) {
        let tick = (price / self.tick_size).round() as i64;
        let lots = (qty / self.lot_size).round() as i64;
        if lots > 0 {
            self.ask.insert(tick, qty);
            if tick < self.best_ask {
                self.best_ask = tick;
                if self.best_bid >= self.best_ask {
                    self.best_bid = next_below(&self.bid, self.best_ask, self.low_bid);
                }
            }
            self.high_ask = self.high_ask.max(tick);
        } else {
            self.ask.remove(&tick);
            if tick == self.best_ask {
                self.best_ask = next_above(&self.ask, self.best_ask, self.high_ask);
                if self.best_ask == INVALID_MAX {
                    self.high_ask = INVALID_MIN;
                }
            }
        }
    }

    /// A snapshot row, as hftbacktest's apply_snapshot does it.
    fn snapshot_level(&mut self, side: f64, price: f64, qty: f64) {
        let tick = (price / self.tick_size).round() as i64;
        if side > 0.0 {
            self.best_bid = self.best_bid.max(tick);
            self.low_bid = self.low_bid.min(tick);
            self.bid.insert(tick, qty);
        } else {
            self.best_ask = self.best_ask.min(tick);
            self.high_ask = self.high_ask.max(tick);
            self.ask.insert(tick, qty);
        }
    }

    fn mid(&self) -> f64 {
        if self.best_bid == INVALID_MIN || self.best_ask == INVALID_MAX {
            return f64::NAN;
        }
        (self.best_bid + self.best_ask) as f64 * self.tick_size / 2.0
    }
}

fn read_events(path: &str) -> Vec<[f64; 4]> {
    let bytes = std::fs::read(path).expect("cannot read the events file");
    assert!(bytes.len() % 32 == 0, "events file is not a whole number of records");
    bytes
        .chunks_exact(32)
        .map(|r| {
            let f = |i: usize| f64::from_le_bytes(r[i * 8..i * 8 + 8].try_into().unwrap());
            [f(0), f(1), f(2), f(3)]
        })
        .collect()
}

fn apply_all(depth: &mut Depth, events: &[[f64; 4]]) -> u64 {
    depth.clear();
    let mut n = 0u64;
    for e in events {
        match e[0] as i64 {
            0 => depth.snapshot_level(e[1], e[2], e[3]),
            1 => {
                if e[1] > 0.0 {
                    depth.update_bid(e[2], e[3]);
                } else {
                    depth.update_ask(e[2], e[3]);
                }
                n += 1;
            }
            _ => {}
        }
    }
    n
}

/// The replay loop: depth updates, trades, and after each depth message a momentum signal
/// (mid against the mid 100 book events ago) that flips a paper position.
fn replay(depth: &mut Depth, events: &[[f64; 4]]) -> (u64, f64) {
    depth.clear();
    let mut mids: Vec<f64> = Vec::with_capacity(8192);
    let mut position = 0i64;
    let mut flips = 0u64;
    let mut volume = 0.0;
    for e in events {
        match e[0] as i64 {
            0 => depth.snapshot_level(e[1], e[2], e[3]),
            1 => {
                if e[1] > 0.0 {
                    depth.update_bid(e[2], e[3]);
                } else {
                    depth.update_ask(e[2], e[3]);
                }
            }
            2 => {
                let mid = depth.mid();
                mids.push(mid);
                if mids.len() > 100 {
                    let past = mids[mids.len() - 101];
                    let want = if mid > past { 1 } else if mid < past { -1 } else { position };
                    if want != position {
                        position = want;
                        flips += 1;
                    }
                }
            }
            _ => volume += e[3],
        }
    }
    (flips, volume)
}

/// CPU time of this thread in ns (first field of /proc/thread-self/schedstat), 0 if unknown.
fn cpu_ns() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Finds `"key":` in `line` from `from` and returns the index after it.
fn after(line: &[u8], key: &[u8], from: usize) -> Option<usize> {
    line[from..].windows(key.len()).position(|w| w == key).map(|i| from + i + key.len())
}

fn quoted_f64(line: &[u8], at: usize) -> (f64, usize) {
    let start = at + 1;
    let end = start + line[start..].iter().position(|&c| c == b'"').unwrap();
    let v: f64 = std::str::from_utf8(&line[start..end]).unwrap().parse().unwrap();
    (v, end + 1)
}

/// Decodes depth diffs, trades and the REST snapshot into f64 events, as hftbacktest's
/// converter does (bookTicker lines are skipped).
fn convert(text: &[u8]) -> Vec<[f64; 4]> {
    let mut out = Vec::with_capacity(1 << 20);
    for line in text.split(|&c| c == b'\n') {
        if line.is_empty() {
            continue;
        }
        // The event type sits in the first bytes of a frame.
        let head = &line[..line.len().min(96)];
        if let Some(mut p) = after(head, b"\"e\":\"depthUpdate\"", 0) {
            for (key, side) in [(&b"\"b\":["[..], 1.0), (&b"\"a\":["[..], -1.0)] {
                let mut i = after(line, key, p).unwrap();
                while line[i] == b'[' {
                    let (px, j) = quoted_f64(line, i + 1);
                    let (qty, k) = quoted_f64(line, j + 1);
                    out.push([1.0, side, px, qty]);
                    i = k + 1;
                    if line[i] == b',' {
                        i += 1;
                    }
                }
                p = i;
            }
            out.push([2.0, 0.0, 0.0, 0.0]);
        } else if let Some(p) = after(head, b"\"e\":\"trade\"", 0) {
            let (px, _) = quoted_f64(line, after(line, b"\"p\":", p).unwrap());
            let (qty, _) = quoted_f64(line, after(line, b"\"q\":", p).unwrap());
            let m = after(line, b"\"m\":", p).unwrap();
            out.push([3.0, if line[m] == b't' { -1.0 } else { 1.0 }, px, qty]);
        } else if let Some(mut p) = after(head, b"\"lastUpdateId\":", 0) {
            for (key, side) in [(&b"\"bids\":["[..], 1.0), (&b"\"asks\":["[..], -1.0)] {
                let mut i = after(line, key, p).unwrap();
                while line[i] == b'[' {
                    let (px, j) = quoted_f64(line, i + 1);
                    let (qty, k) = quoted_f64(line, j + 1);
                    out.push([0.0, side, px, qty]);
                    i = k + 1;
                    if line[i] == b',' {
                        i += 1;
                    }
                }
                p = i;
            }
        }
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map(String::as_str).unwrap_or("");
    let mut depth = Depth::new(0.01, 0.00001);
    match mode {
        "depth" | "replay" => {
            let events = read_events(&args[2]);
            let rounds: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(7);
            let mut times = Vec::new();
            let mut cpu = Vec::new();
            let mut check = 0f64;
            for round in 0..=rounds {
                let c = cpu_ns();
                let t = Instant::now();
                if mode == "depth" {
                    check += apply_all(&mut depth, &events) as f64;
                } else {
                    let (flips, vol) = replay(&mut depth, &events);
                    check += flips as f64 + vol;
                }
                let ms = t.elapsed().as_secs_f64() * 1e3;
                let cpu_ms = (cpu_ns() - c) / 1e6;
                if round > 0 {
                    times.push(ms); // round 0 warms the caches and the allocator
                    cpu.push(cpu_ms);
                }
            }
            let updates = events.iter().filter(|e| e[0] == 1.0).count();
            println!(
                "{{\"mode\":\"{}\",\"ms\":{:.3},\"cpu_ms\":{:.3},\"level_updates\":{},\"best_bid_tick\":{},\"best_ask_tick\":{},\"bid_levels\":{},\"ask_levels\":{},\"check\":{}}}",
                mode,
                median(times),
                median(cpu),
                updates,
                depth.best_bid,
                depth.best_ask,
                depth.bid.len(),
                depth.ask.len(),
                check
            );
        }
        "convert" | "e2e" => {
            let mut text = Vec::new();
            std::io::stdin().read_to_end(&mut text).expect("cannot read stdin");
            let t = Instant::now();
            let events = convert(&text);
            let convert_ms = t.elapsed().as_secs_f64() * 1e3;
            let (flips, _) = if mode == "e2e" { replay(&mut depth, &events) } else { (0, 0.0) };
            println!(
                "{{\"mode\":\"{}\",\"events\":{},\"convert_ms\":{:.3},\"flips\":{}}}",
                mode,
                events.len(),
                convert_ms,
                flips
            );
        }
        _ => {
            eprintln!("usage: hftbacktest_anchor depth|replay EVENTS [ROUNDS] | convert | e2e");
            std::process::exit(2);
        }
    }
}
