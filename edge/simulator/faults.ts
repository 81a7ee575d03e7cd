/** Faults the loopback simulator injects on command. */
export type Fault =
  /** Skip the next book frame of a symbol (a sequence gap / checksum break). */
  | { readonly kind: "drop"; readonly symbol: string }
  /** Swap the next two book frames of a symbol. */
  | { readonly kind: "reorder"; readonly symbol: string }
  /** Send the next book frame of a symbol twice. */
  | { readonly kind: "duplicate"; readonly symbol: string }
  /** Send a wrong checksum with the next book frame of a symbol (Kraken). */
  | { readonly kind: "corrupt_checksum"; readonly symbol: string }
  /** Send no book frame for a symbol for a while (the socket stays busy with others). */
  | { readonly kind: "symbol_stall"; readonly symbol: string; readonly ms: number }
  /** Send nothing at all on the venue's sockets for a while. */
  | { readonly kind: "stall"; readonly ms: number }
  /** Send one frame of invalid JSON to every client. */
  | { readonly kind: "malformed" }
  /** Close every socket abruptly. */
  | { readonly kind: "disconnect" }
  /** Close every socket the way a venue does at its 24 h connection limit. */
  | { readonly kind: "close_24h" };

/** Fault kinds that apply to one symbol's next book frame. */
export type FrameFault = Extract<
  Fault,
  { kind: "drop" | "reorder" | "duplicate" | "corrupt_checksum" }
>;

/** Every fault kind, for command-line parsing. */
export const FAULT_KINDS: readonly Fault["kind"][] = [
  "drop",
  "reorder",
  "duplicate",
  "corrupt_checksum",
  "symbol_stall",
  "stall",
  "malformed",
  "disconnect",
  "close_24h",
];
