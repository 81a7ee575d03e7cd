/** A frame from a venue (live or recorded) that could not be parsed; counted and skipped. */
export class FrameError extends Error {
  /** Venue whose frame failed. */
  readonly venue: string;
  /**
   * @param venue Venue whose frame failed.
   * @param message What was wrong with the frame.
   * @param options Optional cause.
   */
  constructor(venue: string, message: string, options?: ErrorOptions) {
    super(`Bad ${venue} frame: ${message}`, options);
    this.name = "FrameError";
    this.venue = venue;
  }
}
