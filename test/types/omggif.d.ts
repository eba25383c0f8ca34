/** Types for omggif (ships none): the GIF decoder the tests use to check exports independently. */
declare module 'omggif' {
  export class GifReader {
    constructor(buf: Uint8Array);
    width: number;
    height: number;
    numFrames(): number;
    /** null when the file has no NETSCAPE2.0 block; 0 = loop forever. */
    loopCount(): number | null;
    frameInfo(i: number): {
      x: number;
      y: number;
      width: number;
      height: number;
      delay: number;
      disposal: number;
      has_local_palette: boolean;
    };
    decodeAndBlitFrameRGBA(i: number, pixels: Uint8Array | Uint8ClampedArray): void;
  }
  const omggif: { GifReader: typeof GifReader };
  export default omggif;
}
