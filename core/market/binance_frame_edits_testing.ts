/**
 * Test fixtures: recorded Binance lines (from the bundled BTCUSDT recording) and edits that
 * damage or reshape them, shared by the decoder and survey equivalence tests.
 *
 * @module
 */

/** Recorded Binance lines of each kind the decoders read. */
export const sample: readonly string[] = [
  '1723161253937085768 {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255208,"s":"BTCUSDT","U":50093239189,"u":50093239202,"b":[["61737.63000000","0.00000000"],["61837.62000000","1.50000000"]],"a":[["61837.64000000","0.10000000"]]}}',
  '1723161254087896568 {"stream":"btcusdt@trade","data":{"e":"trade","E":1723161255343,"s":"BTCUSDT","t":3735683259,"p":"61837.63000000","q":"0.02000000","T":1723161255342,"m":true,"M":true}}',
  '1723161254087891268 {"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}',
  '1723161254087896568 {"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"BTCUSDT","a":77,"p":"61837.63","q":"0.02","f":1,"l":2,"T":3,"m":false,"M":true}}',
];

/** Edits that break or reshape a frame; each fast path must agree with its reference. */
export const edits: readonly ((l: string) => string)[] = [
  (l) => l.replace('"U":50093239189', '"U":50093239999'), // U > u
  (l) => l.replace('"0.00000000"', '"-0.00000001"'),
  (l) => l.replace('"61737.63000000"', '"61737.631"'), // more precision than the instrument
  (l) => l.replace('"61737.63000000"', '"0"'),
  (l) => l.replace('"61737.63000000"', '""'),
  (l) => l.replace('"61737.63000000"', '"6.1.7"'),
  (l) => l.replace('"61737.63000000"', '"+61737.63"'),
  (l) => l.replace('"61737.63000000"', "61737.63"),
  (l) => l.replace('"p":"61837.63000000"', '"p":"0.00"'),
  (l) => l.replace('"q":"0.02000000"', '"q":"0"'),
  (l) => l.replace('"m":true', '"m":1'),
  (l) => l.replace('"m":true', '"m":false'),
  (l) => l.replace('"E":1723161255208', '"E":1723161255208.5'),
  (l) => l.replace('"E":1723161255208', '"E":01723161255208'),
  (l) => l.replace('"E":1723161255208', '"E":-1'),
  (l) => l.replace('"E":1723161255208', '"E":99999999999999999999'),
  (l) => l.replace('"t":3735683259', '"t":3735683259,"t":5'),
  (l) => l.replace('"s":"BTCUSDT"', '"s":"NOPEUSDT"'),
  (l) => l.replace('"s":"BTCUSDT"', '"s":"BTC\\u0055SDT"'),
  (l) => l.replace('"e":"trade"', '"e":"kline"'),
  (l) => l.replace('"e":"trade"', '"e":""'),
  (l) => l.replace(',"M":true', ',"extra":{"x":1}'),
  (l) => l.replace(',"M":true', ',"M":null'),
  (l) => l.replace('"b":[[', '"b":[ ['),
  (l) => l.replace('],"a":[', '],"a":"x","z":['),
  (l) => l.replace(/,"b":\[.*?\]\]/, ""),
  (l) => l.replace('"data":{', '"data":{"lastUpdateId":1,'),
  (l) => l.replace("@bookTicker", "@bookTicker\\u0021"),
  (l) => l.replace('{"stream"', '{"lastUpdateId":5,"stream"'),
  (l) => l.slice(0, -1),
  (l) => l.slice(0, -2),
  (l) => l + " ",
  (l) => l.replace(/^\d+/, "12x"),
  (l) => l.replace(/^\d+/, "5"),
  (l) => l.replace(/^\d+/, "1234567890123456789012345"),
  (l) => l.replace(" ", "  "),
];
