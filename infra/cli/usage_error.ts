/**
 * The command kit's two outcomes that are not a command's own result: bad usage (exit 2, the
 * message on stderr names the flag) and a request for help (the usage on stdout, exit 0).
 *
 * @module
 */

/** Bad command-line arguments: printed on stderr with the usage, exit code 2. */
export class UsageError extends Error {
  /** @param message What was wrong (naming the flag), and the usage. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** `--help` (or `-h`) was given: the dispatcher prints `usage` on stdout and exits 0. */
export class HelpRequested extends Error {
  /** The command's help text. */
  readonly usage: string;
  /** @param usage The command's help text. */
  constructor(usage: string) {
    super("help requested");
    this.name = "HelpRequested";
    this.usage = usage;
  }
}
