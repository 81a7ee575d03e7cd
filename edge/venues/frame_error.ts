export { FrameError } from "../../core/market/frame_error.ts";
