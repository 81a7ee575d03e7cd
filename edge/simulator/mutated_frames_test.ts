/**
 * 10,000 randomly mutated frames per venue through the real adapter path
 * (parse, sync, resync decisions): nothing throws, and every frame that fails to
 * parse is counted once and logged with its venue.
 */
import assert from "node:assert/strict";
import { venueInstruments } from "../../core/market/instruments.ts";
import { seededRandom } from "../../core/random.ts";
import { createAdapter } from "../venues/adapter_factory.ts";
import { ExchangeSimulator, SIM_VENUES, type SimVenue } from "./exchange_simulator.ts";
import { mutateFrame } from "./frame_mutator.ts";

const FRAMES = 10_000;

/** Valid frames of a venue, captured from the simulator while an adapter is subscribed. */
async function corpus(venue: SimVenue): Promise<string[]> {
  const sim = await ExchangeSimulator.start({ venues: [venue], seed: 3 });
  const frames: string[] = [];
  sim.servers.get(venue)!.tap = (t) => frames.length < 600 && frames.push(t);
  const symbols = Object.fromEntries(venueInstruments(venue).map((i) => [i.symbol, i.venueSymbol]));
  const adapter = createAdapter(venue, { ...sim.urls()[venue]!, symbols }, {
    resyncIntervalMs: 10,
    maxResyncIntervalMs: 200,
  });
  adapter.start();
  for (let i = 0; i < 300 && frames.length < 600; i++) {
    sim.step();
    await new Promise((r) => setTimeout(r, 2));
  }
  await adapter.stop();
  await sim.stop();
  return frames;
}

for (const venue of SIM_VENUES) {
  Deno.test(`${FRAMES} mutated ${venue} frames: no crash, every bad frame counted with its venue`, async () => {
    const frames = await corpus(venue);
    assert.ok(frames.length >= 100, `captured ${frames.length} frames`);
    const symbols = Object.fromEntries(
      venueInstruments(venue).map((i) => [i.symbol, i.venueSymbol]),
    );
    const logged: string[] = [];
    // Unreachable URLs: resyncs triggered by valid-but-wrong frames fail as request errors.
    const adapter = createAdapter(
      venue,
      { ws_url: "ws://127.0.0.1:9", rest_url: "http://127.0.0.1:9", symbols },
      { sink: { onBadFrame: (_v, line) => logged.push(line) } },
    );
    const rand = seededRandom(venue.length * 7919);
    let rejected = 0;
    const lines: string[] = [];
    for (let i = 0; i < FRAMES; i++) {
      const frame = mutateFrame(frames[i % frames.length] as string, rand);
      const before = adapter.counters.badFrames;
      const ok = adapter.ingest(frame, Date.now());
      if (!ok) {
        rejected++;
        assert.equal(adapter.counters.badFrames, before + 1);
        lines.push(adapter.badFrameLog.at(-1) as string);
      }
    }
    await adapter.stop();
    assert.equal(adapter.counters.badFrames, rejected);
    assert.ok(rejected > FRAMES / 3, `${rejected} rejected`);
    for (const line of lines) assert.ok(line.startsWith(`${venue}: Bad ${venue} frame: `), line);
    assert.equal(logged.filter((l) => l.includes(" frame: ")).length, rejected);
  });
}
